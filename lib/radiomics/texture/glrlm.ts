/**
 * Grey level run length matrix (GLRLM) features, IBSI chapter 1 section 3.7 and pyradiomics' glrlm.py.
 * A run is a maximal line of consecutive ROI voxels with the same grey level along a direction; voxels outside the
 * ROI break runs. IBSI: N_g = roi.nLevels, aggregation as for the GLCM, run percentage over the voxels of the merged
 * matrices. pyradiomics: 13 angles, empty grey levels and run lengths removed, features per angle then nanmean,
 * an angle along which no line holds two ROI voxels is emptied (cmatrices.c "multiElement") and then deleted.
 */
import { NacError } from "@/lib/errors/nac-error";
import { matrixAggregationSuffix } from "./aggregation-names";
import type { PyradMatrices } from "./glcm";
import { identityRows, presentLevels } from "./levels";
import { aggregateIbsi, MAX_MATRIX_CELLS } from "./ibsi-aggregate";
import { greyJFeatures, nanMean, oneTo, type GreyJFeatures } from "./matrix-features";
import { ibsiDirections, pyradiomicsAngles, roiBox, type RoiBox } from "./neighbourhood";
import { padDeltas, paddedRoi, reach } from "./padded";
import type { DiscretisedRoi, MatrixAggregation, TextureResult, WeightingNorm } from "./types";

/**
 * Run counts, layout [direction][row * maxRun + (length - 1)], for runs starting at ROI voxels kFrom..kTo of the padded
 * grid (a slice range for in-plane directions, or all). `rowOf` maps a grey level to its row.
 */
export function glrlmCounts(
  roi: DiscretisedRoi,
  offsets: Int32Array,
  rowOf: Int32Array,
  nRows: number,
  kFrom = 0,
  kTo = -1,
): { counts: Float64Array; maxRun: number } {
  const p = paddedRoi(roi, reach(offsets));
  const box = p.box;
  const maxRun = Math.max(box.x1 - box.x0 + 1, box.y1 - box.y0 + 1, box.z1 - box.z0 + 1);
  const cells = nRows * maxRun;
  const nDir = offsets.length / 3;
  if (cells * nDir > MAX_MATRIX_CELLS) {
    throw new NacError(
      "SETTINGS_INVALID",
      `${nRows} grey levels x run length ${maxRun} give a GLRLM too large to compute; use fewer bins`,
    );
  }
  const counts = new Float64Array(nDir * cells);
  const deltas = padDeltas(p, offsets);
  const { lv, voxels } = p;
  const end = kTo < 0 ? voxels.length : kTo;
  for (let d = 0; d < nDir; d++) {
    const delta = deltas[d];
    const base = d * cells - 1;
    for (let k = kFrom; k < end; k++) {
      const i = voxels[k];
      const l = lv[i];
      // Only start at the first voxel of a run (the padding reads 0, so the walk needs no bounds checks).
      if (lv[i - delta] === l) continue;
      let len = 1;
      for (let j = i + delta; lv[j] === l; j += delta) len++;
      counts[base + rowOf[l] * maxRun + len]++;
    }
  }
  return { counts, maxRun };
}

/** Whether some line along (ox, oy, oz) through the box holds two ROI voxels (not necessarily adjacent). */
function lineHoldsTwoVoxels(lv: Int32Array, box: RoiBox, ox: number, oy: number, oz: number): boolean {
  const { nx, ny, x0, x1, y0, y1, z0, z1 } = box;
  const sz = nx * ny;
  const delta = ox + oy * nx + oz * sz;
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const px = x - ox,
          py = y - oy,
          pz = z - oz;
        if (px >= x0 && px <= x1 && py >= y0 && py <= y1 && pz >= z0 && pz <= z1) continue; // not a line start
        let n = 0;
        let xx = x,
          yy = y,
          zz = z,
          j = x + y * nx + z * sz;
        while (xx >= x0 && xx <= x1 && yy >= y0 && yy <= y1 && zz >= z0 && zz <= z1) {
          if (lv[j] > 0 && ++n > 1) return true;
          xx += ox;
          yy += oy;
          zz += oz;
          j += delta;
        }
      }
    }
  }
  return false;
}

