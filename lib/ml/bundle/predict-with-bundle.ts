import { NacError } from "../../errors";
import { makeMatrix, selectColumns, type Matrix } from "../matrix";
import { meanSd } from "../metrics/summary";
import { applyPreprocessor } from "../protocol/preprocess";
import type { FittedModel } from "../protocol/model-record";
import type { LoadedBundle } from "./load-bundle";
import type { BundleEndpoint } from "./schema";

/** Feature values by name; null / undefined / NaN = missing (imputed with the training median). */
export type FeatureRow = Record<string, number | null | undefined>;

export interface OutOfRangeWarning {
  feature: string;
  /** "missing": no value (imputed); "below"/"above": outside the training [min, max]. */
  kind: "missing" | "below" | "above";
  value: number | null;
  trainingMin: number;
  trainingMax: number;
  /** Whether the final model uses this feature. */
  usedByFinalModel: boolean;
}

export interface BundlePrediction {
  endpoint: string;
  /** Final model's probability of the positive class, through its calibration map when the bundle has one. */
  probability: number;
  /** The classifier's own probability before the calibration map (equal to `probability` when uncalibrated). */
  uncalibratedProbability: number;
  /** The final model's calibration map, or null: "uncalibrated" (every schema-1 bundle). */
  calibration: { method: "platt" | "isotonic" } | null;
  /** The probability from each partition model (each trained on a different 80 % of the data), each through its map. */
  partitionProbabilities: number[];
  /** Spread of the partition probabilities: a rough indication of model instability for this patient. */
  spread: { sd: number; min: number; max: number };
  /**
   * Additive contributions of the final model's features on the log-odds scale (TreeSHAP for XGBoost,
   * coefficient × value for logistic); `bias` + Σ contribution = logit(uncalibratedProbability).
   */
  contributions: { features: { feature: string; value: number | null; contribution: number }[]; bias: number } | null;
  outOfRange: OutOfRangeWarning[];
  /** Names given in the row that the endpoint does not use. */
  ignoredFeatures: string[];
}

function resolveEndpoint(lb: LoadedBundle, endpoint?: string): [string, BundleEndpoint] {
  const names = Object.keys(lb.bundle.endpoints);
  const name = endpoint ?? (names.length === 1 ? names[0] : undefined);
  if (!name) throw new NacError("BAD_REQUEST", `bundle has endpoints ${names.join(", ")}: name one`);
  const e = lb.bundle.endpoints[name];
  if (!e) throw new NacError("NOT_FOUND", `bundle has no endpoint "${name}" (has ${names.join(", ")})`);
  return [name, e];
}

function rawValue(row: FeatureRow, f: string): number {
  const v = row[f];
  if (v === null || v === undefined || Number.isNaN(v)) return Number.NaN;
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new NacError("DATA_INVALID", `feature ${f}: value ${String(v)} is not a finite number`);
  return v;
}

function pipelineProba(
  model: FittedModel,
  pipe: BundleEndpoint["final"],
  featureNames: string[],
  X: Matrix,
): Float64Array {
  const Z = applyPreprocessor(pipe.preprocessor, X);
  const idx = pipe.selectedFeatures.map((f) => featureNames.indexOf(f));
  return model.predictProba(selectColumns(Z, idx));
}

/** Predicts one patient with the final model and every partition model of an endpoint. */
export function predictWithBundle(lb: LoadedBundle, row: FeatureRow, endpoint?: string): BundlePrediction {
  const [name, e] = resolveEndpoint(lb, endpoint);
  const models = lb.models[name];
  const X = makeMatrix(
    1,
    e.featureNames.length,
    Float64Array.from(e.featureNames, (f) => rawValue(row, f)),
  );
  const cal = lb.calibrators[name];
  const calibrated = (c: { predict(p: number[]): Float64Array } | null | undefined, p: number) =>
    c ? c.predict([p])[0] : p;
  const uncalibratedProbability = pipelineProba(models.final, e.final, e.featureNames, X)[0];
  const probability = calibrated(cal?.final, uncalibratedProbability);
  const partitionProbabilities = e.partitions.map((p, i) =>
    calibrated(cal?.partitions[i], pipelineProba(models.partitions[i], p.pipeline, e.featureNames, X)[0]),
  );
  const s = meanSd(partitionProbabilities);

  let contributions: BundlePrediction["contributions"] = null;
  if (models.final.contributions) {
    const idx = e.final.selectedFeatures.map((f) => e.featureNames.indexOf(f));
    const Z = selectColumns(applyPreprocessor(e.final.preprocessor, X), idx);
    const c = models.final.contributions(Z);
    contributions = {
      features: e.final.selectedFeatures.map((f, j) => ({
        feature: f,
        value: Number.isNaN(X.data[idx[j]]) ? null : X.data[idx[j]],
        contribution: c[j],
      })),
      bias: c[idx.length],
    };
  }

  const used = new Set(e.final.selectedFeatures);
  const outOfRange: OutOfRangeWarning[] = [];
  e.featureNames.forEach((f, c) => {
    const v = X.data[c];
    const t = e.trainingSummary[f];
    const base = { feature: f, trainingMin: t.min, trainingMax: t.max, usedByFinalModel: used.has(f) };
    if (Number.isNaN(v)) outOfRange.push({ ...base, kind: "missing", value: null });
    else if (v < t.min) outOfRange.push({ ...base, kind: "below", value: v });
    else if (v > t.max) outOfRange.push({ ...base, kind: "above", value: v });
  });
  const known = new Set(e.featureNames);
  return {
    endpoint: name,
    probability,
    uncalibratedProbability,
    calibration: e.final.calibration ? { method: e.final.calibration.method } : null,
    partitionProbabilities,
    spread: { sd: s.sd, min: s.min, max: s.max },
    contributions,
    outOfRange,
    ignoredFeatures: Object.keys(row).filter((f) => !known.has(f)),
  };
}

export { pipelineProba as bundlePipelineProba };
