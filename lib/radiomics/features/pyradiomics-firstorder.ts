/** pyradiomics firstorder features (original_firstorder_*), pyradiomics 3.x definitions. */
import { FeatureSet } from "./feature-set";
import { meanAbsDeviation, moments, percentileSorted, robustMeanAbsDeviation, sortedCopy } from "./descriptive";

const EPS = 2.220446049250313e-16; // numpy.spacing(1), added inside log2 as pyradiomics does

export function pyradiomicsFirstorder(
  values: Float64Array,
  levels: Int32Array,
  voxelVolume: number,
  voxelArrayShift: number,
  prefix: string,
): FeatureSet {
  const f = new FeatureSet();
  const p = `${prefix}_firstorder_`;
  const n = values.length;
  const sorted = sortedCopy(values);
  const m = moments(values);
  const p10 = percentileSorted(sorted, 10),
    p90 = percentileSorted(sorted, 90);
  let energy = 0;
  for (let i = 0; i < n; i++) energy += (values[i] + voxelArrayShift) ** 2;
  f.set(`${p}Energy`, energy);
  f.set(`${p}TotalEnergy`, energy * voxelVolume);
  const counts = new Map<number, number>();
  for (let i = 0; i < levels.length; i++) counts.set(levels[i], (counts.get(levels[i]) ?? 0) + 1);
  let entropy = 0,
    uniformity = 0;
  for (const c of counts.values()) {
    const q = c / n;
    entropy -= q * Math.log2(q + EPS);
    uniformity += q * q;
  }
  f.set(`${p}Entropy`, entropy);
  f.set(`${p}Minimum`, sorted[0]);
  f.set(`${p}10Percentile`, p10);
  f.set(`${p}90Percentile`, p90);
  f.set(`${p}Maximum`, sorted[n - 1]);
  f.set(`${p}Mean`, m.mean);
  f.set(`${p}Median`, percentileSorted(sorted, 50));
  f.set(`${p}InterquartileRange`, percentileSorted(sorted, 75) - percentileSorted(sorted, 25));
  f.set(`${p}Range`, sorted[n - 1] - sorted[0]);
  f.set(`${p}MeanAbsoluteDeviation`, meanAbsDeviation(values, m.mean));
  f.set(`${p}RobustMeanAbsoluteDeviation`, robustMeanAbsDeviation(values, p10, p90));
  f.set(`${p}RootMeanSquared`, Math.sqrt(energy / n));
  // pyradiomics returns 0 for skewness and kurtosis of a flat region.
  f.set(`${p}Skewness`, m.m2 === 0 ? 0 : m.m3 / Math.pow(m.m2, 1.5));
  f.set(`${p}Kurtosis`, m.m2 === 0 ? 0 : m.m4 / (m.m2 * m.m2));
  f.set(`${p}Variance`, m.m2);
  f.set(`${p}StandardDeviation`, Math.sqrt(m.m2)); // deprecated in pyradiomics: emitted only when named
  f.set(`${p}Uniformity`, uniformity);
  return f;
}