/** Run-weighted voxel count sum_j j r_ij of a matrix (the voxels it covers). */
function coveredVoxels(m: Float64Array, nI: number, jv: ArrayLike<number>): number {
  const nJ = jv.length;
  let s = 0;
  for (let a = 0; a < nI; a++) for (let b = 0; b < nJ; b++) s += m[a * nJ + b] * jv[b];
  return s;
}

const IBSI_NAMES: [string, keyof GreyJFeatures][] = [
  ["sre", "smallJ"],
  ["lre", "largeJ"],
  ["lgre", "lowGrey"],
  ["hgre", "highGrey"],
  ["srlge", "smallJLowGrey"],
  ["srhge", "smallJHighGrey"],
  ["lrlge", "largeJLowGrey"],
  ["lrhge", "largeJHighGrey"],
  ["glnu", "glnu"],
  ["glnu_norm", "glnuNorm"],
  ["rlnu", "jnu"],
  ["rlnu_norm", "jnuNorm"],
  ["r_perc", "percentage"],
  ["gl_var", "glVar"],
  ["rl_var", "jVar"],
  ["rl_entr", "entropy"],
];

export function computeGlrlmIbsi(roi: DiscretisedRoi, aggregations: MatrixAggregation[]): TextureResult {
  const Ng = roi.nLevels;
  const rows = identityRows(Ng);
  const iv = oneTo(Ng);
  const dirs2D = ibsiDirections(true, 1);
  const dirs3D = ibsiDirections(false, 1);
  const p = paddedRoi(roi, 1);
  const box = p.box;
  const maxRun = Math.max(box.x1 - box.x0 + 1, box.y1 - box.y0 + 1, box.z1 - box.z0 + 1);
  const jv = oneTo(maxRun);
  const feats = aggregateIbsi(
    aggregations,
    {
      slice: (s) => glrlmCounts(roi, dirs2D, rows, Ng, p.sliceStart[s], p.sliceStart[s + 1]).counts,
      nSlices: p.sliceStart.length - 1,
      nDir2D: dirs2D.length / 3,
      volume: () => glrlmCounts(roi, dirs3D, rows, Ng).counts,
      nDir3D: dirs3D.length / 3,
      cells: Ng * maxRun,
    },
    (m) => {
      const f = greyJFeatures(m, Ng, maxRun, iv, jv, coveredVoxels(m, Ng, jv), 0);
      return f ? Float64Array.from(IBSI_NAMES, ([, field]) => f[field]) : null;
    },
  );
  const res: TextureResult = { values: {}, failures: {} };
  for (const [agg, list] of feats) {
    const suffix = matrixAggregationSuffix(agg);
    IBSI_NAMES.forEach(([name], k) => {
      const tag = `rlm_${name}_${suffix}`;
      const v = nanMean(list.map((f) => f[k]));
      if (Number.isNaN(v)) res.failures[tag] = "no runs: the run length matrix is empty";
      else res.values[tag] = v;
    });
  }
  return res;
}

// --------------------------------------------------------------------------------------------------------- pyradiomics

/** pyradiomics' GLRLM merging weights (glrlm.py): distances, not exponentials as for the GLCM. */
function pyradGlrlmWeight(norm: WeightingNorm, o: ArrayLike<number>, spacing: ArrayLike<number>): number {
  const d = [Math.abs(o[0]) * spacing[0], Math.abs(o[1]) * spacing[1], Math.abs(o[2]) * spacing[2]];
  switch (norm) {
    case "infinity":
      return Math.max(...d);
    case "euclidean":
      return Math.sqrt(d[0] ** 2 + d[1] ** 2 + d[2] ** 2);
    case "manhattan":
      return d[0] + d[1] + d[2];
    case "no_weighting":
      return 1;
  }
}

