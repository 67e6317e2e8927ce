/** Grey-level row maps shared by the families: IBSI keeps levels 1..Ng, pyradiomics only the levels present. */
import type { DiscretisedRoi } from "./types";

/** Level -> row map for all levels 1..Ng (IBSI): row = level - 1. */
export function identityRows(Ng: number): Int32Array {
  return Int32Array.from({ length: Ng + 1 }, (_, l) => l - 1);
}

/** Grey levels present in the ROI and a map level -> row index (-1 if absent). */
export function presentLevels(roi: DiscretisedRoi): { gv: Float64Array; index: Int32Array } {
  const seen = new Uint8Array(roi.nLevels + 1);
  const lv = roi.levels;
  for (let i = 0; i < lv.length; i++) seen[lv[i]] = 1;
  const gvList: number[] = [];
  const index = new Int32Array(roi.nLevels + 1).fill(-1);
  for (let l = 1; l <= roi.nLevels; l++)
    if (seen[l]) {
      index[l] = gvList.length;
      gvList.push(l);
    }
  return { gv: Float64Array.from(gvList), index };
}

/** Keep rows of present grey levels and non-empty columns (j = column + 1). */
export function reduceRowsCols(
  m: Float64Array,
  Ng: number,
  nJ: number,
  gv: Float64Array,
  index: Int32Array,
): { grayLevels: Float64Array; sizes: Float64Array; matrix: Float64Array } {
  const keep: number[] = [];
  for (let b = 0; b < nJ; b++) {
    let s = 0;
    for (let a = 0; a < Ng; a++) s += m[a * nJ + b];
    if (s !== 0) keep.push(b);
  }
  const nG = gv.length;
  const out = new Float64Array(nG * keep.length);
  for (let l = 1; l <= Ng; l++) {
    if (index[l] < 0) continue;
    for (let c = 0; c < keep.length; c++) out[index[l] * keep.length + c] = m[(l - 1) * nJ + keep[c]];
  }
  return { grayLevels: gv, sizes: Float64Array.from(keep, (b) => b + 1), matrix: out };
}
