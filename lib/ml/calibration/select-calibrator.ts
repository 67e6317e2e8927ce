import { NacError } from "../../errors";
import { logLoss } from "../metrics/ece";
import { stratifiedKFold } from "../protocol/partitions";
import type { CalibrationMapJson, CalibrationMethod, ProbabilityCalibrator } from "./calibrator";
import { IsotonicCalibrator } from "./isotonic";
import { PlattCalibrator } from "./platt";

export const CALIBRATION_METHODS: CalibrationMethod[] = ["platt", "isotonic"];

export function makeCalibrator(method: CalibrationMethod): ProbabilityCalibrator {
  return method === "platt" ? new PlattCalibrator() : new IsotonicCalibrator();
}

export function calibratorFromJson(j: CalibrationMapJson): ProbabilityCalibrator {
  if (j.method === "platt") return PlattCalibrator.fromJson(j);
  if (j.method === "isotonic") return IsotonicCalibrator.fromJson(j);
  throw new NacError("MODEL_INVALID", `unknown calibration method ${(j as { method?: unknown }).method}`);
}

export interface CalibratorChoice {
  method: CalibrationMethod;
  /** The chosen map, fitted on all the given out-of-fold predictions. */
  map: CalibrationMapJson;
  /** Cross-validated log loss of each candidate map on the out-of-fold predictions (lower is better). */
  logLoss: Record<CalibrationMethod, number>;
  /** Log loss of the uncalibrated out-of-fold predictions, for reference. */
  uncalibratedLogLoss: number;
}

/**
 * Chooses between Platt scaling and isotonic regression by log loss, itself cross-validated: each candidate is fitted
 * on `folds` − 1 folds of the (out-of-fold) predictions and scored on the remaining fold, so isotonic regression's
 * flexibility is not rewarded for fitting noise. Ties go to Platt (two parameters). The chosen method is then
 * refitted on all the predictions.
 */
export function chooseCalibrator(
  p: ArrayLike<number>,
  y: Uint8Array,
  o: { folds: number; seed: number; methods?: CalibrationMethod[] },
): CalibratorChoice {
  const methods = o.methods ?? CALIBRATION_METHODS;
  if (!methods.length) throw new NacError("SETTINGS_INVALID", "calibration: no method to choose from");
  const splits = stratifiedKFold(y, o.folds, o.seed);
  const scores = {} as Record<CalibrationMethod, number>;
  for (const m of methods) {
    const pred = new Float64Array(y.length);
    for (const { train, test } of splits) {
      const c = makeCalibrator(m).fit(
        train.map((i) => p[i]),
        train.map((i) => y[i]),
      );
      const q = c.predict(test.map((i) => p[i]));
      test.forEach((i, k) => (pred[i] = q[k]));
    }
    scores[m] = logLoss(y, pred);
  }
  const method = methods.reduce((best, m) => (scores[m] < scores[best] ? m : best), methods[0]);
  return {
    method,
    map: makeCalibrator(method).fit(p, y).toJson(),
    logLoss: scores,
    uncalibratedLogLoss: logLoss(y, p),
  };
}