/** pyradiomics' GLRLMs (counts) after its post-processing; `runLengths` are the kept run-length columns. */
export function pyradGlrlmMatrices(
  roi: DiscretisedRoi,
  opts: { weightingNorm?: WeightingNorm; force2D: boolean },
): PyradMatrices & { runLengths: Float64Array } {
  const box = roiBox(roi);
  const angles = pyradiomicsAngles(box, 1, false, opts.force2D);
  const { gv, index } = presentLevels(roi);
  const nG = gv.length;
  const nA = angles.length / 3;
  const { counts, maxRun } = glrlmCounts(roi, angles, index, nG);
  let mats: Float64Array[] = [];
  for (let a = 0; a < nA; a++) {
    const m = counts.slice(a * nG * maxRun, (a + 1) * nG * maxRun);
    // pyradiomics empties an angle along which no line holds two ROI voxels (cmatrices.c "multiElement").
    let multi = false;
    for (let r = 0; r < nG && !multi; r++)
      for (let len = 1; len < maxRun; len++)
        if (m[r * maxRun + len] !== 0) {
          multi = true;
          break;
        }
    if (!multi && !lineHoldsTwoVoxels(roi.levels, box, angles[3 * a], angles[3 * a + 1], angles[3 * a + 2])) m.fill(0);
    mats.push(m);
  }
  if (opts.weightingNorm) {
    const merged = new Float64Array(nG * maxRun);
    mats.forEach((m, a) => {
      const w = pyradGlrlmWeight(opts.weightingNorm!, angles.subarray(3 * a, 3 * a + 3), roi.spacing);
      for (let k = 0; k < m.length; k++) merged[k] += w * m[k];
    });
    mats = [merged];
  }
  mats = mats.filter((m) => m.some((v) => v !== 0));
  // Run lengths absent from every kept angle are removed.
  const keep: number[] = [];
  for (let r = 0; r < maxRun; r++) {
    if (
      mats.some((m) => {
        for (let a = 0; a < nG; a++) if (m[a * maxRun + r] !== 0) return true;
        return false;
      })
    )
      keep.push(r);
  }
  const nJ = keep.length;
  const out = mats.map((m) => {
    const o = new Float64Array(nG * nJ);
    for (let a = 0; a < nG; a++) for (let b = 0; b < nJ; b++) o[a * nJ + b] = m[a * maxRun + keep[b]];
    return o;
  });
  return {
    grayLevels: gv,
    NgMax: nG ? gv[nG - 1] : 0,
    matrices: out,
    runLengths: Float64Array.from(keep, (r) => r + 1),
  };
}

const PYRAD_NAMES: [string, keyof GreyJFeatures][] = [
  ["ShortRunEmphasis", "smallJ"],
  ["LongRunEmphasis", "largeJ"],
  ["GrayLevelNonUniformity", "glnu"],
  ["GrayLevelNonUniformityNormalized", "glnuNorm"],
  ["RunLengthNonUniformity", "jnu"],
  ["RunLengthNonUniformityNormalized", "jnuNorm"],
  ["RunPercentage", "percentage"],
  ["GrayLevelVariance", "glVar"],
  ["RunVariance", "jVar"],
  ["RunEntropy", "entropy"],
  ["LowGrayLevelRunEmphasis", "lowGrey"],
  ["HighGrayLevelRunEmphasis", "highGrey"],
  ["ShortRunLowGrayLevelEmphasis", "smallJLowGrey"],
  ["ShortRunHighGrayLevelEmphasis", "smallJHighGrey"],
  ["LongRunLowGrayLevelEmphasis", "largeJLowGrey"],
  ["LongRunHighGrayLevelEmphasis", "largeJHighGrey"],
];
export const PYRAD_GLRLM_FEATURES = PYRAD_NAMES.map(([n]) => n);

export function computeGlrlmPyradiomics(
  roi: DiscretisedRoi,
  opts: { weightingNorm?: WeightingNorm; force2D: boolean; prefix: string },
): TextureResult {
  const { grayLevels, matrices, runLengths } = pyradGlrlmMatrices(roi, opts);
  const nG = grayLevels.length;
  const feats = matrices
    .map((m) =>
      greyJFeatures(
        m,
        nG,
        runLengths.length,
        grayLevels,
        runLengths,
        coveredVoxels(m, nG, runLengths),
        2.220446049250313e-16,
      ),
    )
    .filter((f) => f !== null);
  const res: TextureResult = { values: {}, failures: {} };
  for (const [name, field] of PYRAD_NAMES) {
    const key = `${opts.prefix}_glrlm_${name}`;
    const v = nanMean(feats.map((f) => f[field]));
    if (Number.isNaN(v)) res.failures[key] = "no angle with runs: every GLRLM is empty (pyradiomics: NaN)";
    else res.values[key] = v;
  }
  return res;
}
