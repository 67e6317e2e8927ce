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
  /** Smallest distance-map value over the zone's voxels (when a distance map was given), else 0. */
  minDist: Int32Array;
}

/** Zones of the ROI; `dist` (optional) is a border distance map on the ROI's padded grid (paddedRoi(roi, 1)). */
export function labelZones(roi: DiscretisedRoi, twoD: boolean, dist?: Int32Array): Zones {
  const p = paddedRoi(roi, 1);
  const offs = chebyshevNeighbourhood(twoD, 1);
  const nOff = offs.length / 3;
  const delta = padDeltas(p, offs);
  const { lv, voxels, slice } = p;
  const visited = new Uint8Array(lv.length);
  const stack = new Int32Array(voxels.length);
  const level = new Int32Array(voxels.length);
  const size = new Int32Array(voxels.length);
  const zSlice = new Int32Array(voxels.length);
  const minDist = new Int32Array(voxels.length);
  let count = 0;
  for (let v = 0; v < voxels.length; v++) {
    const seed = voxels[v];
    if (visited[seed]) continue;
    const l = lv[seed];
    let top = 0;
    stack[top++] = seed;
    visited[seed] = 1;
    let n = 0;
    let dmin = 2147483647;
    while (top > 0) {
      const k = stack[--top];
      n++;
      if (dist && dist[k] < dmin) dmin = dist[k];
      for (let d = 0; d < nOff; d++) {
        const j = k + delta[d];
        if (visited[j] || lv[j] !== l) continue;
        visited[j] = 1;
        stack[top++] = j;
      }
    }
    level[count] = l;
    size[count] = n;
    zSlice[count] = slice[v];
    minDist[count] = dist ? dmin : 0;
    count++;
  }
  return {
    count,
    level: level.slice(0, count),
    size: size.slice(0, count),
    slice: zSlice.slice(0, count),
    minDist: minDist.slice(0, count),
  };
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
