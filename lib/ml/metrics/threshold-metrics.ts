import { checkBinaryInputs } from "./check-inputs";

export interface ThresholdMetrics {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  accuracy: number;
  /** Recall of class 1. */
  sensitivity: number;
  /** Recall of class 0. */
  specificity: number;
  balancedAccuracy: number;
  /** Precision of class 1; 0 when nothing is predicted positive (scikit-learn's zero_division=0). */
  precision: number;
  /** F1 of class 1; 0 when precision + recall = 0 (scikit-learn's zero_division=0). */
  f1: number;
}

/**
 * Confusion-matrix metrics at a probability threshold. A row is predicted positive when p > threshold (strictly),
 * as XGBoost's and scikit-learn's `predict` do at 0.5.
 */
export function thresholdMetrics(y: ArrayLike<number>, p: ArrayLike<number>, threshold = 0.5): ThresholdMetrics {
  checkBinaryInputs(y, p, "thresholdMetrics");
  let tp = 0,
    fp = 0,
    tn = 0,
    fn = 0;
  for (let i = 0; i < y.length; i++) {
    const pos = p[i] > threshold;
    if (y[i] === 1) {
      if (pos) tp++;
      else fn++;
    } else if (pos) fp++;
    else tn++;
  }
  const sensitivity = tp / (tp + fn);
  const specificity = tn / (tn + fp);
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const f1 = precision + sensitivity > 0 ? (2 * precision * sensitivity) / (precision + sensitivity) : 0;
  return {
    tp,
    fp,
    tn,
    fn,
    accuracy: (tp + tn) / y.length,
    sensitivity,
    specificity,
    balancedAccuracy: (sensitivity + specificity) / 2,
    precision,
    f1,
  };
}
