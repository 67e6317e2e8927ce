/** Descriptive statistics shared by intensity statistics, the intensity histogram and pyradiomics' firstorder. */
import type { FeatureSet } from "./feature-set";

/** numpy.percentile with linear interpolation on an ascending-sorted array; p in [0, 100]. */
export function percentileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (p / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  return frac === 0 ? sorted[lo] : sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const s = Float64Array.from(values);
  s.sort();
  return s;
}

export interface Moments {
  n: number;
  mean: number;
  /** Central moments m2, m3, m4 with denominator n (population). */
  m2: number;
  m3: number;
  m4: number;
}

export function moments(values: ArrayLike<number>): Moments {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let m2 = 0,
    m3 = 0,
    m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return { n, mean, m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

export function meanAbsDeviation(values: ArrayLike<number>, centre: number): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.abs(values[i] - centre);
  return s / values.length;
}

/** Mean absolute deviation from the mean of the values within [p10, p90] (inclusive), as IBSI and pyradiomics. */
export function robustMeanAbsDeviation(values: ArrayLike<number>, p10: number, p90: number): number {
  let sum = 0,
    count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v >= p10 && v <= p90) {
      sum += v;
      count++;
    }
  }
  const mean = sum / count;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v >= p10 && v <= p90) s += Math.abs(v - mean);
  }
  return s / count;
}

/**
 * The distribution features IBSI defines alike for intensities (stat_*) and discretised grey levels (ih_*): mean,
 * variance, skewness, kurtosis, median, min, p10, p90, max, interquartile range, range, the three absolute
 * deviations, coefficient of variation and quartile coefficient of dispersion, set as `${prefix}_<name>`.
 * `flatReason` names why skewness and kurtosis fail when all values are equal.
 */
export function setDistributionFeatures(f: FeatureSet, prefix: string, values: Float64Array, flatReason: string): void {
  const sorted = sortedCopy(values);
  const m = moments(values);
  const p10 = percentileSorted(sorted, 10),
    p25 = percentileSorted(sorted, 25),
    p75 = percentileSorted(sorted, 75);
  const p90 = percentileSorted(sorted, 90),
    median = percentileSorted(sorted, 50);
  const flat = m.m2 === 0 ? flatReason : null;
  const min = sorted[0],
    max = sorted[sorted.length - 1];
  f.set(`${prefix}_mean`, m.mean);
  f.set(`${prefix}_var`, m.m2);
  f.setOrFail(`${prefix}_skew`, m.m3 / Math.pow(m.m2, 1.5), flat);
  f.setOrFail(`${prefix}_kurt`, m.m4 / (m.m2 * m.m2) - 3, flat);
  f.set(`${prefix}_median`, median);
  f.set(`${prefix}_min`, min);
  f.set(`${prefix}_p10`, p10);
  f.set(`${prefix}_p90`, p90);
  f.set(`${prefix}_max`, max);
  f.set(`${prefix}_iqr`, p75 - p25);
  f.set(`${prefix}_range`, max - min);
  f.set(`${prefix}_mad`, meanAbsDeviation(values, m.mean));
  f.set(`${prefix}_rmad`, robustMeanAbsDeviation(values, p10, p90));
  f.set(`${prefix}_medad`, meanAbsDeviation(values, median));
  f.setOrFail(`${prefix}_cov`, Math.sqrt(m.m2) / m.mean, m.mean === 0 ? "mean intensity is zero" : null);
  f.setOrFail(`${prefix}_qcod`, (p75 - p25) / (p75 + p25), p75 + p25 === 0 ? "p25 + p75 is zero" : null);
}
