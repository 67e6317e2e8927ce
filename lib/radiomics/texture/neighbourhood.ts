/**
 * ROI bounding box and the neighbourhood offsets (directions) the texture families walk.
 * Offsets are [dx, dy, dz] triples in a flat Int32Array.
 */
import { NacError } from "@/lib/errors/nac-error";
import type { DiscretisedRoi } from "./types";

/** Inclusive bounding box of the ROI (levels > 0) plus grid strides. */
export interface RoiBox {
  nx: number;
  ny: number;
  nz: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  z0: number;
  z1: number;
  /** Number of ROI voxels. */
  count: number;
}

const boxCache = new WeakMap<Int32Array, RoiBox>();

export function roiBox(roi: DiscretisedRoi): RoiBox {
  const cached = boxCache.get(roi.levels);
  if (cached) return cached;
  const [nx, ny, nz] = roi.dims;
  const lv = roi.levels;
  if (lv.length !== nx * ny * nz) {
    throw new NacError("GEOMETRY_MISMATCH", `levels length ${lv.length} does not match dims ${roi.dims.join("x")}`);
  }
  let x0 = nx,
    x1 = -1,
    y0 = ny,
    y1 = -1,
    z0 = nz,
    z1 = -1,
    count = 0;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const l = lv[i];
        if (l <= 0) continue;
        if (l > roi.nLevels) {
          throw new NacError("DATA_INVALID", `grey level ${l} at voxel ${i} exceeds nLevels ${roi.nLevels}`);
        }
        count++;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (z < z0) z0 = z;
        if (z > z1) z1 = z;
      }
    }
  }
  if (count === 0) throw new NacError("MASK_EMPTY", "the discretised ROI has no voxels");
  const box = { nx, ny, nz, x0, x1, y0, y1, z0, z1, count };
  boxCache.set(roi.levels, box);
  return box;
}

/**
 * pyradiomics' angle generation (cmatrices.c build_angles): offsets (z, y, x) enumerated from (+D, +D, +D) down to
 * (-D, -D, -D) (D = the largest distance) with x fastest, keeping those whose infinity norm is one of `distances`, that
 * fit the ROI bounding box (|offset| < size) and, with force2D, have no z offset. Unidirectional = the first half of
 * that list (13 for distance 1 in 3D, in pyradiomics' order: (1,1,1), (1,1,0), (1,1,-1), ... in (z, y, x)).
 * Returned as [dx, dy, dz].
 */
export function pyradiomicsAngles(
  box: RoiBox,
  distances: number | readonly number[],
  bidirectional: boolean,
  force2D: boolean,
): Int32Array {
  const list = typeof distances === "number" ? [distances] : [...distances];
  if (list.length === 0 || list.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new NacError("SETTINGS_INVALID", `distances must be integers >= 1, got ${list.join(", ")}`);
  }
  const wanted = new Set(list);
  const dMax = Math.max(...list);
  const size = [box.z1 - box.z0 + 1, box.y1 - box.y0 + 1, box.x1 - box.x0 + 1];
  const out: number[] = [];
  for (let oz = dMax; oz >= -dMax; oz--) {
    for (let oy = dMax; oy >= -dMax; oy--) {
      for (let ox = dMax; ox >= -dMax; ox--) {
        const o = [oz, oy, ox];
        if (force2D && oz !== 0) continue;
        if (o.some((v, d) => v >= size[d] || v <= -size[d])) continue;
        if (!wanted.has(Math.max(Math.abs(oz), Math.abs(oy), Math.abs(ox)))) continue;
        out.push(ox, oy, oz);
      }
    }
  }
  const n = out.length / 3;
  return Int32Array.from(bidirectional ? out : out.slice(0, (n / 2) * 3));
}

/** IBSI GLCM/GLRLM directions: the 13 unique 3D directions, or the 4 in-plane ones, scaled by `distance`. */
export function ibsiDirections(twoD: boolean, distance = 1): Int32Array {
  const out: number[] = [];
  for (let dz = 0; dz <= (twoD ? 0 : 1); dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        // One of each (o, -o) pair: the lexicographically positive one in (dz, dy, dx).
        if (dz === 0 && (dy < 0 || (dy === 0 && dx <= 0))) continue;
        out.push(dx * distance, dy * distance, dz * distance);
      }
    }
  }
  return Int32Array.from(out);
}

/** All neighbour offsets within Chebyshev distance `distance` (IBSI NGTDM/NGLDM), in-plane only when twoD. */
export function chebyshevNeighbourhood(twoD: boolean, distance: number): Int32Array {
  if (!Number.isInteger(distance) || distance < 1)
    throw new NacError("SETTINGS_INVALID", `distance must be an integer >= 1, got ${distance}`);
  const out: number[] = [];
  const dzMax = twoD ? 0 : distance;
  for (let dz = -dzMax; dz <= dzMax; dz++) {
    for (let dy = -distance; dy <= distance; dy++) {
      for (let dx = -distance; dx <= distance; dx++) {
        if (dx === 0 && dy === 0 && dz === 0) continue;
        out.push(dx, dy, dz);
      }
    }
  }
  return Int32Array.from(out);
}
