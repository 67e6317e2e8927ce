/**
 * Zones (connected voxels of equal grey level; 26-connected in 3D, 8-connected in-plane in 2D) and the IBSI distance
 * map to the ROI border (4-/6-connected steps; voxels touching the outside have distance 1) used by GLSZM and GLDZM.
 */
import { chebyshevNeighbourhood } from "./neighbourhood";
import { padDeltas, paddedRoi } from "./padded";
import type { DiscretisedRoi } from "./types";

export interface Zones {
  count: number;
  level: Int32Array;
  size: Int32Array;
  /** z - z0 of the zone (only meaningful for 2D zones, which never cross slices). */
  slice: Int32Array;
  /** Zone number of each ROI voxel (in paddedRoi(roi, 1).voxels order). */
  zoneOfVoxel: Int32Array;
}

const zoneCache = new WeakMap<Int32Array, Map<boolean, Zones>>();

/** Zones of the ROI (cached per ROI and connectivity, shared by GLSZM and GLDZM). */
export function labelZones(roi: DiscretisedRoi, twoD: boolean): Zones {
  let byConn = zoneCache.get(roi.levels);
  if (!byConn) {
    byConn = new Map();
    zoneCache.set(roi.levels, byConn);
  }
  const hit = byConn.get(twoD);
  if (hit) return hit;
  const p = paddedRoi(roi, 1);
  const offs = chebyshevNeighbourhood(twoD, 1);
  const nOff = offs.length / 3;
  const delta = padDeltas(p, offs);
  const { voxels, slice } = p;
  const nv = voxels.length;
  // Work copy of the levels: a voxel is zeroed when it joins a zone, so one comparison tests "same level, unvisited".
  const work = p.lv.slice();
  const zoneAt = new Int32Array(p.lv.length);
  const stack = new Int32Array(nv);
  const level = new Int32Array(nv);
  const size = new Int32Array(nv);
  const zSlice = new Int32Array(nv);
  let count = 0;
  for (let v = 0; v < nv; v++) {
    const seed = voxels[v];
    const l = work[seed];
    if (l === 0) continue;
    let top = 0;
    stack[top++] = seed;
    work[seed] = 0;
    let n = 0;
    while (top > 0) {
      const k = stack[--top];
      zoneAt[k] = count;
      n++;
      for (let d = 0; d < nOff; d++) {
        const j = k + delta[d];
        if (work[j] !== l) continue;
        work[j] = 0;
        stack[top++] = j;
      }
    }
    level[count] = l;
    size[count] = n;
    zSlice[count] = slice[v];
    count++;
  }
  const zoneOfVoxel = new Int32Array(nv);
  for (let v = 0; v < nv; v++) zoneOfVoxel[v] = zoneAt[voxels[v]];
  const zones = {
    count,
    level: level.slice(0, count),
    size: size.slice(0, count),
    slice: zSlice.slice(0, count),
    zoneOfVoxel,
  };
  byConn.set(twoD, zones);
  return zones;
}

/** Smallest value of a padded-grid distance map over each zone's voxels. */
export function zoneMinDistance(roi: DiscretisedRoi, zones: Zones, dist: Int32Array): Int32Array {
  const { voxels } = paddedRoi(roi, 1);
  const out = new Int32Array(zones.count).fill(2147483647);
  for (let v = 0; v < voxels.length; v++) {
    const z = zones.zoneOfVoxel[v];
    const d = dist[voxels[v]];
    if (d < out[z]) out[z] = d;
  }
  return out;
}

/**
 * IBSI distance to the ROI border on the morphological mask: 1 for mask voxels with a face neighbour outside the mask
 * (or outside the image), then +1 per 4-connected (2D, within the slice) or 6-connected (3D) step. 0 outside.
 */
export function borderDistanceMap(dims: [number, number, number], mask: ArrayLike<number>, twoD: boolean): Int32Array {
  const [nx, ny, nz] = dims;
  const sz = nx * ny;
  const n = nx * ny * nz;
  const dist = new Int32Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  const nFaces = twoD ? 4 : 6;
  const fx = [1, -1, 0, 0, 0, 0];
  const fy = [0, 0, 1, -1, 0, 0];
  const fz = [0, 0, 0, 0, 1, -1];
  const fd = [1, -1, nx, -nx, sz, -sz];
  // inside(x, y, z): in the image and in the mask.
  const inside = (x: number, y: number, z: number, i: number) =>
    x >= 0 && x < nx && y >= 0 && y < ny && z >= 0 && z < nz && mask[i] !== 0;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (!mask[i]) continue;
        for (let f = 0; f < nFaces; f++) {
          if (!inside(x + fx[f], y + fy[f], z + fz[f], i + fd[f])) {
            dist[i] = 1;
            queue[tail++] = i;
            break;
          }
        }
      }
    }
  }
  while (head < tail) {
    const k = queue[head++];
    const kz = (k / sz) | 0;
    const rem = k - kz * sz;
    const ky = (rem / nx) | 0;
    const kx = rem - ky * nx;
    for (let f = 0; f < nFaces; f++) {
      const j = k + fd[f];
      if (!inside(kx + fx[f], ky + fy[f], kz + fz[f], j) || dist[j] !== 0) continue;
      dist[j] = dist[k] + 1;
      queue[tail++] = j;
    }
  }
  return dist;
}

/**
 * The border distance map of the ROI's morphological mask on the ROI's padded grid (paddedRoi(roi, 1)), for
 * labelZones. Without a separate morphological mask the padded intensity ROI is used directly (its zero border is the
 * outside), otherwise the map is computed on the full grid and copied over.
 */
export function borderDistancePadded(roi: DiscretisedRoi, twoD: boolean): Int32Array {
  const p = paddedRoi(roi, 1);
  const out = new Int32Array(p.lv.length);
  if (roi.morphMask) {
    const full = borderDistanceMap(roi.dims, roi.morphMask, twoD);
    for (let k = 0; k < p.voxels.length; k++) out[p.voxels[k]] = full[p.orig[k]];
    return out;
  }
  const { lv, voxels } = p;
  const sxy = p.px * p.py;
  const nFaces = twoD ? 4 : 6;
  const fd = Int32Array.from([1, -1, p.px, -p.px, sxy, -sxy]);
  const queue = new Int32Array(voxels.length);
  let head = 0;
  let tail = 0;
  for (let k = 0; k < voxels.length; k++) {
    const i = voxels[k];
    for (let f = 0; f < nFaces; f++) {
      if (lv[i + fd[f]] === 0) {
        out[i] = 1;
        queue[tail++] = i;
        break;
      }
    }
  }
  while (head < tail) {
    const k = queue[head++];
    for (let f = 0; f < nFaces; f++) {
      const j = k + fd[f];
      if (lv[j] === 0 || out[j] !== 0) continue;
      out[j] = out[k] + 1;
      queue[tail++] = j;
    }
  }
  return out;
}
