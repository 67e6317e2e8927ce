/** What Predict takes and returns; shared by its steps (lib/pipeline/predict/*), the route, the job and the UI. */
import type { PrismaClient } from "../../../generated/prisma/client";
import type { FileStore } from "../../storage/file-store";
import type { loadActiveBundleOrThrow } from "../active-bundle";
import type { AcquisitionCheck } from "./acquisition-check";
import type { SimilarCasesResult } from "./similar-cases";
import type { InputsUsed } from "./inputs-used";

export interface PredictDeps {
  prisma: PrismaClient;
  store: FileStore;
  /** Encoder registry directory (default: NAC_MODELS_DIR or ./models). */
  modelsDir?: string;
}

export interface PredictUser {
  id: string;
  username: string;
}

/** The model bundle a prediction is made with: its database row, the loaded bundle and its case feature spec. */
export type PredictBundle = Awaited<ReturnType<typeof loadActiveBundleOrThrow>>;

export interface EndpointResult {
  probability: number;
  spread: { mean: number; sd: number; min: number; max: number; n: number };
  /**
   * Top contributions (TreeSHAP, log-odds). `value` is the contribution, `input` the patient's model input (null when
   * imputed with the training median), `imputed` why the patient has no value (absent for the patient's own values).
   */
  contributions: { feature: string; words: string; value: number; input?: number | null; imputed?: string }[];
  /** The calibration map applied to the final model's probability; null = uncalibrated (e.g. a schema-1 bundle). */
  calibration?: "platt" | "isotonic" | null;
  /** The final model's probability before its calibration map (contributions add up to its log-odds). */
  uncalibratedProbability?: number;
}

export type Endpoints = { pcr: EndpointResult; response: EndpointResult };

export type FeatureSetUse = {
  id: string;
  role: string;
  region: string;
  extractor: string;
  contentHash: string;
  cached: boolean;
};
export type RoiUse = { role: string; seriesId: string; roiId: string; version: number };

export interface PredictionResult {
  predictionId: string;
  createdAt: string;
  model: { bundleId: string; name: string; version: string; isDemo: boolean; label: string };
  endpoints: Endpoints;
  /** What the prediction used in the patient's terms, and why it is incomplete if it is (absent in older predictions). */
  inputsUsed?: InputsUsed;
  warnings: string[];
  /** k nearest de-identified training cases per endpoint, when the bundle carries them. */
  similarCases?: SimilarCasesResult;
  /** Series acquisition parameters vs the bundle's training distribution. */
  acquisition?: AcquisitionCheck;
  provenance: {
    provenanceHash: string;
    bundleSha256: string;
    caseFeatureSpecHash: string;
    engines: Record<string, string>;
    featureSets: FeatureSetUse[];
    rois: RoiUse[];
    clinicalRecord: { id: string; version: number } | null;
    encoder: { backbone: string; sha256: string; label: string } | null;
  };
  timings: {
    totalMs: number;
    bundleMs: number;
    featuresMs: number;
    modelMs: number;
    storeMs: number;
    featureSetsComputed: number;
    featureSetsCached: number;
  };
}
