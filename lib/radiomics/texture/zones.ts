/**
 * Zones (connected voxels of equal grey level; 26-connected in 3D, 8-connected in-plane in 2D) and the IBSI distance
 * map to the ROI border (4-/6-connected steps; voxels touching the outside have distance 1) used by GLSZM and GLDZM.
 */
import { chebyshevNeighbourhood, type RoiBox } from "./neighbourhood";
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

export function labelZones(roi: DiscretisedRoi, box: RoiBox, twoD: boolean, distMap?: Int32Array): Zones {
  const { nx, ny, x0, x1, y0, y1, z0, z1 } = box;
  const sz = nx * ny;
  const lv = roi.levels;
  const offs = chebyshevNeighbourhood(twoD, 1);
  const nOff = offs.length / 3;
  const delta = new Int32Array(nOff);
  for (let d = 0; d < nOff; d++) delta[d] = offs[3 * d] + offs[3 * d + 1] * nx + offs[3 * d + 2] * sz;
  const visited = new Uint8Array(lv.length);
  const stack = new Int32Array(box.count);
  const level: number[] = [];
  const size: number[] = [];
  const slice: number[] = [];
  const minDist: number[] = [];
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const seed = x + y * nx + z * sz;
        const l = lv[seed];
        if (l === 0 || visited[seed]) continue;
        let top = 0;
        stack[top++] = seed;
        visited[seed] = 1;
        let n = 0;
        let dmin = Infinity;
        while (top > 0) {
          const k = stack[--top];
          n++;
          if (distMap && distMap[k] < dmin) dmin = distMap[k];
          const kz = (k / sz) | 0;
          const rem = k - kz * sz;
          const ky = (rem / nx) | 0;
          const kx = rem - ky * nx;
          for (let d = 0; d < nOff; d++) {
            const xx = kx + offs[3 * d], yy = ky + offs[3 * d + 1], zz = kz + offs[3 * d + 2];
            if (xx < x0 || xx > x1 || yy < y0 || yy > y1 || zz < z0 || zz > z1) continue;
            const j = k + delta[d];
            if (visited[j] || lv[j] !== l) continue;
            visited[j] = 1;
            stack[top++] = j;
          }
        }
        level.push(l);
        size.push(n);
        slice.push(z - z0);
        minDist.push(distMap ? dmin : 0);
      }
    }
  }
  return {
    count: level.length,
    level: Int32Array.from(level),
    size: Int32Array.from(size),
    slice: Int32Array.from(slice),
    minDist: Int32Array.from(minDist),
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
  const inMask = (x: number, y: number, z: number) =>
    x >= 0 && x < nx && y >= 0 && y < ny && z >= 0 && z < nz && mask[x + y * nx + z * sz] !== 0;
  const faces = twoD
    ? [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]]
    : [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]];
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (!mask[i]) continue;
        for (let f = 0; f < faces.length; f++) {
          if (!inMask(x + faces[f][0], y + faces[f][1], z + faces[f][2])) {
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
    for (let f = 0; f < faces.length; f++) {
      const xx = kx + faces[f][0], yy = ky + faces[f][1], zz = kz + faces[f][2];
      if (!inMask(xx, yy, zz)) continue;
      const j = xx + yy * nx + zz * sz;
      if (dist[j] !== 0) continue;
      dist[j] = dist[k] + 1;
      queue[tail++] = j;
    }
  }
  return dist;
}
