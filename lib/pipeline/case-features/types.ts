/** Types of case features (lib/pipeline/case-features): the spec, blocks, inputs and the assembled row. */
import type { SeriesBlockWork } from "./blocks";
import type { Backbone } from "../../deep/architecture";
import type { DeepPooling } from "../../deep/extract";
import type { PreprocessOptions } from "../../deep/preprocess";
import type { EncoderSession } from "../../deep/runtime";
import type { ModelEntry } from "../../deep/models";
import type { ImageRole } from "../../imaging/series/roles";
import type { Mask, Volume } from "../../imaging/volume";
import type { RadiomicsSettings } from "../../radiomics/settings";

/** A case's image role: the series-role id of an image input (lib/imaging/series/roles.ts). */
export type CaseRole = ImageRole;
export type CaseRegion = "intra" | "peri";
export type Extractor = "radiomics" | "deep";
export type PeriShellMode = "centres" | "surface" | "surface-volume-matched";
/** A clinical variable's name (CLINICAL_ENCODINGS in clinical.ts). */
export type ClinicalVariable = string;

export interface CaseFeatureSpec {
  specVersion: 1;
  roles: CaseRole[];
  regions: CaseRegion[];
  /** Peritumoral shell thickness (mm): non-tumour voxels within this distance of the tumour (see periShellMode). */
  periMarginMm: number;
  /**
   * What the shell distance is measured from (lib/imaging/peritumoral.ts; accuracy of each in docs/PERITUMORAL.md):
   * "centres" = the nearest tumour voxel centre, "surface" = a sub-voxel estimate of the tumour surface,
   * "surface-volume-matched" = that estimate corrected between and beyond thick slices and matched to the tumour volume
   * (the default of new specs). Absent = "centres": specs (and bundles) written before this field measured from
   * centres, and must keep recomputing the same features; bundles keep whichever mode they name.
   */
  periShellMode?: PeriShellMode;
  /** Handcrafted radiomics: complete (resolved) settings, or null for none. */
  handcrafted: RadiomicsSettings | null;
  /** Deep features: encoder and preprocessing, or null for none. */
  /** Deep features: encoder, preprocessing, and the roles/regions it runs on (a subset keeps bundles small). */
  deep: {
    backbone: Backbone;
    preprocess: PreprocessOptions;
    pooling: DeepPooling;
    roles: CaseRole[];
    regions: CaseRegion[];
  } | null;
  clinical: ClinicalVariable[];
}

/** One unit of extraction work (and of caching). */
export interface FeatureBlock {
  role: CaseRole;
  region: CaseRegion;
  extractor: Extractor;
}

export interface DeepSessionRef {
  session: EncoderSession;
  entry?: ModelEntry;
}

export interface CaseFeatureContext {
  /** Encoder sessions by backbone (server: lib/deep/node/encoder openEncoder). Required when the spec has deep features. */
  deepSessions?: Partial<Record<Backbone, DeepSessionRef>>;
  /** Work shared by the blocks of one image and tumour mask (see SeriesBlockWork); absent = each block builds its own. */
  shared?: SeriesBlockWork;
}

/** A block's result: values by unprefixed feature name; failures by name (or "*" for the whole block). */
export interface BlockResult {
  values: Record<string, number>;
  failures: Record<string, string>;
  provenance: Record<string, unknown>;
}

export interface CaseSeriesInput {
  role: CaseRole;
  volume: Volume;
  tumour: Mask | null;
}

export interface CaseInput {
  series: CaseSeriesInput[];
  clinical: Record<string, unknown> | null;
}

export interface MissingFeature {
  /** A feature name, or a group pattern such as `T2.*` (no T2 series) or `CT.peri.*` (no value in that block). */
  name: string;
  reason: string;
}

export interface CaseFeatures {
  values: Record<string, number>;
  missing: MissingFeature[];
  provenance: {
    caseFeaturesVersion: string;
    specHash: string;
    blocks: Record<string, unknown>[];
    clinical: { present: boolean; encoded: string[] };
  };
}

/** Block outcome as given to assembleCaseFeatures: a result, or why there is none. */
export type BlockOutcome = { block: FeatureBlock; result: BlockResult } | { block: FeatureBlock; absent: string };
