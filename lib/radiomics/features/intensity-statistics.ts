/** IBSI intensity-based statistical features (stat_*) of the intensity-mask voxel intensities. */
import { FeatureSet } from "./feature-set";
import { meanAbsDeviation, moments, percentileSorted, robustMeanAbsDeviation, sortedCopy } from "./descriptive";

export function intensityStatistics(values: Float64Array): FeatureSet {
  const f = new FeatureSet();
  const sorted = sortedCopy(values);
  const m = moments(values);
  const p10 = percentileSorted(sorted, 10),
    p25 = percentileSorted(sorted, 25),
    p75 = percentileSorted(sorted, 75);
  const p90 = percentileSorted(sorted, 90),
    median = percentileSorted(sorted, 50);
  const flat = m.m2 === 0 ? "all intensities in the ROI are equal (zero variance)" : null;
  f.set("stat_mean", m.mean);
  f.set("stat_var", m.m2);
  f.setOrFail("stat_skew", m.m3 / Math.pow(m.m2, 1.5), flat);
  f.setOrFail("stat_kurt", m.m4 / (m.m2 * m.m2) - 3, flat);
  f.set("stat_median", median);
  f.set("stat_min", sorted[0]);
  f.set("stat_p10", p10);
  f.set("stat_p90", p90);
  f.set("stat_max", sorted[sorted.length - 1]);
  f.set("stat_iqr", p75 - p25);
  f.set("stat_range", sorted[sorted.length - 1] - sorted[0]);
  f.set("stat_mad", meanAbsDeviation(values, m.mean));
  f.set("stat_rmad", robustMeanAbsDeviation(values, p10, p90));
  f.set("stat_medad", meanAbsDeviation(values, median));
  f.setOrFail("stat_cov", Math.sqrt(m.m2) / m.mean, m.mean === 0 ? "mean intensity is zero" : null);
  f.setOrFail("stat_qcod", (p75 - p25) / (p75 + p25), p75 + p25 === 0 ? "p25 + p75 is zero" : null);
  let energy = 0;
  for (let i = 0; i < values.length; i++) energy += values[i] * values[i];
  f.set("stat_energy", energy);
  f.set("stat_rms", Math.sqrt(energy / values.length));
  return f;
}
