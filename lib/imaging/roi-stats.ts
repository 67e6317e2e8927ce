/**
 * ROI statistics of a mask: voxel count, volume, bounding box, centroid, longest 3D diameter and longest in-plane
 * diameter (RECIST-like).
 *
 * Diameters are distances between voxel centres (LPS mm). The farthest pair of a point set lies on its convex hull,
 * and a hull vertex is an extreme point of every axis-parallel line through it; so only voxels that are the first or
 * last ROI voxel of their x-row AND y-column AND z-column (in-plane: x-row AND y-column of the slice) are compared.
 * This is exact and leaves a few thousand candidates for a 200k-voxel tumour.
 * "In-plane" means within one image slice (k constant); "axial" within planes of the image axis closest to the
 * patient's superior-inferior axis (RECIST), which differs from the slices for sagittal or coronal acquisitions.
 */
import { NacError } from "../errors";
import { indexToLps } from "./geometry";
import { cropBinary, maskBoundingBox } from "./mask-bbox";
import type { Mask, Vec3 } from "./volume";

export interface RoiStats {
  voxelCount: number;
  volumeMm3: number;
  /** Inclusive voxel-index bounding box. */
  bboxMin: Vec3;
  bboxMax: Vec3;
  /** Mean voxel-centre position (LPS mm). */
  centroidLps: Vec3;
  maxDiameter3dMm: number;
  maxDiameterInPlaneMm: number;
  /** Slice index k where the longest in-plane diameter lies. */
  maxDiameterInPlaneSlice: number;
  /** Longest diameter within an axial plane (RECIST): planes of `axialAxis` (image axis closest to LPS z). */
  maxDiameterAxialMm: number;
  axialAxis: number;
  /** Index along axialAxis of that plane. */
  maxDiameterAxialPlane: number;
}

export interface RoiStatsOptions {
  /** Only this label counts; default: any non-zero voxel. */
  label?: number;
}

export function roiStats(mask: Mask, opts: RoiStatsOptions = {}): RoiStats {
  const roi = cropRoi(mask, opts.label);
  const [cx, cy, cz] = roi.size;
  let si = 0,
    sj = 0,
    sk = 0;
  for (let k = 0, i = 0; k < cz; k++)
    for (let j = 0; j < cy; j++)
      for (let x = 0; x < cx; x++, i++) {
        if (!roi.bin[i]) continue;
        si += x;
        sj += j;
        sk += k;
      }
  const n = roi.count;
  const inPlane = inPlaneDiameter(mask, roi);
  const ax = axialAxis(mask);
  const axial = ax === 2 ? inPlane : inPlaneDiameter(mask, roi, ax);
  return {
    voxelCount: n,
    volumeMm3: n * mask.spacing[0] * mask.spacing[1] * mask.spacing[2],
    bboxMin: roi.lo,
    bboxMax: roi.hi,
    centroidLps: indexToLps(mask, [roi.lo[0] + si / n, roi.lo[1] + sj / n, roi.lo[2] + sk / n]),
    maxDiameter3dMm: diameter3d(mask, roi),
    maxDiameterInPlaneMm: inPlane.diameterMm,
    maxDiameterInPlaneSlice: inPlane.slice,
    maxDiameterAxialMm: axial.diameterMm,
    axialAxis: ax,
    maxDiameterAxialPlane: axial.slice,
  };
}

/** The ROI as a 0/1 array on its bounding box (diameters only ever look inside it). */
interface CroppedRoi {
  bin: Uint8Array;
  lo: Vec3;
  hi: Vec3;
  size: Vec3;
  count: number;
}

function cropRoi(mask: Mask, label?: number): CroppedRoi {
  const box = maskBoundingBox(mask, label);
  if (!box) throw new NacError("MASK_EMPTY", `ROI${label !== undefined ? ` label ${label}` : ""} is empty`);
  const size = [0, 1, 2].map((a) => box.hi[a] - box.lo[a] + 1) as Vec3;
  return { bin: cropBinary(mask, box.lo, size, label), lo: box.lo, hi: box.hi, size, count: box.count };
}

/** Bit a set where the voxel is the first/last ROI voxel of its line along axis a (for each a in axes). */
function extremeFlags(bin: Uint8Array, size: Vec3, axes: number[]): Uint8Array {
  const flags = new Uint8Array(bin.length);
  const strides = [1, size[0], size[0] * size[1]];
  for (const a of axes) {
    const [b, c] = [0, 1, 2].filter((x) => x !== a);
    const len = size[a],
      sa = strides[a];
    for (let q = 0; q < size[c]; q++)
      for (let p = 0; p < size[b]; p++) {
        const base = p * strides[b] + q * strides[c];
        let first = -1,
          last = -1;
        for (let t = 0; t < len; t++) {
          if (bin[base + t * sa]) {
            if (first < 0) first = t;
            last = t;
          }
        }
        if (first >= 0) {
          flags[base + first * sa] |= 1 << a;
          flags[base + last * sa] |= 1 << a;
        }
      }
  }
  return flags;
}

