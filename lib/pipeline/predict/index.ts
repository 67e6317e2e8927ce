/**
 * Predict: the active model bundle + a patient's series, latest ROIs and latest clinical
 * record -> both endpoints' probabilities, spread across partition models, top TreeSHAP contributions in words,
 * warnings and full provenance; stored as a `predictions` row with its audit event in one transaction.
 *
 * One step per file: select-inputs (which series, ROI and clinical versions), gather-features (feature cache or
 * extraction), completeness (required inputs), inputs-used (what the prediction used, in the patient's terms), warnings
 * (inputs and model), score (endpoints), provenance (stored inputs and hash), persist. verify.ts replays a stored one.
 */
import { NacError } from "../../errors";
import { caseFeatureSpecHash } from "../case-features";
import { loadActiveBundleOrThrow } from "../active-bundle";
import { missingRequiredInputs, requiredInputsOf } from "./completeness";
import { gatherFeatures, resolveEncoder } from "./gather-features";
import { describeInputsUsed } from "./inputs-used";
import { storeFeatureSets, storePrediction } from "./persist";
import { engineVersions, predictionInputs, provenanceHashOf } from "./provenance";
import { checkInputAcquisition } from "./acquisition-check";
import { scoreEndpoints } from "./score";
import { findSimilarCases } from "./similar-cases";
import { selectLatestInputs } from "./select-inputs";
import type { PredictDeps, PredictionResult, PredictUser } from "./types";
import { missingInputWarnings, modelWarnings } from "./warnings";
import { modelLabel } from "../../ml/bundle/model-label";

export type { EndpointResult, PredictDeps, PredictionResult } from "./types";
export type { InputsUsed, SeriesUsed } from "./inputs-used";
export type { CaseFeatureSpec } from "../case-features";
export { TOP_CONTRIBUTIONS } from "./score";

export interface PredictOptions {
  /** Refuse (PREDICTION_INCOMPLETE) when the patient lacks a required input; the user's "predict anyway" clears it. */
  requireComplete?: boolean;
}

export async function predictPatient(
  deps: PredictDeps,
  patientId: string,
  user: PredictUser,
  o: PredictOptions = {},
): Promise<PredictionResult> {
  const t0 = performance.now();
  const bundle = await loadActiveBundleOrThrow(deps);
  const { row: bundleRow, lb, spec } = bundle;
  const tBundle = performance.now();

  const inputs = await selectLatestInputs(deps, spec, patientId);
  const required = requiredInputsOf(bundle);
  const incomplete = missingRequiredInputs(required, inputs);
  if (incomplete.length && o.requireComplete) {
    throw new NacError("PREDICTION_INCOMPLETE", `the model needs inputs this patient lacks: ${incomplete.join("; ")}`, {
      incomplete,
    });
  }
  const encoder = resolveEncoder(deps, spec);
  const gathered = await gatherFeatures(deps, spec, encoder, inputs);
  const tFeatures = performance.now();

  const inputsUsed = await describeInputsUsed(deps, spec, inputs, gathered.features, required, incomplete);
  const scored = scoreEndpoints(lb, gathered.features.values, gathered.features.missing);
  const acquisition = await checkInputAcquisition(deps, lb, inputs);
  const similarCases = findSimilarCases(lb, gathered.features.values);
  const warnings = [
    ...inputs.warnings,
    ...missingInputWarnings(gathered.features, inputs.clinicalRecord),
    ...scored.warnings,
    ...acquisition.warnings,
    ...modelWarnings(bundle, encoder),
  ];
  const tModel = performance.now();

  const engines = engineVersions();
  const stored = predictionInputs(gathered, inputs.clinicalRecord);
  const provenanceHash = provenanceHashOf(stored, bundleRow.sha256, engines, encoder);
  await storeFeatureSets(deps, gathered.toStore, gathered.used);
  const row = await storePrediction(deps, {
    patientId,
    bundle: bundleRow,
    inputs: stored,
    used: gathered.used,
    endpoints: scored.endpoints,
    inputsUsed,
    warnings,
    provenanceHash,
    user,
    extras: { similarCases, acquisition },
  });
  const tEnd = performance.now();

  const card = lb.bundle.modelCard;
  return {
    predictionId: row.id,
    createdAt: row.createdAt.toISOString(),
    model: {
      bundleId: bundleRow.bundleId,
      name: bundleRow.name,
      version: bundleRow.version,
      isDemo: bundleRow.isDemo,
      label: modelLabel(!!card.demo, card.title),
    },
    endpoints: scored.endpoints,
    inputsUsed,
    warnings,
    similarCases,
    acquisition,
    provenance: {
      provenanceHash,
      bundleSha256: bundleRow.sha256,
      caseFeatureSpecHash: caseFeatureSpecHash(spec),
      engines,
      featureSets: gathered.used,
      rois: gathered.rois,
      clinicalRecord: stored.clinicalRecord,
      encoder: encoder ? { backbone: encoder.backbone, sha256: encoder.sha256, label: encoder.label } : null,
    },
    timings: {
      totalMs: Math.round(tEnd - t0),
      bundleMs: Math.round(tBundle - t0),
      featuresMs: Math.round(tFeatures - tBundle),
      modelMs: Math.round(tModel - tFeatures),
      storeMs: Math.round(tEnd - tModel),
      featureSetsComputed: gathered.toStore.length,
      featureSetsCached: gathered.used.length - gathered.toStore.length,
    },
  };
}
