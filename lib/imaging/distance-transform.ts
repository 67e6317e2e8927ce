/**
 * Exact Euclidean distance transform in physical units (mm) for anisotropic voxel grids.
 *
 * Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled Functions" (Theory of Computing 2012): the squared
 * EDT is separable; each 1D pass computes the lower envelope of parabolas (x - q*s)^2 + f(q) with the axis spacing s,
 * so the result is exact (up to float64 rounding) for any spacing. Two distances are offered: `squaredEdt` between
 * voxel centres, and `squaredDistanceToVoxelRegion` from a voxel centre to the object's voxel faces (the boundary
 * a margin should be measured from; used for the peritumoral shell).
 * Axes are assumed orthogonal (true for every DICOM/NIfTI image without shear); the direction cosines do not
 * matter otherwise because distances are rotation-invariant.
 */
import { NacError } from "../errors";
import { lowerEnvelope } from "./lower-envelope";
import type { Vec3 } from "./volume";

/**
 * Squared distance (mm^2) from each voxel to the nearest voxel with `feature[i] !== 0`.
 * Voxels are Infinity when there is no feature voxel at all.
 */
export function squaredEdt(feature: ArrayLike<number>, dims: Vec3, spacing: Vec3): Float64Array {
  return separableTransform(feature, dims, spacing, false);
}

/**
 * Squared distance (mm^2) from each voxel centre to the region covered by the feature voxels, each voxel being
 * the box [i - 1/2, i + 1/2] x spacing (i.e. to the nearest point of the object's voxel faces; 0 inside).
 * Per axis the cost to a voxel q != x is ((|x - q| - 1/2) s)^2: a parabola centred half a voxel towards x. The
 * minimum over q of that one-sided cost equals min(f(x), envelope with centres at q + 1/2, envelope with centres at
 * q - 1/2), because each wrong-side parabola is dominated by the right-side one of the same q; so the FH lower
 * envelope still applies, and the transform stays separable and exact.
 */
export function squaredDistanceToVoxelRegion(feature: ArrayLike<number>, dims: Vec3, spacing: Vec3): Float64Array {
  return separableTransform(feature, dims, spacing, true);
}

function separableTransform(feature: ArrayLike<number>, dims: Vec3, spacing: Vec3, toFaces: boolean): Float64Array {
  const [nx, ny, nz] = dims;
  const n = nx * ny * nz;
  if (feature.length !== n)
    throw new NacError("DATA_INVALID", `EDT input has ${feature.length} voxels, dims give ${n}`);
  for (const s of spacing) {
    if (!(s > 0) || !Number.isFinite(s))
      throw new NacError("DATA_INVALID", `EDT spacing must be positive, got ${spacing.join(", ")}`);
  }
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = feature[i] ? 0 : Infinity;
  const maxN = Math.max(nx, ny, nz);
  const w: Work = {
    f: new Float64Array(maxN),
    out: new Float64Array(maxN),
    out2: new Float64Array(maxN),
    v: new Int32Array(maxN),
    z: new Float64Array(maxN + 1),
  };
  const line = (start: number, stride: number, len: number, s: number) =>
    toFaces ? faces1d(d, start, stride, len, s, w) : centres1d(d, start, stride, len, s, w);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) line((k * ny + j) * nx, 1, nx, spacing[0]);
  for (let k = 0; k < nz; k++) for (let i = 0; i < nx; i++) line(k * nx * ny + i, nx, ny, spacing[1]);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) line(j * nx + i, nx * ny, nz, spacing[2]);
  return d;
}

interface Work {
  f: Float64Array;
  out: Float64Array;
  out2: Float64Array;
  v: Int32Array;
  z: Float64Array;
}

function load(d: Float64Array, start: number, stride: number, n: number, f: Float64Array): boolean {
  let any = false;
  for (let q = 0; q < n; q++) {
    f[q] = d[start + q * stride];
    if (f[q] !== Infinity) any = true;
  }
  return any;
}

function centres1d(d: Float64Array, start: number, stride: number, n: number, s: number, w: Work): void {
  if (!load(d, start, stride, n, w.f)) return; // whole line infinitely far; nothing to propagate
  envelope(w.f, n, s, 0, w.out, w.v, w.z);
  for (let q = 0; q < n; q++) d[start + q * stride] = w.out[q];
}

function faces1d(d: Float64Array, start: number, stride: number, n: number, s: number, w: Work): void {
  if (!load(d, start, stride, n, w.f)) return;
  envelope(w.f, n, s, 0.5, w.out, w.v, w.z);
  envelope(w.f, n, s, -0.5, w.out2, w.v, w.z);
  for (let q = 0; q < n; q++) d[start + q * stride] = Math.min(w.f[q], w.out[q], w.out2[q]);
}

/**
 * FH lower envelope (lower-envelope.ts) at the voxel centres: out[x] = min_q ((x - q - shift) s)^2 + f[q] over finite f[q] (parabola centres (q + shift) s).
 */
function envelope(
  f: Float64Array,
  n: number,
  s: number,
  shift: number,
  out: Float64Array,
  v: Int32Array,
  z: Float64Array,
): void {
  lowerEnvelope(f, n, s, shift, v, z);
  let j = 0;
  for (let q = 0; q < n; q++) {
    const x = q * s;
    while (z[j + 1] < x) j++;
    const dx = x - (v[j] + shift) * s;
    out[q] = dx * dx + f[v[j]];
  }
}

/** Euclidean distance (mm) from each voxel centre to the nearest centre of a voxel where `mask !== 0`. */
export function distanceToMask(mask: ArrayLike<number>, dims: Vec3, spacing: Vec3): Float64Array {
  const d = squaredEdt(mask, dims, spacing);
  for (let i = 0; i < d.length; i++) d[i] = Math.sqrt(d[i]);
  return d;
}
