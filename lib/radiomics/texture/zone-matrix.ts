/**
 * Grey level x j count matrices built from zones (GLSZM: j = zone size; GLDZM: j = zone distance), per slice group.
 * Columns are only the j values that occur (sparse in j: a 200,000-voxel zone does not allocate 200,000 columns);
 * every feature formula only sums over occupied cells, so this changes no value.
 */
import type { Zones } from "./zones";

export interface ZoneMatrix {
  /** nRows x nJ counts, row = rowOf[level], column = rank of j among `jv`. */
  matrix: Float64Array;
  nJ: number;
  /** The j value of each column, ascending. */
  jv: Float64Array;
}

export function zoneMatrices(
  zones: Zones,
  rowOf: Int32Array,
  nRows: number,
  nGroups: number,
  j: Int32Array,
): ZoneMatrix[] {
  let maxJ = 0;
  for (let z = 0; z < zones.count; z++) if (j[z] > maxJ) maxJ = j[z];
  const col = new Int32Array(maxJ + 1);
  const groupOf = (z: number) => (nGroups > 1 ? zones.slice[z] : 0);
  const out: ZoneMatrix[] = [];
  for (let g = 0; g < nGroups; g++) {
    col.fill(-1);
    for (let z = 0; z < zones.count; z++) if (groupOf(z) === g) col[j[z]] = 0;
    const jList: number[] = [];
    for (let v = 0; v <= maxJ; v++) if (col[v] === 0) {
      col[v] = jList.length;
      jList.push(v);
    }
    const nJ = jList.length;
    const matrix = new Float64Array(nRows * nJ);
    for (let z = 0; z < zones.count; z++) if (groupOf(z) === g) matrix[rowOf[zones.level[z]] * nJ + col[j[z]]]++;
    out.push({ matrix, nJ, jv: Float64Array.from(jList) });
  }
  return out;
}

/** ROI voxel count per slice (z - z0), or the total when nGroups = 1. */
export function voxelsPerGroup(sliceStart: Int32Array, nGroups: number): Float64Array {
  const nSlices = sliceStart.length - 1;
  if (nGroups === 1) return Float64Array.of(sliceStart[nSlices]);
  return Float64Array.from({ length: nSlices }, (_, s) => sliceStart[s + 1] - sliceStart[s]);
}
