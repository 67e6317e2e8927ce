/**
 * Grey level x j count matrices built from zones (GLSZM: j = zone size; GLDZM: j = zone distance), per slice group.
 */
import type { Zones } from "./zones";

export interface ZoneMatrices {
  /** One Ng x nJ matrix per group (one group unless per slice), row = level - 1, column = j - 1. */
  matrices: Float64Array[];
  nJ: number;
}

export function zoneMatrices(zones: Zones, Ng: number, nGroups: number, j: Int32Array): ZoneMatrices {
  let nJ = 0;
  for (let z = 0; z < zones.count; z++) if (j[z] > nJ) nJ = j[z];
  const matrices = Array.from({ length: nGroups }, () => new Float64Array(Ng * nJ));
  for (let z = 0; z < zones.count; z++) {
    const g = nGroups > 1 ? zones.slice[z] : 0;
    matrices[g][(zones.level[z] - 1) * nJ + j[z] - 1]++;
  }
  return { matrices, nJ };
}

/** ROI voxel count per slice (z - z0), or the total when nGroups = 1. */
export function voxelsPerGroup(levels: Int32Array, nx: number, ny: number, z0: number, nGroups: number): Float64Array {
  const out = new Float64Array(nGroups);
  const sz = nx * ny;
  for (let g = 0; g < nGroups; g++) {
    const zBase = nGroups > 1 ? (z0 + g) * sz : 0;
    const end = nGroups > 1 ? zBase + sz : levels.length;
    let c = 0;
    for (let i = zBase; i < end; i++) if (levels[i] > 0) c++;
    out[g] = c;
  }
  return out;
}
