/**
 * IBSI aggregation of direction-wise matrices (GLCM, GLRLM), computed slice by slice so memory stays at a few
 * matrices per direction whatever the number of slices:
 *   2D_avg    features per slice and direction, averaged
 *   2D_smrg   directions merged per slice, features averaged over slices
 *   2.5D_dmrg slices merged per direction, features averaged over directions
 *   2.5D_mrg  everything merged (in-plane directions)
 *   3D_avg    features per 3D direction (volume), averaged
 *   3D_mrg    all 3D directions merged
 */
import type { MatrixAggregation } from "./types";

export interface DirectionCounts {
  /** Counts [direction][cell] for the in-plane directions of one slice (z - z0). */
  slice(s: number): Float64Array;
  nSlices: number;
  nDir2D: number;
  /** Counts [direction][cell] for the 3D directions over the whole volume. */
  volume(): Float64Array;
  nDir3D: number;
  cells: number;
}

/** Feature vectors per aggregation (matrices whose features are null, i.e. empty, are left out). */
export function aggregateIbsi(
  aggs: MatrixAggregation[],
  src: DirectionCounts,
  features: (m: Float64Array) => Float64Array | null,
): Map<MatrixAggregation, Float64Array[]> {
  const out = new Map<MatrixAggregation, Float64Array[]>();
  const push = (a: MatrixAggregation, f: Float64Array | null) => {
    if (f) out.get(a)!.push(f);
  };
  for (const a of aggs) out.set(a, []);
  const { cells } = src;
  const want = (a: MatrixAggregation) => out.has(a);
  if (want("2D_avg") || want("2D_smrg") || want("2.5D_dmrg") || want("2.5D_mrg")) {
    const nDir = src.nDir2D;
    const perDir = want("2.5D_dmrg") || want("2.5D_mrg") ? new Float64Array(nDir * cells) : null;
    const merged = new Float64Array(cells);
    for (let s = 0; s < src.nSlices; s++) {
      const c = src.slice(s);
      if (want("2D_avg"))
        for (let d = 0; d < nDir; d++) push("2D_avg", features(c.subarray(d * cells, (d + 1) * cells)));
      if (want("2D_smrg")) {
        merged.fill(0);
        for (let k = 0; k < nDir * cells; k++) merged[k % cells] += c[k];
        push("2D_smrg", features(merged));
      }
      if (perDir) for (let k = 0; k < nDir * cells; k++) perDir[k] += c[k];
    }
    if (perDir && want("2.5D_dmrg"))
      for (let d = 0; d < nDir; d++) push("2.5D_dmrg", features(perDir.subarray(d * cells, (d + 1) * cells)));
    if (perDir && want("2.5D_mrg")) {
      merged.fill(0);
      for (let k = 0; k < nDir * cells; k++) merged[k % cells] += perDir[k];
      push("2.5D_mrg", features(merged));
    }
  }
  if (want("3D_avg") || want("3D_mrg")) {
    const nDir = src.nDir3D;
    const c = src.volume();
    if (want("3D_avg")) for (let d = 0; d < nDir; d++) push("3D_avg", features(c.subarray(d * cells, (d + 1) * cells)));
    if (want("3D_mrg")) {
      const merged = new Float64Array(cells);
      for (let k = 0; k < nDir * cells; k++) merged[k % cells] += c[k];
      push("3D_mrg", features(merged));
    }
  }
  return out;
}

/** Refuse matrices too large to hold (e.g. thousands of grey levels), with a message the user can act on. */
export const MAX_MATRIX_CELLS = 2 ** 26;
