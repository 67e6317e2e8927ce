/**
 * What a cohort extraction computes: series roles x regions x extractors, with the cohort's peritumoral shell. Each
 * extractor maps onto a one-extractor CaseFeatureSpec, so that names, cache keys and values are exactly those of
 * lib/pipeline/case-features/ (and hence of Predict and the demo training). Pure.
 */
import { z } from "zod";
import { BACKBONES, type Backbone } from "../deep/architecture";
import { DEFAULT_PREPROCESS, type PreprocessOptions } from "../deep/preprocess";
import type { DeepPooling } from "../deep/extract";
import { canonicalJson } from "../hash/canonical-json";
import { sha256Hex } from "../hash/sha256";
import { NacError } from "../errors";
import { parsePyradiomicsParams } from "../radiomics/pyradiomics-params";
import { resolveSettings, type RadiomicsSettings } from "../radiomics/settings";
import {
  CASE_ROLES,
  makeCaseFeatureSpec,
  paperHandcraftedSettings,
  PERI_SHELL_MODES,
  type CaseFeatureSpec,
  type CaseRegion,
  type CaseRole,
  type FeatureBlock,
  type PeriShellMode,
} from "../pipeline/case-features";

export type CohortExtractor = "handcrafted" | Backbone;
export const COHORT_EXTRACTORS: readonly CohortExtractor[] = ["handcrafted", ...BACKBONES];

export interface ExtractionSpec {
  version: 1;
  roles: CaseRole[];
  regions: CaseRegion[];
  periMarginMm: number;
  periShellMode: PeriShellMode;
  extractors: CohortExtractor[];
  /** Resolved handcrafted settings (pyradiomics defaults, or IBSI settings), used when "handcrafted" is listed. */
  handcrafted: RadiomicsSettings;
  deep: { preprocess: PreprocessOptions; pooling: DeepPooling };
}

export function parseExtractors(list: string): CohortExtractor[] {
  const out = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!out.length)
    throw new NacError("BAD_REQUEST", `--extractors: give one or more of ${COHORT_EXTRACTORS.join(", ")}`);
  for (const e of out)
    if (!COHORT_EXTRACTORS.includes(e as CohortExtractor))
      throw new NacError("BAD_REQUEST", `unknown extractor "${e}": one of ${COHORT_EXTRACTORS.join(", ")}`);
  if (new Set(out).size !== out.length) throw new NacError("BAD_REQUEST", "--extractors lists an extractor twice");
  return out as CohortExtractor[];
}

export function makeExtractionSpec(o: {
  periMarginMm: number;
  periShellMode: PeriShellMode;
  extractors: CohortExtractor[];
  roles?: CaseRole[];
  regions?: CaseRegion[];
  handcrafted?: RadiomicsSettings;
  preprocess?: Partial<PreprocessOptions>;
  pooling?: DeepPooling;
}): ExtractionSpec {
  const spec: ExtractionSpec = {
    version: 1,
    roles: o.roles ?? [...CASE_ROLES],
    regions: o.regions ?? ["intra", "peri"],
    periMarginMm: o.periMarginMm,
    periShellMode: o.periShellMode,
    extractors: [...o.extractors].sort((a, b) => COHORT_EXTRACTORS.indexOf(a) - COHORT_EXTRACTORS.indexOf(b)),
    handcrafted: o.handcrafted ?? paperHandcraftedSettings(),
    deep: { preprocess: { ...DEFAULT_PREPROCESS, ...(o.preprocess ?? {}) }, pooling: o.pooling ?? "global" },
  };
  if (!PERI_SHELL_MODES.includes(spec.periShellMode))
    throw new NacError("SETTINGS_INVALID", `unknown shell mode ${spec.periShellMode}`);
  if (!spec.extractors.length) throw new NacError("SETTINGS_INVALID", "no extractor");
  // validates roles, regions, margin and settings the same way as any case spec
  for (const e of spec.extractors) caseSpecFor(spec, e);
  return spec;
}

export function extractionSpecHash(spec: ExtractionSpec): string {
  return sha256Hex(canonicalJson(spec));
}

