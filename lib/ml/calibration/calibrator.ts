import { NacError } from "../../errors";
import { LOGIT_EPS } from "../metrics/calibration";

/**
 * A probability calibration map, scikit-learn-style (fit / predict with explicit fitted state): fitted on
 * (uncalibrated probability, 0/1 outcome) pairs that the model did not train on (out-of-fold predictions), it maps a
 * model's probability to a calibrated one. Both maps work on the score s = logit(p) (p clipped to [1e-12, 1 − 1e-12]),
 * as scikit-learn's CalibratedClassifierCV does on a classifier's decision function.
 */
export interface ProbabilityCalibrator {
  fit(p: ArrayLike<number>, y: ArrayLike<number>): this;
  /** Calibrated probability for each uncalibrated probability. */
  predict(p: ArrayLike<number>): Float64Array;
  toJson(): CalibrationMapJson;
  /** An unfitted copy. */
  clone(): ProbabilityCalibrator;
}

export type CalibrationMethod = "platt" | "isotonic";

/** Platt: calibrated = 1 / (1 + exp(a·s + b)) with s = logit(p) (Platt's sign convention, as scikit-learn). */
export interface PlattMapJson {
  method: "platt";
  a: number;
  b: number;
}

/**
 * Isotonic: a non-decreasing step-linear function of s through (xThresholds, yThresholds), constant beyond the first
 * and last threshold (scikit-learn IsotonicRegression(out_of_bounds="clip")).
 */
export interface IsotonicMapJson {
  method: "isotonic";
  xThresholds: number[];
  yThresholds: number[];
}

export type CalibrationMapJson = PlattMapJson | IsotonicMapJson;

export function scoreOf(p: number): number {
  if (!Number.isFinite(p) || p < 0 || p > 1)
    throw new NacError("DATA_INVALID", `calibration: ${p} is not a probability`);
  const q = Math.min(1 - LOGIT_EPS, Math.max(LOGIT_EPS, p));
  return Math.log(q / (1 - q));
}

export function checkCalibrationInputs(p: ArrayLike<number>, y: ArrayLike<number>, what: string): void {
  if (p.length !== y.length)
    throw new NacError("DATA_INVALID", `${what}: ${p.length} probabilities but ${y.length} labels`);
  if (p.length === 0) throw new NacError("DATA_INVALID", `${what}: no data`);
  for (let i = 0; i < y.length; i++)
    if (y[i] !== 0 && y[i] !== 1)
      throw new NacError("DATA_INVALID", `${what}: label at ${i} is ${y[i]}, expected 0 or 1`);
}
