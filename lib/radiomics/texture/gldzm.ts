/**
 * Grey level distance zone matrix (GLDZM) features, IBSI chapter 1 section 3.9 (IBSI only: pyradiomics has none).
 * Zones as for the GLSZM (intensity mask); a zone's distance is the smallest border distance of its voxels, measured
 * on the morphological mask (4-connected within slices for 2D/2.5D, 6-connected in 3D).
 */
import { greyJFeatures, nanMean, oneTo, type GreyJFeatures } from "./matrix-features";
import { identityRows } from "./levels";
import { roiBox } from "./neighbourhood";
import { paddedRoi } from "./padded";
import { zoneSuffix } from "./aggregation-names";
import type { DiscretisedRoi, TextureResult, ZoneAggregation } from "./types";
import { voxelsPerGroup, zoneMatrices } from "./zone-matrix";
import { borderDistancePadded, labelZones, zoneMinDistance } from "./zones";

const IBSI_NAMES: [string, keyof GreyJFeatures][] = [
  ["sde", "smallJ"],
  ["lde", "largeJ"],
  ["lgze", "lowGrey"],
  ["hgze", "highGrey"],
  ["sdlge", "smallJLowGrey"],
  ["sdhge", "smallJHighGrey"],
  ["ldlge", "largeJLowGrey"],
  ["ldhge", "largeJHighGrey"],
  ["glnu", "glnu"],
  ["glnu_norm", "glnuNorm"],
  ["zdnu", "jnu"],
  ["zdnu_norm", "jnuNorm"],
  ["z_perc", "percentage"],
  ["gl_var", "glVar"],
  ["zd_var", "jVar"],
  ["zd_entr", "entropy"],
];

export function computeGldzmIbsi(roi: DiscretisedRoi, aggregations: ZoneAggregation[]): TextureResult {
  const box = roiBox(roi);
  const Ng = roi.nLevels;
  const iv = oneTo(Ng);
  const res: TextureResult = { values: {}, failures: {} };
  for (const agg of aggregations) {
    const twoD = agg !== "3D";
    const dist = borderDistancePadded(roi, twoD);
    const zones = labelZones(roi, twoD);
    const minDist = zoneMinDistance(roi, zones, dist);
    const nGroups = agg === "2D" ? box.z1 - box.z0 + 1 : 1;
    if (minDist.some((d) => d < 1)) {
      // A zone entirely outside the morphological mask has no defined distance.
      for (const [name] of IBSI_NAMES) {
        res.failures[`dzm_${name}_${zoneSuffix(agg)}`] =
          "a zone lies outside the morphological mask: distance undefined";
      }
      continue;
    }
    const mats = zoneMatrices(zones, identityRows(Ng), Ng, nGroups, minDist);
    const nv = voxelsPerGroup(paddedRoi(roi, 1).sliceStart, nGroups);
    const feats = mats.map((m, g) => greyJFeatures(m.matrix, Ng, m.nJ, iv, m.jv, nv[g], 0)).filter((f) => f !== null);
    for (const [name, field] of IBSI_NAMES) {
      const tag = `dzm_${name}_${zoneSuffix(agg)}`;
      const v = nanMean(feats.map((f) => f[field]));
      if (Number.isNaN(v)) res.failures[tag] = "no zones: the distance zone matrix is empty";
      else res.values[tag] = v;
    }
  }
  return res;
}
