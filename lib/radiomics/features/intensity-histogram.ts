/** IBSI intensity-histogram features (ih_*) of the discretised grey levels 1..nLevels of the intensity mask. */
import { FeatureSet } from "./feature-set";
import { setDistributionFeatures } from "./descriptive";

export function intensityHistogram(levels: Float64Array, nLevels: number): FeatureSet {
  const f = new FeatureSet();
  const n = levels.length;
  setDistributionFeatures(f, "ih", levels, "a single grey level in the ROI (zero variance)");

  const hist = new Float64Array(nLevels + 1); // index = grey level
  for (let i = 0; i < n; i++) hist[levels[i]]++;
  let mode = 1;
  for (let g = 2; g <= nLevels; g++) if (hist[g] > hist[mode]) mode = g;
  f.set("ih_mode", mode);
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