/** The one-extractor case spec whose blocks an item of this extractor computes. */
export function caseSpecFor(spec: ExtractionSpec, extractor: CohortExtractor): CaseFeatureSpec {
  const common = {
    roles: spec.roles,
    regions: spec.regions,
    periMarginMm: spec.periMarginMm,
    periShellMode: spec.periShellMode,
    clinical: [],
  };
  if (extractor === "handcrafted") return makeCaseFeatureSpec({ ...common, handcrafted: spec.handcrafted, deep: null });
  return makeCaseFeatureSpec({
    ...common,
    handcrafted: null,
    deep: {
      backbone: extractor,
      preprocess: spec.deep.preprocess,
      pooling: spec.deep.pooling,
      roles: spec.roles,
      regions: spec.regions,
    },
  });
}

export function blockFor(item: { role: string; region: string; extractor: string }): FeatureBlock {
  return {
    role: item.role as CaseRole,
    region: item.region as CaseRegion,
    extractor: item.extractor === "handcrafted" ? "radiomics" : "deep",
  };
}

/** Items of one patient, in a stable order (role, region, extractor). */
export function itemKeys(spec: ExtractionSpec): { role: CaseRole; region: CaseRegion; extractor: CohortExtractor }[] {
  const out: { role: CaseRole; region: CaseRegion; extractor: CohortExtractor }[] = [];
  for (const role of spec.roles)
    for (const region of spec.regions) for (const extractor of spec.extractors) out.push({ role, region, extractor });
  return out;
}

/**
 * What a researcher chooses for an extraction besides the extractors (UI form, API body, CLI flags): series roles,
 * regions, the shell's margin and mode (default: the cohort's), the handcrafted settings (pyradiomics defaults = the
 * paper's 107 features, IBSI defaults, or a pyradiomics parameter file) and the encoder input edge.
 */
export const extractionOptionsSchema = z
  .object({
    roles: z
      .array(z.enum(CASE_ROLES as [CaseRole, ...CaseRole[]]))
      .min(1)
      .refine((a) => new Set(a).size === a.length, "a role is listed twice")
      .optional(),
    regions: z
      .array(z.enum(["intra", "peri"]))
      .min(1)
      .refine((a) => new Set(a).size === a.length, "a region is listed twice")
      .optional(),
    periMarginMm: z.number().positive().max(50).optional(),
    periShellMode: z.enum(PERI_SHELL_MODES as [PeriShellMode, ...PeriShellMode[]]).optional(),
    handcrafted: z
      .discriminatedUnion("mode", [
        z.object({ mode: z.literal("pyradiomics") }).strict(),
        z.object({ mode: z.literal("ibsi") }).strict(),
        z.object({ mode: z.literal("pyradiomics-params"), params: z.string().min(1).max(65_536) }).strict(),
      ])
      .optional(),
    deepInputSize: z.number().int().min(16).max(128).optional(),
  })
  .strict();
export type ExtractionOptions = z.infer<typeof extractionOptionsSchema>;

/** Options -> the part of makeExtractionSpec's input they set (absent options keep the cohort's or the defaults). */
export function extractionSpecInput(o: ExtractionOptions): Partial<Parameters<typeof makeExtractionSpec>[0]> {
  const out: Partial<Parameters<typeof makeExtractionSpec>[0]> = {};
  if (o.roles) out.roles = [...o.roles].sort((a, b) => CASE_ROLES.indexOf(a) - CASE_ROLES.indexOf(b));
  if (o.regions) out.regions = [...o.regions].sort() as CaseRegion[];
  if (o.periMarginMm !== undefined) out.periMarginMm = o.periMarginMm;
  if (o.periShellMode) out.periShellMode = o.periShellMode;
  if (o.handcrafted) out.handcrafted = handcraftedSettings(o.handcrafted);
  if (o.deepInputSize) out.preprocess = { inputSize: [o.deepInputSize, o.deepInputSize, o.deepInputSize] };
  return out;
}

/** Resolved handcrafted settings of a choice; a parameter file's settings are validated (SETTINGS_INVALID). */
export function handcraftedSettings(h: NonNullable<ExtractionOptions["handcrafted"]>): RadiomicsSettings {
  if (h.mode === "pyradiomics") return paperHandcraftedSettings();
  const s = h.mode === "ibsi" ? resolveSettings({ mode: "ibsi" }) : resolveSettings(parsePyradiomicsParams(h.params));
  // the regions are built as 0/1 masks (tumour, shell), whatever label the ROI file used
  if (s.label !== 1)
    throw new NacError(
      "SETTINGS_INVALID",
      `the parameter file sets label ${s.label}: the extraction's region masks are labelled 1`,
    );
  return s;
}
