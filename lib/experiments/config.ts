/**
 * Experiment configuration (zod, strict): which feature sets, which endpoints, which protocol settings.
 * Feature sets are listed, or given as a grid (extractors x modalities x regions x clinical) that expands to every
 * combination the table has columns for; the default grid is the paper's comparison: handcrafted vs ResNet10/18/34/50,
 * all modalities, tumour + shell, with and without clinical variables.
 */
import { z } from "zod";
import { NacError } from "../errors";
import { protocolConfigSchema } from "../ml/protocol/config";
import {
  EXTRACTORS,
  featureSetName,
  MODALITIES,
  REGIONS,
  selectColumns,
  type FeatureSetSelector,
} from "./feature-sets";

const modality = z.enum(MODALITIES);
const region = z.enum(REGIONS);

const featureSetSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.+-]{1,80}$/, "letters, digits and _ . + - only")
      .optional(),
    extractor: z.enum([...EXTRACTORS, "none"]),
    modalities: z
      .array(modality)
      .min(1)
      .default([...MODALITIES]),
    regions: z
      .array(region)
      .min(1)
      .default([...REGIONS]),
    clinical: z.boolean().default(false),
  })
  .strict();

const gridSchema = z
  .object({
    extractors: z
      .array(z.enum(EXTRACTORS))
      .min(1)
      .default([...EXTRACTORS]),
    /** "all" = the three modalities together. */
    modalities: z
      .array(z.enum([...MODALITIES, "all"]))
      .min(1)
      .default(["all"]),
    /** "both" = tumour and shell together. */
    regions: z
      .array(z.enum([...REGIONS, "both"]))
      .min(1)
      .default(["both"]),
    clinical: z.array(z.boolean()).min(1).default([false, true]),
    /** Also run clinical variables alone. */
    clinicalOnly: z.boolean().default(false),
  })
  .strict();

/** Protocol settings as lib/ml/protocol takes them, except that an experiment never fits the final model (registration does). */
const protocolSchema = protocolConfigSchema.omit({ threshold: true, finalModel: true });

export const experimentConfigSchema = z
  .object({
    name: z.string().trim().min(1).max(200).default("Feature comparison"),
    endpoints: z
      .array(z.enum(["pCR", "response"]))
      .min(1)
      .default(["pCR", "response"]),
    featureSets: z.array(featureSetSchema).min(1).optional(),
    grid: gridSchema.optional(),
    /** Decision threshold: a number, or "prevalence" = each endpoint's positive rate in the table (rounded to 0.01). */
    threshold: z.union([z.number().gt(0).lt(1), z.literal("prevalence")]).default("prevalence"),
    protocol: protocolSchema.prefault({}),
    /** How many features of each selection-frequency list to keep in the results. */
    topFeatures: z.number().int().min(1).max(500).default(30),
  })
  .strict()
  .refine((c) => !(c.featureSets && c.grid), { message: "give featureSets or grid, not both" });

export type ExperimentConfig = z.output<typeof experimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;

export function parseExperimentConfig(input: unknown): ExperimentConfig {
  const r = experimentConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    const msg = r.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new NacError("SETTINGS_INVALID", `experiment config: ${msg}`);
  }
  return r.data;
}

export interface ResolvedFeatureSets {
  sets: (FeatureSetSelector & { columns: number[] })[];
  /** Grid combinations not run, with why (no such columns, or the same columns as an earlier set). */
  skipped: { name: string; reason: string }[];
}

/** Feature sets of a config against a table's columns. Listed sets must select columns; grid combinations may not. */
export function resolveFeatureSets(config: ExperimentConfig, columns: readonly string[]): ResolvedFeatureSets {
  const skipped: ResolvedFeatureSets["skipped"] = [];
  const sets: ResolvedFeatureSets["sets"] = [];
  const seenColumns = new Map<string, string>();
  const add = (s: Omit<FeatureSetSelector, "name"> & { name?: string }, listed: boolean) => {
    const sel: FeatureSetSelector = { ...s, name: s.name ?? featureSetName(s) };
    if (sets.some((x) => x.name === sel.name)) {
      if (listed)
        throw new NacError("SETTINGS_INVALID", `experiment config: feature set name ${sel.name} is used twice`);
      return;
    }
    const cols = selectColumns(columns, sel);
    // A set named for an extractor needs that extractor's columns: clinical columns alone are not "resnet50 + clinical".
    const imageCols = sel.extractor === "none" ? cols : selectColumns(columns, { ...sel, clinical: false });
    if (!cols.length || !imageCols.length) {
      if (listed) throw new NacError("DATA_INVALID", `feature set ${sel.name} selects no column of the feature table`);
      skipped.push({ name: sel.name, reason: "the table has no such columns" });
      return;
    }
    const key = cols.join(",");
    const same = seenColumns.get(key);
    if (same && !listed) {
      skipped.push({ name: sel.name, reason: `same columns as ${same}` });
      return;
    }
    seenColumns.set(key, sel.name);
    sets.push({ ...sel, columns: cols });
  };
  if (config.featureSets) {
    for (const s of config.featureSets)
      add(
        {
          ...s,
          modalities: MODALITIES.filter((m) => s.modalities.includes(m)),
          regions: REGIONS.filter((r) => s.regions.includes(r)),
        },
        true,
      );
  } else {
    const g = config.grid ?? gridSchema.parse({});
    for (const extractor of g.extractors)
      for (const m of g.modalities)
        for (const r of g.regions)
          for (const clinical of g.clinical) {
            add(
              {
                extractor,
                modalities: m === "all" ? [...MODALITIES] : [m],
                regions: r === "both" ? [...REGIONS] : [r],
                clinical,
              },
              false,
            );
          }
    if (g.clinicalOnly)
      add({ extractor: "none", modalities: [...MODALITIES], regions: [...REGIONS], clinical: true }, false);
  }
  if (!sets.length)
    throw new NacError(
      "DATA_INVALID",
      `no feature set of the experiment selects columns of the feature table (${skipped.map((s) => s.name).join(", ")})`,
    );
  return { sets, skipped };
}
