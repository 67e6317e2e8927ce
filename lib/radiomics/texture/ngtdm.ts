/**
 * Neighbourhood grey tone difference matrix (NGTDM) features, IBSI chapter 1 section 3.10 and pyradiomics' ngtdm.py.
 * For each ROI voxel: |level - mean level of its ROI neighbours| (Chebyshev distance d; in-plane for 2D), summed per
 * grey level into s_i, with n_i voxels of level i.
 * IBSI: voxels without any ROI neighbour are left out (N_v,c counts voxels with a valid neighbourhood); 2D = per-slice
 * features averaged, 2.5D = slice matrices merged. pyradiomics: such voxels still count in n_i with difference 0
 * (cmatrices.c), neighbours at infinity-norm distance exactly d, and arbitrary constants for flat regions
 * (reported here as failures, with pyradiomics' constant in the reason).
 */
import { NacError } from "@/lib/errors/nac-error";
import { nanMean } from "./matrix-features";
import { chebyshevNeighbourhood, pyradiomicsAngles, roiBox } from "./neighbourhood";
import { padDeltas, paddedRoi, reach } from "./padded";
import { zoneSuffix } from "./aggregation-names";
import type { DiscretisedRoi, TextureResult, ZoneAggregation } from "./types";

/** n_i and s_i per group: layout [group][level - 1]. */
export function ngtdmCounts(
  roi: DiscretisedRoi,
  offsets: Int32Array,
  perSlice: boolean,
  keepIsolated: boolean,
): { n: Float64Array; s: Float64Array; nGroups: number } {
  const Ng = roi.nLevels;
  const p = paddedRoi(roi, reach(offsets));
  const nOff = offsets.length / 3;
  const delta = padDeltas(p, offsets);
  const nGroups = perSlice ? p.box.z1 - p.box.z0 + 1 : 1;
  const n = new Float64Array(nGroups * Ng);
  const s = new Float64Array(nGroups * Ng);
  const { lv, voxels, slice } = p;
  for (let k = 0; k < voxels.length; k++) {
    const i = voxels[k];
    const l = lv[i];
    let count = 0;
    let sum = 0;
    for (let d = 0; d < nOff; d++) {
      const lj = lv[i + delta[d]];
      if (lj === 0) continue;
      count++;
      sum += lj;
    }
    if (count === 0 && !keepIsolated) continue;
    const g = (perSlice ? slice[k] * Ng : 0) + l - 1;
    n[g]++;
    if (count > 0) s[g] += Math.abs(l - sum / count);
  }
  return { n, s, nGroups };
}

export const NGTDM_FEATURES = ["coarseness", "contrast", "busyness", "complexity", "strength"] as const;

/** The five NGTDM features from n_i, s_i over grey levels iv (rows with n_i = 0 are ignored); NaN = undefined. */
export function ngtdmFeatures(n: ArrayLike<number>, s: ArrayLike<number>, iv: ArrayLike<number>): Float64Array {
  const idx: number[] = [];
  let nv = 0;
  for (let k = 0; k < n.length; k++)
    if (n[k] > 0) {
      idx.push(k);
      nv += n[k];
    }
  if (nv === 0) return Float64Array.from([NaN, NaN, NaN, NaN, NaN]);
  const ngp = idx.length;
  let sumPS = 0,
    sumS = 0;
  for (const k of idx) {
    sumPS += (n[k] / nv) * s[k];
    sumS += s[k];
  }
  let c1 = 0,
    busyDen = 0,
    complexity = 0,
    strengthNum = 0;
  for (const a of idx) {
    const pa = n[a] / nv;
    for (const b of idx) {
      const pb = n[b] / nv;
      const d = iv[a] - iv[b];
      c1 += pa * pb * d * d;
      busyDen += Math.abs(iv[a] * pa - iv[b] * pb);
      complexity += (Math.abs(d) * (pa * s[a] + pb * s[b])) / (pa + pb);
      strengthNum += (pa + pb) * d * d;
    }
  }
  return Float64Array.from([
    sumPS > 0 ? 1 / sumPS : NaN,
    ngp > 1 ? (c1 / (ngp * (ngp - 1))) * (sumS / nv) : NaN,
    busyDen > 0 ? sumPS / busyDen : NaN,
    complexity / nv,
    sumS > 0 ? strengthNum / sumS : NaN,
  ]);
}

