/** IBSI intensity-based statistical features (stat_*) of the intensity-mask voxel intensities. */
import { FeatureSet } from "./feature-set";
import { setDistributionFeatures } from "./descriptive";

export function intensityStatistics(values: Float64Array): FeatureSet {
  const f = new FeatureSet();
  setDistributionFeatures(f, "stat", values, "all intensities in the ROI are equal (zero variance)");
  let energy = 0;
  for (let i = 0; i < values.length; i++) energy += values[i] * values[i];
  f.set("stat_energy", energy);
  f.set("stat_rms", Math.sqrt(energy / values.length));
  return f;
}
