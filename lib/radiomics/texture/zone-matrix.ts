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
  // Zones bucketed by group (counting sort on the slice), so each group only visits its own zones.
  const start = new Int32Array(nGroups + 1);
  for (let z = 0; z < zones.count; z++) start[(nGroups > 1 ? zones.slice[z] : 0) + 1]++;
  for (let g = 0; g < nGroups; g++) start[g + 1] += start[g];
  const order = new Int32Array(zones.count);
  const fill = start.slice(0, nGroups);
  for (let z = 0; z < zones.count; z++) order[fill[nGroups > 1 ? zones.slice[z] : 0]++] = z;
  const col = new Int32Array(maxJ + 1).fill(-1);
  const out: ZoneMatrix[] = [];
  for (let g = 0; g < nGroups; g++) {
    const jList: number[] = [];
    for (let k = start[g]; k < start[g + 1]; k++) {
      const v = j[order[k]];
      if (col[v] < 0) {
        col[v] = 0;
        jList.push(v);
      }
    }
    jList.sort((a, b) => a - b);
    jList.forEach((v, c) => (col[v] = c));
    const nJ = jList.length;
    const matrix = new Float64Array(nRows * nJ);
    for (let k = start[g]; k < start[g + 1]; k++) {
      const z = order[k];
      matrix[rowOf[zones.level[z]] * nJ + col[j[z]]]++;
    }
    for (const v of jList) col[v] = -1;
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
