/**
 * Grey level size zone matrix (GLSZM) features, IBSI chapter 1 section 3.8 and pyradiomics' glszm.py.
 * Zones are 26-connected in 3D and 8-connected within a slice in 2D/2.5D (and with pyradiomics' force2D).
 * IBSI: 2D = per-slice matrices, features averaged over slices; 2.5D = slice matrices merged; 3D = volume matrix.
 * pyradiomics: grey levels absent from the ROI and zone sizes absent from the matrix removed, ZonePercentage over
 * the ROI voxel count, log2(p + eps) in the entropy.
 */
import { EPS, greyJFeatures, nanMean, oneTo, type GreyJFeatures } from "./matrix-features";
import { zoneSuffix } from "./aggregation-names";
import { identityRows, presentLevels } from "./levels";
import { paddedRoi } from "./padded";
import { roiBox } from "./neighbourhood";
import type { DiscretisedRoi, TextureResult, ZoneAggregation } from "./types";
import { voxelsPerGroup, zoneMatrices } from "./zone-matrix";
import { labelZones } from "./zones";

const IBSI_NAMES: [string, keyof GreyJFeatures][] = [
  ["sze", "smallJ"],
  ["lze", "largeJ"],
  ["lgze", "lowGrey"],
  ["hgze", "highGrey"],
  ["szlge", "smallJLowGrey"],
  ["szhge", "smallJHighGrey"],
  ["lzlge", "largeJLowGrey"],
  ["lzhge", "largeJHighGrey"],
  ["glnu", "glnu"],
  ["glnu_norm", "glnuNorm"],
  ["zsnu", "jnu"],
  ["zsnu_norm", "jnuNorm"],
  ["z_perc", "percentage"],
  ["gl_var", "glVar"],
  ["zs_var", "jVar"],
  ["zs_entr", "entropy"],
];

export function computeGlszmIbsi(roi: DiscretisedRoi, aggregations: ZoneAggregation[]): TextureResult {
  const box = roiBox(roi);
  const Ng = roi.nLevels;
  const iv = oneTo(Ng);
  const rows = identityRows(Ng);
  const res: TextureResult = { values: {}, failures: {} };
  for (const agg of aggregations) {
    const twoD = agg !== "3D";
    const zones = labelZones(roi, twoD);
    const nGroups = agg === "2D" ? box.z1 - box.z0 + 1 : 1;
    const mats = zoneMatrices(zones, rows, Ng, nGroups, zones.size);
    const nv = voxelsPerGroup(paddedRoi(roi, 1).sliceStart, nGroups);
    const feats = mats.map((m, g) => greyJFeatures(m.matrix, Ng, m.nJ, iv, m.jv, nv[g], 0)).filter((f) => f !== null);
    for (const [name, field] of IBSI_NAMES) {
      const tag = `szm_${name}_${zoneSuffix(agg)}`;
      const v = nanMean(feats.map((f) => f[field]));
      if (Number.isNaN(v)) res.failures[tag] = "no zones: the size zone matrix is empty";
      else res.values[tag] = v;
    }
  }
  return res;
}

/** pyradiomics' GLSZM (counts): rows = grey levels present, columns = zone sizes present (`sizes`). */
export function pyradGlszmMatrix(
  roi: DiscretisedRoi,
  force2D: boolean,
): { grayLevels: Float64Array; sizes: Float64Array; matrix: Float64Array } {
  const zones = labelZones(roi, force2D);
  const { gv, index } = presentLevels(roi);
  const [m] = zoneMatrices(zones, index, gv.length, 1, zones.size);
  return { grayLevels: gv, sizes: m.jv, matrix: m.matrix };
}

const PYRAD_NAMES: [string, keyof GreyJFeatures][] = [
  ["SmallAreaEmphasis", "smallJ"],
  ["LargeAreaEmphasis", "largeJ"],
  ["GrayLevelNonUniformity", "glnu"],
  ["GrayLevelNonUniformityNormalized", "glnuNorm"],
  ["SizeZoneNonUniformity", "jnu"],
  ["SizeZoneNonUniformityNormalized", "jnuNorm"],
  ["ZonePercentage", "percentage"],
  ["GrayLevelVariance", "glVar"],
  ["ZoneVariance", "jVar"],
  ["ZoneEntropy", "entropy"],
  ["LowGrayLevelZoneEmphasis", "lowGrey"],
  ["HighGrayLevelZoneEmphasis", "highGrey"],
  ["SmallAreaLowGrayLevelEmphasis", "smallJLowGrey"],
  ["SmallAreaHighGrayLevelEmphasis", "smallJHighGrey"],
  ["LargeAreaLowGrayLevelEmphasis", "largeJLowGrey"],
  ["LargeAreaHighGrayLevelEmphasis", "largeJHighGrey"],
];
export const PYRAD_GLSZM_FEATURES = PYRAD_NAMES.map(([n]) => n);

export function computeGlszmPyradiomics(
  roi: DiscretisedRoi,
  opts: { force2D: boolean; prefix: string },
): TextureResult {
  const { grayLevels, sizes, matrix } = pyradGlszmMatrix(roi, opts.force2D);
  const f = greyJFeatures(matrix, grayLevels.length, sizes.length, grayLevels, sizes, roiBox(roi).count, EPS);
  const res: TextureResult = { values: {}, failures: {} };
  for (const [name, field] of PYRAD_NAMES) {
    const key = `${opts.prefix}_glszm_${name}`;
    if (!f) res.failures[key] = "no zones: the size zone matrix is empty";
    else res.values[key] = f[field];
  }
  return res;
}
