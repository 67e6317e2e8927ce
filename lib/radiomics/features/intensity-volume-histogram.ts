/**
 * IBSI intensity-volume histogram features (ivh_*). The discretisation follows the manual's three cases:
 *  - "none"  (discrete calibrated data, e.g. CT in HU): X_d = X, interval 1, G = re-segmentation range (upper end
 *            max(X) when open) or [min X, max X];
 *  - "fbs"   (continuous calibrated data): bins of width w from X_min (re-segmentation lower bound, else min X),
 *            replaced by bin centres X_min + (bin - 0.5) w; G = [X_min + w/2, X_max - w/2], interval w;
 *  - "fbn"   (arbitrary units): levels 1..N_g over [min X, max X]; G = [1, N_g], interval 1.
 * nu(i) = fraction of voxels with X_d >= i; gamma(i) = (i - min G) / (max G - min G), evaluated on every point of G,
 * including intensities absent from the ROI.
 */
import { FeatureSet } from "./feature-set";
import { sortedCopy } from "./descriptive";

export type IvhDiscretisation =
  { method: "none" } | { method: "fbs"; binWidth: number } | { method: "fbn"; binCount: number };

export function intensityVolumeHistogram(
  values: Float64Array,
  disc: IvhDiscretisation,
  resegRange: [number, number] | null,
): FeatureSet {
  const f = new FeatureSet();
  const raw = sortedCopy(values);
  const n = raw.length;
  const minX = raw[0],
    maxX = raw[n - 1];
  let xd: Float64Array; // discretised intensities, ascending
  let gMin: number, gMax: number, step: number;
  if (disc.method === "none") {
    xd = raw;
    gMin = resegRange && Number.isFinite(resegRange[0]) ? resegRange[0] : minX;
    gMax = resegRange && Number.isFinite(resegRange[1]) ? resegRange[1] : maxX;
    step = 1;
  } else if (disc.method === "fbs") {
    const w = disc.binWidth;
    const lo = resegRange && Number.isFinite(resegRange[0]) ? resegRange[0] : minX;
    const hi = resegRange && Number.isFinite(resegRange[1]) ? resegRange[1] : maxX;
    xd = raw.map((x) => lo + (Math.floor((x - lo) / w) + 1 - 0.5) * w);
    gMin = lo + 0.5 * w;
    gMax = hi - 0.5 * w;
    step = w;
  } else {
    const ng = disc.binCount;
    const range = maxX - minX;
    xd = raw.map((x) => (range === 0 ? 1 : x >= maxX ? ng : Math.floor((ng * (x - minX)) / range) + 1));
    gMin = 1;
    gMax = ng;
    step = 1;
  }
  const nPoints = Math.round((gMax - gMin) / step) + 1;
  const at = (k: number) => gMin + k * step;
  // nu at grid point i: fraction of voxels with X_d >= i (binary search on the ascending X_d; tolerance for float grids).
  const nu = (i: number) => {
    const t = i - 1e-9 * Math.max(1, Math.abs(i));
    let lo = 0,
      hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (xd[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return (n - lo) / n;
  };
  const degenerate = nPoints < 2 || !(gMax > gMin) ? "the intensity range G holds a single intensity" : null;
  for (const x of [10, 90]) {
    const kx = Math.max(0, Math.ceil((x / 100) * (nPoints - 1) - 1e-9));
    f.setOrFail(`ivh_v${x}`, degenerate ? NaN : nu(at(kx)), degenerate);
    // Smallest grid intensity present in at most x% of the volume (nu is non-increasing).
    let lo = 0,
      hi = nPoints;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nu(at(mid)) <= x / 100 + 1e-12) hi = mid;
      else lo = mid + 1;
    }
    if (lo < nPoints) f.set(`ivh_i${x}`, at(lo));
    else f.fail(`ivh_i${x}`, `every intensity in G is present in more than ${x}% of the volume`);
  }
  if ("ivh_v10" in f.values && "ivh_v90" in f.values) f.set("ivh_diff_v10_v90", f.values.ivh_v10 - f.values.ivh_v90);
  else f.fail("ivh_diff_v10_v90", "V10 or V90 could not be computed");
  if ("ivh_i10" in f.values && "ivh_i90" in f.values) f.set("ivh_diff_i10_i90", f.values.ivh_i10 - f.values.ivh_i90);
  else f.fail("ivh_diff_i10_i90", "I10 or I90 could not be computed");
  if (nPoints < 2) {
    f.set("ivh_auc", 0);
  } else {
    let auc = 0;
    let prev = nu(at(0));
    for (let k = 1; k < nPoints; k++) {
      const cur = nu(at(k));
      auc += (prev + cur) / 2;
      prev = cur;
    }
    f.set("ivh_auc", auc / (nPoints - 1));
  }
  return f;
}
