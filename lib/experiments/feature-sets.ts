/**
 * Feature sets as column selections of a feature table. Columns are classified by their names, as the case features
 * name them (lib/pipeline/case-features/): `ROLE.region.feature` with a deep feature named `<backbone>_NNN`,
 * clinical inputs `clinical.<var>`.
 */
import { NacError } from "../errors";
import { IMAGE_ROLES } from "../imaging/series/roles";

export const EXTRACTORS = ["handcrafted", "resnet10", "resnet18", "resnet34", "resnet50"] as const;
export type ExtractorName = (typeof EXTRACTORS)[number];
/** The image inputs a feature set draws on: series-role ids (lib/imaging/series/roles.ts). */
export const MODALITIES = IMAGE_ROLES;
export type Modality = (typeof MODALITIES)[number];
export const REGIONS = ["intra", "peri"] as const;
export type Region = (typeof REGIONS)[number];

export type ColumnKind =
  | { kind: "image"; extractor: ExtractorName; modality: Modality; region: Region }
  | { kind: "clinical" }
  | { kind: "other" };

const DEEP = /^(resnet(?:10|18|34|50))_\d+$/;

export function classifyColumn(name: string): ColumnKind {
  const m = /^(CE_T1|T2|CT)\.(intra|peri)\.(.+)$/.exec(name);
  if (m) {
    const deep = DEEP.exec(m[3]);
    return {
      kind: "image",
      extractor: deep ? (deep[1] as ExtractorName) : "handcrafted",
      modality: m[1] as Modality,
      region: m[2] as Region,
    };
  }
  return name.startsWith("clinical.") ? { kind: "clinical" } : { kind: "other" };
}

/** A feature set resolved to what it selects. */
export interface FeatureSetSelector {
  name: string;
  /** Image extractor, or "none" for a clinical-only set. */
  extractor: ExtractorName | "none";
  modalities: Modality[];
  regions: Region[];
  clinical: boolean;
}

const MODALITY_WORDS: Record<Modality, string> = { CE_T1: "CE-T1", T2: "T2", CT: "CT" };
const REGION_WORDS: Record<Region, string> = { intra: "tumour", peri: "shell" };

/** Stable, shell-safe name: `resnet34.CE_T1.intra+clinical`, `handcrafted.all.both`, `clinical`. */
export function featureSetName(s: Omit<FeatureSetSelector, "name">): string {
  if (s.extractor === "none") return "clinical";
  const mod =
    s.modalities.length === MODALITIES.length ? "all" : MODALITIES.filter((m) => s.modalities.includes(m)).join("+");
  const reg = s.regions.length === REGIONS.length ? "both" : s.regions[0];
  return `${s.extractor}.${mod}.${reg}${s.clinical ? "+clinical" : ""}`;
}

/** Words for tables and plots: "ResNet34 · CE-T1 · tumour · + clinical". */
export function featureSetLabel(s: Omit<FeatureSetSelector, "name">): string {
  if (s.extractor === "none") return "Clinical variables only";
  const ex = s.extractor === "handcrafted" ? "Handcrafted" : `ResNet${s.extractor.slice(6)}`;
  const mod =
    s.modalities.length === MODALITIES.length
      ? "CE-T1 + T2 + CT"
      : s.modalities.map((m) => MODALITY_WORDS[m]).join(" + ");
  const reg = s.regions.length === REGIONS.length ? "tumour + shell" : REGION_WORDS[s.regions[0]];
  return `${ex} · ${mod} · ${reg}${s.clinical ? " · + clinical" : ""}`;
}

/** Indices of the table columns a feature set selects, in table order. */
export function selectColumns(columns: readonly string[], s: FeatureSetSelector): number[] {
  const out: number[] = [];
  columns.forEach((c, i) => {
    const k = classifyColumn(c);
    if (
      k.kind === "clinical"
        ? s.clinical
        : k.kind === "image" &&
          k.extractor === s.extractor &&
          s.modalities.includes(k.modality) &&
          s.regions.includes(k.region)
    )
      out.push(i);
  });
  return out;
}

/** What a table offers: extractors, and per extractor the modalities and regions present. */
export function describeColumns(columns: readonly string[]) {
  const image = new Map<ExtractorName, { modalities: Set<Modality>; regions: Set<Region>; count: number }>();
  let clinical = 0;
  let other = 0;
  for (const c of columns) {
    const k = classifyColumn(c);
    if (k.kind === "clinical") clinical++;
    else if (k.kind === "other") other++;
    else {
      const e = image.get(k.extractor) ?? { modalities: new Set<Modality>(), regions: new Set<Region>(), count: 0 };
      e.modalities.add(k.modality);
      e.regions.add(k.region);
      e.count++;
      image.set(k.extractor, e);
    }
  }
  return {
    clinical,
    other,
    extractors: EXTRACTORS.filter((e) => image.has(e)).map((e) => ({
      extractor: e,
      count: image.get(e)!.count,
      modalities: MODALITIES.filter((m) => image.get(e)!.modalities.has(m)),
      regions: REGIONS.filter((r) => image.get(e)!.regions.has(r)),
    })),
  };
}

export function assertSelects(columns: readonly string[], s: FeatureSetSelector): number[] {
  const cols = selectColumns(columns, s);
  if (!cols.length) throw new NacError("DATA_INVALID", `feature set ${s.name} selects no column of the feature table`);
  return cols;
}
