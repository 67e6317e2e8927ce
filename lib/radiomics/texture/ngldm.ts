/**
 * Neighbouring grey level dependence matrix (NGLDM) features, IBSI chapter 1 section 3.11, and pyradiomics' GLDM
 * (gldm.py), which is the same matrix: for each ROI voxel, the dependence k = 1 (the voxel itself) + the number of ROI
 * neighbours (Chebyshev distance d; in-plane for 2D) whose grey level differs by at most alpha.
 * IBSI: 2D = per-slice features averaged, 2.5D = slice matrices merged. pyradiomics: neighbours at infinity-norm
 * distance exactly d, absent grey levels and dependence counts removed, log2(p + eps) in the entropy.
 */
import { EPS, greyJFeatures, nanMean, oneTo, type GreyJFeatures } from "./matrix-features";
import { zoneSuffix } from "./aggregation-names";
import { presentLevels, reduceRowsCols } from "./levels";
import { chebyshevNeighbourhood, pyradiomicsAngles, roiBox } from "./neighbourhood";
import { padDeltas, paddedRoi, reach } from "./padded";
import type { DiscretisedRoi, TextureResult, ZoneAggregation } from "./types";

/** Dependence counts, layout [group][(level - 1) * nJ + (k - 1)] with nJ = number of neighbours + 1. */
export function ngldmCounts(
  roi: DiscretisedRoi,
  offsets: Int32Array,
  perSlice: boolean,
  alpha: number,
): { counts: Float64Array; nJ: number; nGroups: number } {
  const Ng = roi.nLevels;
  const p = paddedRoi(roi, reach(offsets));
  const nOff = offsets.length / 3;
  const nJ = nOff + 1;
  const delta = padDeltas(p, offsets);
  const nGroups = perSlice ? p.box.z1 - p.box.z0 + 1 : 1;
  const counts = new Float64Array(nGroups * Ng * nJ);
  const { lv, voxels, slice } = p;
  for (let k = 0; k < voxels.length; k++) {
    const i = voxels[k];
    const l = lv[i];
    let dep = 0;
    for (let d = 0; d < nOff; d++) {
      const lj = lv[i + delta[d]];
      if (lj !== 0 && Math.abs(lj - l) <= alpha) dep++;
    }
    counts[(perSlice ? slice[k] * Ng * nJ : 0) + (l - 1) * nJ + dep]++;
  }
  return { counts, nJ, nGroups };
}

const IBSI_NAMES: [string, keyof GreyJFeatures][] = [
  ["lde", "smallJ"], ["hde", "largeJ"], ["lgce", "lowGrey"], ["hgce", "highGrey"], ["ldlge", "smallJLowGrey"],
  ["ldhge", "smallJHighGrey"], ["hdlge", "largeJLowGrey"], ["hdhge", "largeJHighGrey"], ["glnu", "glnu"],
  ["glnu_norm", "glnuNorm"], ["dcnu", "jnu"], ["dcnu_norm", "jnuNorm"], ["dc_perc", "percentage"],
  ["gl_var", "glVar"], ["dc_var", "jVar"], ["dc_entr", "entropy"], ["dc_energy", "energy"],
];

export function computeNgldmIbsi(
  roi: DiscretisedRoi,
  aggregations: ZoneAggregation[],
  distance: number,
  alpha: number,
): TextureResult {
  const Ng = roi.nLevels;
  const iv = oneTo(Ng);
  const res: TextureResult = { values: {}, failures: {} };
  for (const agg of aggregations) {
    const twoD = agg !== "3D";
    const { counts, nJ, nGroups } = ngldmCounts(roi, chebyshevNeighbourhood(twoD, distance), agg === "2D", alpha);
    const cells = Ng * nJ;
    const mats: Float64Array[] = [];
    if (agg === "2.5D") {
      const m = new Float64Array(cells);
      for (let k = 0; k < counts.length; k++) m[k % cells] += counts[k];
      mats.push(m);
    } else {
      for (let g = 0; g < nGroups; g++) mats.push(counts.subarray(g * cells, (g + 1) * cells));
    }
    const jv = oneTo(nJ);
    const feats = mats
      .map((m) => {
        let nv = 0;
        for (let k = 0; k < cells; k++) nv += m[k];
        return greyJFeatures(m, Ng, nJ, iv, jv, nv, 0);
      })
      .filter((f) => f !== null);
    for (const [name, field] of IBSI_NAMES) {
      const tag = `ngl_${name}_${zoneSuffix(agg)}`;
      const v = nanMean(feats.map((f) => f[field]));
      if (Number.isNaN(v)) res.failures[tag] = "the dependence matrix is empty";
      else res.values[tag] = v;
    }
  }
  return res;
}

/** pyradiomics' GLDM (counts): rows = grey levels present, columns = dependence sizes present (`sizes`). */
export function pyradGldmMatrix(roi: DiscretisedRoi, opts: { distance: number | readonly number[]; alpha: number; force2D: boolean }) {
  const box = roiBox(roi);
  const angles = pyradiomicsAngles(box, opts.distance, true, opts.force2D);
  const { counts, nJ } = ngldmCounts(roi, angles, false, opts.alpha);
  const { gv, index } = presentLevels(roi);
  return reduceRowsCols(counts, roi.nLevels, nJ, gv, index);
}

const PYRAD_NAMES: [string, keyof GreyJFeatures][] = [
  ["SmallDependenceEmphasis", "smallJ"], ["LargeDependenceEmphasis", "largeJ"], ["GrayLevelNonUniformity", "glnu"],
  ["DependenceNonUniformity", "jnu"], ["DependenceNonUniformityNormalized", "jnuNorm"],
  ["GrayLevelVariance", "glVar"], ["DependenceVariance", "jVar"], ["DependenceEntropy", "entropy"],
  ["LowGrayLevelEmphasis", "lowGrey"], ["HighGrayLevelEmphasis", "highGrey"],
  ["SmallDependenceLowGrayLevelEmphasis", "smallJLowGrey"], ["SmallDependenceHighGrayLevelEmphasis", "smallJHighGrey"],
  ["LargeDependenceLowGrayLevelEmphasis", "largeJLowGrey"], ["LargeDependenceHighGrayLevelEmphasis", "largeJHighGrey"],
];
export const PYRAD_GLDM_FEATURES = PYRAD_NAMES.map(([n]) => n);

export function computeGldmPyradiomics(
  roi: DiscretisedRoi,
  opts: { distance: number | readonly number[]; alpha: number; force2D: boolean; prefix: string },
): TextureResult {
  const { grayLevels, sizes, matrix } = pyradGldmMatrix(roi, opts);
  const f = greyJFeatures(matrix, grayLevels.length, sizes.length, grayLevels, sizes, roiBox(roi).count, EPS);
  const res: TextureResult = { values: {}, failures: {} };
  for (const [name, field] of PYRAD_NAMES) {
    const key = `${opts.prefix}_gldm_${name}`;
    if (!f) res.failures[key] = "the dependence matrix is empty";
    else res.values[key] = f[field];
  }
  return res;
}
