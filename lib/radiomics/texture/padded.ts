/**
 * The ROI's grey levels copied onto its bounding box padded with a border of zeros, so neighbour lookups need no
 * bounds checks: a neighbour outside the box reads level 0 (outside the ROI), which is exactly how every family treats
 * voxels outside the ROI. Cached per ROI and padding.
 */
import { roiBox, type RoiBox } from "./neighbourhood";
import type { DiscretisedRoi } from "./types";

export interface PaddedRoi {
  box: RoiBox;
  pad: number;
  /** Padded grid dimensions and levels (0 outside the ROI). */
  px: number;
  py: number;
  pz: number;
  lv: Int32Array;
  /** Padded-grid index of each ROI voxel, in raster order (x fastest, then y, then z). */
  voxels: Int32Array;
  /** z - z0 of each ROI voxel. */
  slice: Int32Array;
  /** Original-grid index of each ROI voxel. */
  orig: Int32Array;
  /** ROI voxels of slice s (z - z0) are voxels[sliceStart[s] .. sliceStart[s + 1]). */
  sliceStart: Int32Array;
}

const cache = new WeakMap<Int32Array, Map<number, PaddedRoi>>();

export function paddedRoi(roi: DiscretisedRoi, pad: number): PaddedRoi {
  let byPad = cache.get(roi.levels);
  if (!byPad) {
    byPad = new Map();
    cache.set(roi.levels, byPad);
  }
  const hit = byPad.get(pad);
  if (hit) return hit;
  const box = roiBox(roi);
  const { nx, ny, x0, x1, y0, y1, z0, z1 } = box;
  const px = x1 - x0 + 1 + 2 * pad;
  const py = y1 - y0 + 1 + 2 * pad;
  const pz = z1 - z0 + 1 + 2 * pad;
  const lv = new Int32Array(px * py * pz);
  const voxels = new Int32Array(box.count);
  const slice = new Int32Array(box.count);
  const orig = new Int32Array(box.count);
  const src = roi.levels;
  let k = 0;
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      let i = x0 + y * nx + z * nx * ny;
      let j = pad + (y - y0 + pad) * px + (z - z0 + pad) * px * py;
      for (let x = x0; x <= x1; x++, i++, j++) {
        const l = src[i];
        if (l === 0) continue;
        lv[j] = l;
        voxels[k] = j;
        slice[k] = z - z0;
        orig[k] = i;
        k++;
      }
    }
  }
  const nSlices = z1 - z0 + 1;
  const sliceStart = new Int32Array(nSlices + 1);
  for (let v = 0; v < k; v++) sliceStart[slice[v] + 1]++;
  for (let s = 0; s < nSlices; s++) sliceStart[s + 1] += sliceStart[s];
  const p = { box, pad, px, py, pz, lv, voxels, slice, orig, sliceStart };
  byPad.set(pad, p);
  return p;
}

/** Largest absolute offset component: the padding the offsets need. */
export function reach(offsets: Int32Array): number {
  let m = 1;
  for (let k = 0; k < offsets.length; k++) m = Math.max(m, Math.abs(offsets[k]));
  return m;
}

/** Linear index offsets on the padded grid for [dx, dy, dz] triples. */
export function padDeltas(p: PaddedRoi, offsets: Int32Array): Int32Array {
  const n = offsets.length / 3;
  const out = new Int32Array(n);
  for (let d = 0; d < n; d++) out[d] = offsets[3 * d] + offsets[3 * d + 1] * p.px + offsets[3 * d + 2] * p.px * p.py;
  return out;
}
