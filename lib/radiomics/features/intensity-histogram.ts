/** IBSI intensity-histogram features (ih_*) of the discretised grey levels 1..nLevels of the intensity mask. */
import { FeatureSet } from "./feature-set";
import { meanAbsDeviation, moments, percentileSorted, robustMeanAbsDeviation, sortedCopy } from "./descriptive";

export function intensityHistogram(levels: Float64Array, nLevels: number): FeatureSet {
  const f = new FeatureSet();
  const n = levels.length;
  const sorted = sortedCopy(levels);
  const m = moments(levels);
  const p10 = percentileSorted(sorted, 10),
    p25 = percentileSorted(sorted, 25),
    p75 = percentileSorted(sorted, 75);
  const p90 = percentileSorted(sorted, 90),
    median = percentileSorted(sorted, 50);
  const flat = m.m2 === 0 ? "a single grey level in the ROI (zero variance)" : null;
  f.set("ih_mean", m.mean);
  f.set("ih_var", m.m2);
  f.setOrFail("ih_skew", m.m3 / Math.pow(m.m2, 1.5), flat);
  f.setOrFail("ih_kurt", m.m4 / (m.m2 * m.m2) - 3, flat);
  f.set("ih_median", median);
  f.set("ih_min", sorted[0]);
  f.set("ih_p10", p10);
  f.set("ih_p90", p90);
  f.set("ih_max", sorted[n - 1]);

  const hist = new Float64Array(nLevels + 1); // index = grey level
  for (let i = 0; i < n; i++) hist[levels[i]]++;
  let mode = 1;
  for (let g = 2; g <= nLevels; g++) if (hist[g] > hist[mode]) mode = g;
  f.set("ih_mode", mode);
  f.set("ih_iqr", p75 - p25);
  f.set("ih_range", sorted[n - 1] - sorted[0]);
  f.set("ih_mad", meanAbsDeviation(levels, m.mean));
  f.set("ih_rmad", robustMeanAbsDeviation(levels, p10, p90));
  f.set("ih_medad", meanAbsDeviation(levels, median));
  f.setOrFail("ih_cov", Math.sqrt(m.m2) / m.mean, null);
  f.setOrFail("ih_qcod", (p75 - p25) / (p75 + p25), null);
  let entropy = 0,
    uniformity = 0;
  for (let g = 1; g <= nLevels; g++) {
    const p = hist[g] / n;
    if (p > 0) entropy -= p * Math.log2(p);
    uniformity += p * p;
  }
  f.set("ih_entropy", entropy);
  f.set("ih_uniformity", uniformity);
  if (nLevels < 2) {
    for (const k of ["ih_max_grad", "ih_max_grad_g", "ih_min_grad", "ih_min_grad_g"])
      f.fail(k, "histogram gradient needs at least two grey levels");
  } else {
    // First-order differences at the ends, central differences inside (IBSI).
    let maxG = -Infinity,
      maxAt = 1,
      minG = Infinity,
      minAt = 1;
    for (let g = 1; g <= nLevels; g++) {
      const grad =
        g === 1 ? hist[2] - hist[1] : g === nLevels ? hist[g] - hist[g - 1] : (hist[g + 1] - hist[g - 1]) / 2;
      if (grad > maxG) {
        maxG = grad;
        maxAt = g;
      }
      if (grad < minG) {
        minG = grad;
        minAt = g;
      }
    }
    f.set("ih_max_grad", maxG);
    f.set("ih_max_grad_g", maxAt);
    f.set("ih_min_grad", minG);
    f.set("ih_min_grad_g", minAt);
  }
  return f;
}
