/**
 * What a prediction used, as stored with it (`predictions.inputs`), and its provenance hash: the inputs, the bundle's
 * sha256, the engine versions and the encoder's sha256. Same inputs and code -> same hash.
 */
import type { ClinicalRecord } from "../../../generated/prisma/client";
import type { ModelEntry } from "../../deep/models";
import { canonicalJson } from "../../hash/canonical-json";
import { ENGINE_NAME as RADIOMICS_ENGINE, ENGINE_VERSION as RADIOMICS_VERSION } from "../../radiomics/version";
import { sha256Hex } from "../../storage/file-store";
import { CASE_FEATURES_VERSION, DEEP_ENGINE_VERSION } from "../case-features";
import type { GatheredFeatures } from "./gather-features";

export function engineVersions(): Record<string, string> {
  return {
    radiomics: `${RADIOMICS_ENGINE}@${RADIOMICS_VERSION}`,
    deep: `nacpredict-deep@${DEEP_ENGINE_VERSION}`,
    caseFeatures: CASE_FEATURES_VERSION,
  };
}

export function predictionInputs(gathered: GatheredFeatures, clinicalRecord: ClinicalRecord | null) {
  return {
    features: gathered.features.values,
    missing: gathered.features.missing,
    featureSets: gathered.used.map((u) => u.contentHash),
    rois: gathered.rois,
    clinicalRecord: clinicalRecord ? { id: clinicalRecord.id, version: clinicalRecord.version } : null,
  };
}
export type StoredPredictionInputs = ReturnType<typeof predictionInputs>;

export function provenanceHashOf(
  inputs: StoredPredictionInputs,
  bundleSha256: string,
  engines: Record<string, string>,
  encoder: ModelEntry | null,
): string {
  return sha256Hex(canonicalJson({ inputs, bundleSha256, engines, encoderSha256: encoder?.sha256 ?? null }));
}
