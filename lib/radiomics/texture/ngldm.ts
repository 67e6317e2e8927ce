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

/** Dependence counts of ROI voxels kFrom..kTo (a slice, or all), layout [(level - 1) * nJ + (k - 1)], nJ = neighbours + 1. */
export function ngldmCounts(
  roi: DiscretisedRoi,
  offsets: Int32Array,
  alpha: number,
  kFrom = 0,
  kTo = -1,
): { counts: Float64Array; nJ: number } {
  const Ng = roi.nLevels;
  const p = paddedRoi(roi, reach(offsets));
  const nOff = offsets.length / 3;
  const nJ = nOff + 1;
  const delta = padDeltas(p, offsets);
  const counts = new Float64Array(Ng * nJ);
  const { lv, voxels } = p;
  const end = kTo < 0 ? voxels.length : kTo;
  for (let k = kFrom; k < end; k++) {
    const i = voxels[k];
    const l = lv[i];
    let dep = 0;
    for (let d = 0; d < nOff; d++) {
      const lj = lv[i + delta[d]];
      if (lj !== 0 && Math.abs(lj - l) <= alpha) dep++;
    }
    counts[(l - 1) * nJ + dep]++;
  }
  return { counts, nJ };
}

const IBSI_NAMES: [string, keyof GreyJFeatures][] = [
  ["lde", "smallJ"],
  ["hde", "largeJ"],
  ["lgce", "lowGrey"],
  ["hgce", "highGrey"],
  ["ldlge", "smallJLowGrey"],
  ["ldhge", "smallJHighGrey"],
  ["hdlge", "largeJLowGrey"],
  ["hdhge", "largeJHighGrey"],
  ["glnu", "glnu"],
  ["glnu_norm", "glnuNorm"],
  ["dcnu", "jnu"],
  ["dcnu_norm", "jnuNorm"],
  ["dc_perc", "percentage"],
  ["gl_var", "glVar"],
  ["dc_var", "jVar"],
  ["dc_entr", "entropy"],
  ["dc_energy", "energy"],
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
    const offsets = chebyshevNeighbourhood(twoD, distance);
    const nJ = offsets.length / 3 + 1;
    const cells = Ng * nJ;
    const jv = oneTo(nJ);
    const featuresOf = (m: Float64Array) => {
      let nv = 0;
      for (let k = 0; k < cells; k++) nv += m[k];
      return greyJFeatures(m, Ng, nJ, iv, jv, nv, 0);
    };
    // 2D: one matrix per slice (features computed as each is counted, so memory stays at one matrix); 2.5D: the merged
    // slice matrices = all voxels with in-plane neighbourhoods; 3D: the volume.
    const feats: GreyJFeatures[] = [];
    const add = (f: GreyJFeatures | null) => {
      if (f) feats.push(f);
    };
    if (agg === "2D") {
      const { sliceStart } = paddedRoi(roi, distance);
      for (let sl = 0; sl + 1 < sliceStart.length; sl++) {
        if (sliceStart[sl + 1] > sliceStart[sl])
          add(featuresOf(ngldmCounts(roi, offsets, alpha, sliceStart[sl], sliceStart[sl + 1]).counts));
      }
    } else {
      add(featuresOf(ngldmCounts(roi, offsets, alpha).counts));
    }
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
export function pyradGldmMatrix(
  roi: DiscretisedRoi,
  opts: { distance: number | readonly number[]; alpha: number; force2D: boolean },
) {
  const box = roiBox(roi);
  const angles = pyradiomicsAngles(box, opts.distance, true, opts.force2D);
  const { counts, nJ } = ngldmCounts(roi, angles, opts.alpha);
  const { gv, index } = presentLevels(roi);
  return reduceRowsCols(counts, roi.nLevels, nJ, gv, index);
}

const PYRAD_NAMES: [string, keyof GreyJFeatures][] = [
  ["SmallDependenceEmphasis", "smallJ"],
  ["LargeDependenceEmphasis", "largeJ"],
  ["GrayLevelNonUniformity", "glnu"],
  ["DependenceNonUniformity", "jnu"],
  ["DependenceNonUniformityNormalized", "jnuNorm"],
  ["GrayLevelVariance", "glVar"],
  ["DependenceVariance", "jVar"],
  ["DependenceEntropy", "entropy"],
  ["LowGrayLevelEmphasis", "lowGrey"],
  ["HighGrayLevelEmphasis", "highGrey"],
  ["SmallDependenceLowGrayLevelEmphasis", "smallJLowGrey"],
  ["SmallDependenceHighGrayLevelEmphasis", "smallJHighGrey"],
  ["LargeDependenceLowGrayLevelEmphasis", "largeJLowGrey"],
  ["LargeDependenceHighGrayLevelEmphasis", "largeJHighGrey"],
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