const UNDEFINED: Record<(typeof NGTDM_FEATURES)[number], string> = {
  coarseness: "undefined: sum of p_i s_i is 0 (no grey tone differences, e.g. a flat region); pyradiomics returns 1e6",
  contrast: "undefined: fewer than two grey levels present; pyradiomics returns 0",
  busyness: "undefined: zero denominator (a single grey level); pyradiomics returns 0",
  complexity: "undefined: no voxel with a neighbourhood",
  strength: "undefined: sum of s_i is 0 (flat region); pyradiomics returns 0",
};

export function computeNgtdmIbsi(
  roi: DiscretisedRoi,
  aggregations: ZoneAggregation[],
  distance: number,
): TextureResult {
  const Ng = roi.nLevels;
  const iv = Float64Array.from({ length: Ng }, (_, k) => k + 1);
  const res: TextureResult = { values: {}, failures: {} };
  for (const agg of aggregations) {
    const twoD = agg !== "3D";
    const { n, s, nGroups } = ngtdmCounts(roi, chebyshevNeighbourhood(twoD, distance), agg === "2D", false);
    const feats: Float64Array[] = [];
    if (agg === "2.5D") {
      const nm = new Float64Array(Ng),
        sm = new Float64Array(Ng);
      for (let g = 0; g < nGroups; g++)
        for (let k = 0; k < Ng; k++) {
          nm[k] += n[g * Ng + k];
          sm[k] += s[g * Ng + k];
        }
      feats.push(ngtdmFeatures(nm, sm, iv));
    } else {
      for (let g = 0; g < nGroups; g++) {
        const ng = n.subarray(g * Ng, (g + 1) * Ng);
        if (ng.some((v) => v > 0)) feats.push(ngtdmFeatures(ng, s.subarray(g * Ng, (g + 1) * Ng), iv));
      }
    }
    NGTDM_FEATURES.forEach((name, k) => {
      const tag = `ngt_${name}_${zoneSuffix(agg)}`;
      const v = nanMean(feats.map((f) => f[k]));
      if (Number.isNaN(v)) res.failures[tag] = UNDEFINED[name];
      else res.values[tag] = v;
    });
  }
  return res;
}

/** pyradiomics' NGTDM: rows of grey levels present, columns (n_i, s_i, i) as its P_ngtdm. */
export function pyradNgtdmMatrix(
  roi: DiscretisedRoi,
  opts: { distance: number | readonly number[]; force2D: boolean },
): { rows: number; matrix: Float64Array } {
  const box = roiBox(roi);
  const angles = pyradiomicsAngles(box, opts.distance, true, opts.force2D);
  const { n, s } = ngtdmCounts(roi, angles, false, true);
  const rows: number[] = [];
  for (let k = 0; k < roi.nLevels; k++) if (n[k] > 0) rows.push(n[k], s[k], k + 1);
  return { rows: rows.length / 3, matrix: Float64Array.from(rows) };
}

const PYRAD_NAMES: Record<(typeof NGTDM_FEATURES)[number], string> = {
  coarseness: "Coarseness",
  contrast: "Contrast",
  busyness: "Busyness",
  complexity: "Complexity",
  strength: "Strength",
};
export const PYRAD_NGTDM_FEATURES = Object.values(PYRAD_NAMES);

export function computeNgtdmPyradiomics(
  roi: DiscretisedRoi,
  opts: { distance: number | readonly number[]; force2D: boolean; prefix: string },
): TextureResult {
  const { rows, matrix } = pyradNgtdmMatrix(roi, opts);
  if (rows === 0) throw new NacError("INTERNAL", "NGTDM of a non-empty ROI has no rows");
  const n = new Float64Array(rows),
    s = new Float64Array(rows),
    iv = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    n[r] = matrix[3 * r];
    s[r] = matrix[3 * r + 1];
    iv[r] = matrix[3 * r + 2];
  }
  const f = ngtdmFeatures(n, s, iv);
  const res: TextureResult = { values: {}, failures: {} };
  NGTDM_FEATURES.forEach((name, k) => {
    const key = `${opts.prefix}_ngtdm_${PYRAD_NAMES[name]}`;
    if (Number.isNaN(f[k])) res.failures[key] = UNDEFINED[name];
    else res.values[key] = f[k];
  });
  return res;
}
