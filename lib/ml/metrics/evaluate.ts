import { aucWithCi } from "./auc";
import { brierScore, calibration } from "./calibration";
import { thresholdMetrics } from "./threshold-metrics";

/** Every metric the protocol reports for one test partition. */
export interface BinaryMetrics {
  n: number;
  nPositive: number;
  balancedAccuracy: number;
  sensitivity: number;
  specificity: number;
  accuracy: number;
  f1: number;
  auc: number;
  aucCiLower: number;
  aucCiUpper: number;
  brier: number;
  calibrationIntercept: number;
  /** null when the classes are separated by the predictions (no finite slope). */
  calibrationSlope: number | null;
}

export const METRIC_NAMES = [
  "balancedAccuracy",
  "sensitivity",
  "specificity",
  "auc",
  "accuracy",
  "f1",
  "brier",
  "calibrationIntercept",
  "calibrationSlope",
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export function evaluateBinary(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  threshold = 0.5,
  ciLevel = 0.95,
): BinaryMetrics {
  const t = thresholdMetrics(y, p, threshold);
  const a = aucWithCi(y, p, ciLevel);
  const c = calibration(y, p);
  return {
    n: y.length,
    nPositive: t.tp + t.fn,
    balancedAccuracy: t.balancedAccuracy,
    sensitivity: t.sensitivity,
    specificity: t.specificity,
    accuracy: t.accuracy,
    f1: t.f1,
    auc: a.auc,
    aucCiLower: a.ciLower,
    aucCiUpper: a.ciUpper,
    brier: brierScore(y, p),
    calibrationIntercept: c.intercept,
    calibrationSlope: c.slope,
  };
}
