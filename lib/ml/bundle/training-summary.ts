import { NacError } from "../../errors";
import type { Matrix } from "../matrix";

/** Distribution of one raw input feature in the training data, for out-of-distribution checks at prediction. */
export interface FeatureSummary {
  /** Rows with a value. */
  n: number;
  missing: number;
  min: number;
  max: number;
  mean: number;
  /** Sample SD (n − 1); 0 with one value. */
  sd: number;
  /** Quantiles by linear interpolation between order statistics (numpy's default, Hyndman–Fan type 7). */
  q05: number;
  q25: number;
  q50: number;
  q75: number;
  q95: number;
}

function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function summariseFeatures(X: Matrix, names: string[]): Record<string, FeatureSummary> {
  if (names.length !== X.cols) throw new NacError("DATA_INVALID", `${X.cols} columns but ${names.length} names`);
  const out: Record<string, FeatureSummary> = {};
  const buf = new Float64Array(X.rows);
  for (let c = 0; c < X.cols; c++) {
    let m = 0;
    for (let r = 0; r < X.rows; r++) {
      const v = X.data[r * X.cols + c];
      if (!Number.isNaN(v)) buf[m++] = v;
    }
    if (m === 0) throw new NacError("DATA_INVALID", `feature ${names[c]} has no value in the training data`);
    const s = buf.slice(0, m).sort();
    let sum = 0;
    for (let i = 0; i < m; i++) sum += s[i];
    const mean = sum / m;
    let ss = 0;
    for (let i = 0; i < m; i++) ss += (s[i] - mean) ** 2;
    out[names[c]] = {
      n: m,
      missing: X.rows - m,
      min: s[0],
      max: s[m - 1],
      mean,
      sd: m > 1 ? Math.sqrt(ss / (m - 1)) : 0,
      q05: quantile(s, 0.05),
      q25: quantile(s, 0.25),
      q50: quantile(s, 0.5),
      q75: quantile(s, 0.75),
      q95: quantile(s, 0.95),
    };
  }
  return out;
}
