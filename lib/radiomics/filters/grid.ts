/**
 * The grid every filter works on: float64 voxels in the engine's layout (i fastest), with the voxel spacing that turns
 * sizes in mm into voxels, and the four IBSI 2 boundary conditions.
 */
import type { Vec3 } from "@/lib/imaging/volume";
import { NacError } from "@/lib/errors/nac-error";

export interface FilterGrid {
  data: Float64Array;
  dims: Vec3;
  spacing: Vec3;
}

/** A read-only input grid: any numeric voxel array (a filter reads it, never writes it). */
export interface SourceGrid {
  data: ArrayLike<number>;
  dims: Vec3;
  spacing: Vec3;
}

/** A block of grid voxels: lo..hi (inclusive) along each axis. */
export interface VoxelBlock {
  lo: Vec3;
  hi: Vec3;
}

export function wholeGrid(dims: Vec3): VoxelBlock {
  return { lo: [0, 0, 0], hi: [dims[0] - 1, dims[1] - 1, dims[2] - 1] };
}

export function blockDims(b: VoxelBlock): Vec3 {
  return [b.hi[0] - b.lo[0] + 1, b.hi[1] - b.lo[1] + 1, b.hi[2] - b.lo[2] + 1];
}

/** The values of `g` on block b, as a grid of the block's size. */
export function cropToBlock(g: SourceGrid, b: VoxelBlock): FilterGrid {
  const dims = blockDims(b);
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  const [nx, ny] = g.dims;
  for (let z = 0, o = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++) {
      const s = b.lo[0] + nx * (b.lo[1] + y + ny * (b.lo[2] + z));
      for (let x = 0; x < dims[0]; x++) data[o++] = g.data[s + x];
    }
  return { data, dims, spacing: [...g.spacing] as Vec3 };
}

/**
 * IBSI 2 boundary conditions: zero (pad with 0), nearest (repeat the edge voxel), periodic (wrap), mirror (symmetric
 * with the edge voxel repeated: ... c b a | a b c ...; numpy "symmetric", scipy.ndimage "reflect").
 */
export const BOUNDARIES = ["zero", "nearest", "periodic", "mirror"] as const;
export type Boundary = (typeof BOUNDARIES)[number];

/** 2D filters run on each i-j (axial) plane; 3D filters on the volume. */
export type Dimensionality = "2D" | "3D";

/** Index into [0, n) for a possibly outside index t under the boundary condition; -1 means "zero". */
export function boundaryIndex(t: number, n: number, b: Boundary): number {
  if (t >= 0 && t < n) return t;
  switch (b) {
    case "zero":
      return -1;
    case "nearest":
      return t < 0 ? 0 : n - 1;
    case "periodic":
      return ((t % n) + n) % n;
    case "mirror": {
      const p = 2 * n;
      const m = ((t % p) + p) % p;
      return m < n ? m : p - 1 - m;
    }
  }
}

export function gridOf(data: ArrayLike<number>, dims: Vec3, spacing: Vec3): FilterGrid {
  return { data: Float64Array.from(data as ArrayLike<number>), dims: [...dims] as Vec3, spacing: [...spacing] as Vec3 };
}

export function like(g: FilterGrid, data: Float64Array): FilterGrid {
  return { data, dims: [...g.dims] as Vec3, spacing: [...g.spacing] as Vec3 };
}

export function assertBoundary(b: string): asserts b is Boundary {
  if (!(BOUNDARIES as readonly string[]).includes(b)) {
    throw new NacError(
      "SETTINGS_INVALID",
      `unknown boundary condition ${JSON.stringify(b)} (${BOUNDARIES.join(", ")})`,
    );
  }
}

/**
 * Convolve every line along `axis` with an odd-length kernel h (centre (L-1)/2): out[i] = sum_k h[k] x[i - k + c].
 * Convolution, not correlation (IBSI 2: the Laws E5 response to an impulse is negative at p-2).
 */
export function convolveAxis(
  src: Float64Array,
  dims: Vec3,
  axis: number,
  h: ArrayLike<number>,
  b: Boundary,
): Float64Array {
  const L = h.length;
  if (L % 2 !== 1) throw new RangeError("convolveAxis needs an odd-length kernel");
  const c = (L - 1) / 2;
  const n = dims[axis];
  const out = new Float64Array(src.length);
  const strides = [1, dims[0], dims[0] * dims[1]];
  const s = strides[axis];
  const [o1, o2] = [0, 1, 2].filter((a) => a !== axis);
  const ext = new Float64Array(n + 2 * c);
  // Kernel taps reversed once, so the inner loop is a plain dot product over the extended line.
  const hr = new Float64Array(L);
  for (let k = 0; k < L; k++) hr[k] = h[L - 1 - k];
  const idx = new Int32Array(n + 2 * c);
  for (let j = 0; j < n + 2 * c; j++) idx[j] = boundaryIndex(j - c, n, b);
  for (let q = 0; q < dims[o2]; q++) {
    for (let p = 0; p < dims[o1]; p++) {
      const base = p * strides[o1] + q * strides[o2];
      for (let j = 0; j < ext.length; j++) ext[j] = idx[j] < 0 ? 0 : src[base + idx[j] * s];
      for (let i = 0; i < n; i++) {
        // x[i - k + c] = ext[i - k + 2c]; with m = L-1-k: ext[i + m] * h[L-1-m] = ext[i + m] * hr[m].
        let acc = 0;
        for (let m = 0; m < L; m++) acc += hr[m] * ext[i + m];
        out[base + i * s] = acc;
      }
    }
  }
  return out;
}

/** Apply 1D kernels along the given axes in turn (null = leave that axis). */
export function convolveSeparable(
  src: Float64Array,
  dims: Vec3,
  kernels: (ArrayLike<number> | null)[],
  b: Boundary,
): Float64Array {
  let cur = src;
  // Same order as scipy-based references (k, j, i); the result does not depend on it beyond rounding.
  for (const axis of [2, 1, 0]) {
    const h = kernels[axis];
    if (h) cur = convolveAxis(cur, dims, axis, h, b);
  }
  return cur === src ? Float64Array.from(src) : cur;
}

/** Odd-length version of a kernel: even kernels get a trailing zero (so the centre is index L/2 of the original). */
export function oddKernel(h: ArrayLike<number>): Float64Array {
  const L = h.length;
  const out = new Float64Array(L % 2 === 0 ? L + 1 : L);
  for (let i = 0; i < L; i++) out[i] = h[i];
  return out;
}