function farthestPair(pts: Float64Array): number {
  const m = pts.length / 3;
  let best = 0;
  for (let p = 0; p < m; p++) {
    const x = pts[3 * p],
      y = pts[3 * p + 1],
      z = pts[3 * p + 2];
    for (let q = p + 1; q < m; q++) {
      const dx = pts[3 * q] - x,
        dy = pts[3 * q + 1] - y,
        dz = pts[3 * q + 2] - z;
      const d = dx * dx + dy * dy + dz * dz;
      if (d > best) best = d;
    }
  }
  return Math.sqrt(best);
}

/** LPS positions of the flagged crop voxels. */
function positions(mask: Mask, roi: CroppedRoi, idx: number[]): Float64Array {
  const [cx, cy] = roi.size;
  const out = new Float64Array(idx.length * 3);
  idx.forEach((i, p) => {
    const x = i % cx,
      j = Math.floor(i / cx) % cy,
      k = Math.floor(i / (cx * cy));
    const q = indexToLps(mask, [x + roi.lo[0], j + roi.lo[1], k + roi.lo[2]]);
    out[3 * p] = q[0];
    out[3 * p + 1] = q[1];
    out[3 * p + 2] = q[2];
  });
  return out;
}

function diameter3d(mask: Mask, roi: CroppedRoi): number {
  const flags = extremeFlags(roi.bin, roi.size, [0, 1, 2]);
  const cand: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i] === 7) cand.push(i);
  return farthestPair(positions(mask, roi, cand));
}

/**
 * Longest in-plane diameter over the planes of constant index along `normalAxis` (2 = image slices). The
 * candidates are extreme along both in-plane axes within their plane.
 */
function inPlaneDiameter(mask: Mask, roi: CroppedRoi, normalAxis = 2): { diameterMm: number; slice: number } {
  const inPlaneAxes = [0, 1, 2].filter((a) => a !== normalAxis);
  const flags = extremeFlags(roi.bin, roi.size, inPlaneAxes);
  const want = inPlaneAxes.reduce((f, a) => f | (1 << a), 0);
  const [cx, cy, cz] = roi.size;
  const byPlane: number[][] = Array.from({ length: roi.size[normalAxis] }, () => []);
  for (let k = 0, i = 0; k < cz; k++)
    for (let j = 0; j < cy; j++)
      for (let x = 0; x < cx; x++, i++) {
        if (flags[i] === want) byPlane[normalAxis === 0 ? x : normalAxis === 1 ? j : k].push(i);
      }
  let best = -1,
    bestPlane = -1;
  byPlane.forEach((cand, p) => {
    if (cand.length === 0) return;
    const d = farthestPair(positions(mask, roi, cand));
    if (d > best) {
      best = d;
      bestPlane = p + roi.lo[normalAxis];
    }
  });
  return { diameterMm: best, slice: bestPlane };
}

/** The image axis closest to the patient's superior-inferior axis (LPS z): its planes are the axial planes. */
export function axialAxis(mask: Pick<Mask, "direction">): number {
  const zs = [0, 1, 2].map((a) => Math.abs(mask.direction[a * 3 + 2]));
  return zs.indexOf(Math.max(...zs));
}

/** Longest distance (mm) between two ROI voxel centres. */
export function maxDiameter3d(mask: Mask, opts: RoiStatsOptions = {}): number {
  return diameter3d(mask, cropRoi(mask, opts.label));
}

/**
 * Longest distance (mm) between two ROI voxel centres in the same plane, and that plane's index. plane "slice"
 * (default): image slices (k constant); "axial": planes of the image axis closest to superior-inferior (for axial
 * acquisitions the same as "slice"; for sagittal/coronal ones the reconstructed axial planes).
 */
export function maxDiameterInPlane(
  mask: Mask,
  opts: RoiStatsOptions & { plane?: "slice" | "axial" } = {},
): { diameterMm: number; slice: number; axis: number } {
  const axis = opts.plane === "axial" ? axialAxis(mask) : 2;
  return { ...inPlaneDiameter(mask, cropRoi(mask, opts.label), axis), axis };
}
