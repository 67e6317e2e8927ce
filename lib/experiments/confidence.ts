/**
 * Confidence intervals of a metric's mean over repeated random train/test partitions.
 *
 * The partitions share patients, so the plain t interval (SD/√J) is far too narrow. We use the corrected resampled t
 * interval of Nadeau & Bengio (2003) (also Bouckaert & Frank 2004): variance (1/J + n_test/n_train)·s², t with J−1
 * degrees of freedom. It is the standard correction for this design; it remains approximate (it assumes the
 * correlation between partitions is n_test/n).
 */
import { NacError } from "../errors";
import { fPValue1 } from "../ml/selection/p-values";

/** Two-sided Student t quantile: t such that P(|T_df| > t) = 1 − level. */
export function tQuantile(level: number, df: number): number {
  if (!(level > 0 && level < 1)) throw new NacError("SETTINGS_INVALID", `confidence level ${level} is not in (0, 1)`);
  if (!(df >= 1)) throw new NacError("DATA_INVALID", `t quantile needs df >= 1, got ${df}`);
  const alpha = 1 - level;
  let lo = 0;
  let hi = 1;
  while (fPValue1(hi * hi, df) > alpha) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (fPValue1(mid * mid, df) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * Corrected resampled t interval of the mean of `j` partition values with sample SD `sd`; null for fewer than two
 * partitions. `bounds` clips to a metric's range (e.g. [0, 1]).
 */
export function correctedResampledCi(
  mean: number,
  sd: number,
  j: number,
  nTest: number,
  nTrain: number,
  level: number,
  bounds?: [number, number],
): Interval | null {
  if (j < 2) return null;
  const half = tQuantile(level, j - 1) * Math.sqrt((1 / j + nTest / nTrain) * sd * sd);
  let lower = mean - half;
  let upper = mean + half;
  if (bounds) {
    lower = Math.max(bounds[0], lower);
    upper = Math.min(bounds[1], upper);
  }
  return { lower, upper };
}
