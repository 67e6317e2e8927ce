/**
 * Resampling of images and masks to a new voxel spacing (IBSI grid rules) or onto another image's grid.
 *
 * IBSI 1 reference manual, "Interpolation" (section 2.4 in v2 of the manual): the new grid keeps the direction, has
 * n_new = ceil(n * s / s_new) voxels per axis, and is centred on the original grid ("align grid centres"): the
 * centre of new voxel m sits at original index  (m * s_new - (s_new * (n_new - 1) - s * (n - 1)) / 2) / s.
 * Intensities beyond the border are extrapolated by repeating the nearest edge value. Interpolation is in float64,
 * output in Float32 (the manual asks for >= 32-bit floats); nearest neighbour keeps the input type.
 *
 * Methods match scipy.ndimage.map_coordinates(mode="nearest") (what MIRP uses), checked against scipy fixtures:
 *   nearest  = order 0 (round half up), linear = order 1 (tensor-product linear),
 *   bspline  = order 3: cubic B-spline coefficients from Unser's recursive prefilter (mirror initialisation) on the
 *              image padded by 12 edge voxels per side, then cubic B-spline evaluation with clamped taps.
 * Axes whose mapping is the identity (e.g. z with inPlaneOnly) are copied, not interpolated.
 */
import { NacError } from "../errors";
import { copyGeometry, indexToLps, indexToLpsMatrix, invert3 } from "./geometry";
import { cropBinary, labelsPresent, maskBoundingBox } from "./mask-bbox";
import { makeVolume, type Geometry, type Mask, type Vec3, type Volume, type VoxelArray } from "./volume";

export type ImageInterpolation = "nearest" | "linear" | "bspline";
export type MaskInterpolation = "nearest" | "linear";

export interface ResampleVolumeOptions {
  /** Target spacing in mm (x, y, z). With inPlaneOnly, z is ignored and the slices are kept. */
  spacing: Vec3;
  method: ImageInterpolation;
  /** Resample x and y only (IBSI configuration B: 2D in-plane interpolation). */
  inPlaneOnly?: boolean;
  /** Round interpolated intensities to the nearest integer (half to even, as numpy), as IBSI configs B-E ask. */
  roundIntensities?: boolean;
}

export interface ResampleMaskOptions {
  /** Target spacing (IBSI grid) ... */
  spacing?: Vec3;
  /** ... or an explicit target grid, e.g. the image's. Exactly one of spacing / referenceGeometry. */
  referenceGeometry?: Geometry;
  method: MaskInterpolation;
  /** Partial-volume threshold for "linear": a voxel is in the ROI when the interpolated fraction >= threshold. Default 0.5. */
  threshold?: number;
  inPlaneOnly?: boolean;
}

const BSPLINE_PAD = 12; // as scipy's _prepad_for_spline_filter for mode="nearest"
const Z_POLE = Math.sqrt(3) - 2;

/** Rounding tolerance for the IBSI ceil(): 0.6*5/0.3 must give 10, not 11. */
const CEIL_EPS = 1e-9;
/**
 * Exact ties at the partial-volume threshold are common (grid points half-way between two slices, e.g. IBSI CT
 * phantom at 2 mm: new slice 25 sits exactly at old index 16.5). Coordinates carry ~1e-15 rounding noise, so a
 * fraction that is 0.5 in exact arithmetic may come out as 0.49999999999999. A 1e-9 slack (a billionth of a voxel)
 * makes ties count as ">=", as the IBSI reference values require (config C: 40 slices, 45 985 voxels).
 */
const TIE_EPS = 1e-9;

/** The IBSI interpolation grid for a target spacing (direction kept, grid centre kept). */
export function ibsiGrid(g: Geometry, spacing: Vec3, inPlaneOnly = false): Geometry {
  const out = copyGeometry(g);
  const shift: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    if (inPlaneOnly && a === 2) continue;
    const s = spacing[a];
    if (!(s > 0) || !Number.isFinite(s)) {
      throw new NacError("SETTINGS_INVALID", `resampling spacing must be positive, got ${spacing.join(", ")}`);
    }
    const extent = (g.dims[a] * g.spacing[a]) / s;
    const n = Math.max(1, Math.ceil(extent * (1 - CEIL_EPS)));
    out.dims[a] = n;
    out.spacing[a] = s;
    // Index (in the original grid) of the new voxel 0.
    shift[a] = -(s * (n - 1) - g.spacing[a] * (g.dims[a] - 1)) / 2 / g.spacing[a];
  }
  out.origin = indexToLps(g, shift);
  return out;
}

/** Affine map from target index to source continuous index: c = A m + t. */
function indexMap(src: Geometry, dst: Geometry): { A: number[]; t: Vec3 } {
  const inv = invert3(indexToLpsMatrix(src));
  const M = indexToLpsMatrix(dst);
  const A = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      A[r * 3 + c] = inv[r * 3] * M[c] + inv[r * 3 + 1] * M[3 + c] + inv[r * 3 + 2] * M[6 + c];
    }
  const d = [dst.origin[0] - src.origin[0], dst.origin[1] - src.origin[1], dst.origin[2] - src.origin[2]];
  const t: Vec3 = [0, 1, 2].map((r) => inv[r * 3] * d[0] + inv[r * 3 + 1] * d[1] + inv[r * 3 + 2] * d[2]) as Vec3;
  return { A, t };
}

interface Taps {
  k: number; // taps per output coordinate
  idx: Int32Array; // m * k + j
  w: Float64Array;
}

/** 1D tap table for n_out coordinates c = a*m + b on a source axis of length n (offset `pad` for bspline). */
/**
 * 1D tap table for n_out coordinates c = a*(m + mOff) + b on a source axis of length n (offset `pad` for bspline).
 * With a sub-block of the source starting at sOff with subN voxels, indices are made relative to it and taps that
 * fall outside it get weight 0 (callers guarantee those voxels are 0).
 */
function tapTable(
  method: ImageInterpolation,
  nOut: number,
  a: number,
  b: number,
  n: number,
  pad: number,
  mOff = 0,
  sOff = 0,
  subN = n,
): Taps {
  const k = method === "nearest" ? 1 : method === "linear" ? 2 : 4;
  const idx = new Int32Array(nOut * k);
  const w = new Float64Array(nOut * k);
  const tmpI = new Int32Array(4),
    tmpW = new Float64Array(4);
  const limit = subN + 2 * pad;
  for (let m = 0; m < nOut; m++) {
    kernel(method, a * (m + mOff) + b, n, pad, tmpI, tmpW);
    for (let j = 0; j < k; j++) {
      const i = tmpI[j] - sOff;
      const inside = i >= 0 && i < limit;
      idx[m * k + j] = inside ? i : 0;
      w[m * k + j] = inside ? tmpW[j] : 0;
    }
  }
  return { k, idx, w };
}

/** Taps of one coordinate: indices clamped to the (padded) axis, i.e. edge values repeat. */
function kernel(method: ImageInterpolation, c: number, n: number, pad: number, I: Int32Array, W: Float64Array): void {
  const last = n + 2 * pad - 1;
  const clamp = (i: number) => (i < 0 ? 0 : i > last ? last : i);
  if (method === "nearest") {
    I[0] = clamp(Math.floor(c + 0.5));
    W[0] = 1;
  } else if (method === "linear") {
    const i0 = Math.floor(c);
    const f = c - i0;
    I[0] = clamp(i0);
    I[1] = clamp(i0 + 1);
    W[0] = 1 - f;
    W[1] = f;
  } else {
    const cp = c + pad;
    const fl = Math.floor(cp);
    const t = cp - fl;
    const t2 = t * t,
      t3 = t2 * t,
      u = 1 - t;
    W[0] = (u * u * u) / 6;
    W[1] = (3 * t3 - 6 * t2 + 4) / 6;
    W[2] = (-3 * t3 + 3 * t2 + 3 * t + 1) / 6;
    W[3] = t3 / 6;
    for (let j = 0; j < 4; j++) I[j] = clamp(fl - 1 + j);
  }
}

/** In-place cubic B-spline prefilter of one strided line (scipy's mirror initialisation). */
function prefilterLine(c: Float64Array, start: number, stride: number, n: number): void {
  if (n < 2) return;
  const z = Z_POLE;
  const gain = (1 - z) * (1 - 1 / z);
  for (let i = 0; i < n; i++) c[start + i * stride] *= gain;
  const at = (i: number) => start + i * stride;
  // Causal initialisation (mirror-symmetric boundary), exact sum.
  const zn1 = Math.pow(z, n - 1);
  let zi = z;
  let c0 = c[at(0)] + zn1 * c[at(n - 1)];
  for (let i = 1; i < n - 1; i++) {
    c0 += zi * (c[at(i)] + zn1 * c[at(n - 1 - i)]);
    zi *= z;
  }
  c[at(0)] = c0 / (1 - zn1 * zn1);
  for (let i = 1; i < n; i++) c[at(i)] += z * c[at(i - 1)];
  c[at(n - 1)] = (z / (z * z - 1)) * (z * c[at(n - 2)] + c[at(n - 1)]);
  for (let i = n - 2; i >= 0; i--) c[at(i)] = z * (c[at(i + 1)] - c[at(i)]);
}

/** Edge-padded float64 copy of the volume with cubic B-spline coefficients along the axes in `axes`. */
function bsplineCoefficients(
  data: VoxelArray,
  dims: Vec3,
  pads: Vec3,
  axes: boolean[],
): { c: Float64Array; dims: Vec3 } {
  const [nx, ny, nz] = dims;
  const pd: Vec3 = [nx + 2 * pads[0], ny + 2 * pads[1], nz + 2 * pads[2]];
  const c = new Float64Array(pd[0] * pd[1] * pd[2]);
  const cl = (i: number, n: number) => (i < 0 ? 0 : i >= n ? n - 1 : i);
  for (let z = 0; z < pd[2]; z++) {
    const sz = cl(z - pads[2], nz) * nx * ny;
    for (let y = 0; y < pd[1]; y++) {
      const sy = sz + cl(y - pads[1], ny) * nx;
      const o = (z * pd[1] + y) * pd[0];
      for (let x = 0; x < pd[0]; x++) c[o + x] = data[sy + cl(x - pads[0], nx)];
    }
  }
  if (axes[0])
    for (let z = 0; z < pd[2]; z++) for (let y = 0; y < pd[1]; y++) prefilterLine(c, (z * pd[1] + y) * pd[0], 1, pd[0]);
  if (axes[1])
    for (let z = 0; z < pd[2]; z++)
      for (let x = 0; x < pd[0]; x++) prefilterLine(c, z * pd[1] * pd[0] + x, pd[0], pd[1]);
  if (axes[2])
    for (let y = 0; y < pd[1]; y++)
      for (let x = 0; x < pd[0]; x++) prefilterLine(c, y * pd[0] + x, pd[0] * pd[1], pd[2]);
  return { c, dims: pd };
}

/**
 * One separable pass along `axis`: dims[axis] -> nOut using the tap table. With `pad` > 0 (B-spline) each line is
 * edge-padded and prefiltered on the fly; padding and prefiltering along one axis commute with the other axes'
 * operations, so this equals prefiltering the padded 3D volume, without holding a padded float64 copy of it.
 */
function pass(
  src: ArrayLike<number>,
  dims: Vec3,
  axis: number,
  t: Taps,
  nOut: number,
  pad = 0,
): { out: Float64Array; dims: Vec3 } {
  const od = [...dims] as Vec3;
  od[axis] = nOut;
  const out = new Float64Array(od[0] * od[1] * od[2]);
  const sStride = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1];
  const oStride = axis === 0 ? 1 : axis === 1 ? od[0] : od[0] * od[1];
  // Iterate over all lines along `axis`.
  const [n0, n1] = axis === 0 ? [od[1], od[2]] : axis === 1 ? [od[0], od[2]] : [od[0], od[1]];
  const { k, idx, w } = t;
  const len = dims[axis];
  const line = pad > 0 ? new Float64Array(len + 2 * pad) : null;
  for (let q = 0; q < n1; q++) {
    for (let p = 0; p < n0; p++) {
      let sBase: number, oBase: number;
      if (axis === 0) {
        sBase = (q * dims[1] + p) * dims[0];
        oBase = (q * od[1] + p) * od[0];
      } else if (axis === 1) {
        sBase = q * dims[0] * dims[1] + p;
        oBase = q * od[0] * od[1] + p;
      } else {
        sBase = q * dims[0] + p;
        oBase = q * od[0] + p;
      }
      if (line) {
        for (let i = 0; i < line.length; i++) {
          const c = i - pad;
          line[i] = src[sBase + (c < 0 ? 0 : c >= len ? len - 1 : c) * sStride];
        }
        prefilterLine(line, 0, 1, line.length);
        for (let m = 0; m < nOut; m++) {
          let acc = 0;
          for (let j = 0; j < k; j++) acc += w[m * k + j] * line[idx[m * k + j]];
          out[oBase + m * oStride] = acc;
        }
        continue;
      }
      for (let m = 0; m < nOut; m++) {
        let acc = 0;
        for (let j = 0; j < k; j++) acc += w[m * k + j] * src[sBase + idx[m * k + j] * sStride];
        out[oBase + m * oStride] = acc;
      }
    }
  }
  return { out, dims: od };
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Sample `vol` on the grid `target` (any geometry). Nearest keeps the voxel type; linear/bspline give Float32.
 */
export function resampleToGeometry(
  vol: Volume,
  target: Geometry,
  method: ImageInterpolation,
  roundIntensities = false,
): Volume {
  const result = sampleFloat64(vol, target, method);
  const n = result.length;
  let data: VoxelArray;
  if (method === "nearest") {
    data = new (vol.data.constructor as new (n: number) => VoxelArray)(n);
    data.set(result);
  } else {
    const f = new Float32Array(n);
    if (roundIntensities) for (let i = 0; i < n; i++) f[i] = roundHalfEven(result[i]);
    else f.set(result);
    data = f;
  }
  return makeVolume(data, target);
}

/** Interpolated values of `vol` at the voxel centres of `target`, in float64. */
export function sampleFloat64(vol: Volume, target: Geometry, method: ImageInterpolation): Float64Array {
  const { A, t } = indexMap(vol, target);
  const eps = 1e-9;
  const separable = [1, 2, 3, 5, 6, 7].every((i) => Math.abs(A[i]) < eps);
  const identityAxis = [0, 1, 2].map(
    (a) => separable && Math.abs(A[a * 4] - 1) < eps && Math.abs(t[a]) < eps && target.dims[a] === vol.dims[a],
  );
  const n = target.dims[0] * target.dims[1] * target.dims[2];
  let pads: Vec3 = [0, 0, 0];
  let src: ArrayLike<number> = vol.data;
  let sdims: Vec3 = [...vol.dims] as Vec3;
  if (method === "bspline") {
    pads = identityAxis.map((id) => (id ? 0 : BSPLINE_PAD)) as Vec3;
    if (!separable) {
      const co = bsplineCoefficients(
        vol.data,
        vol.dims,
        pads,
        identityAxis.map((id) => !id),
      );
      src = co.c;
      sdims = co.dims;
    }
  }
  let result: Float64Array;
  if (separable) {
    let cur: { out: ArrayLike<number>; dims: Vec3 } = { out: src, dims: sdims };
    for (let a = 0; a < 3; a++) {
      if (identityAxis[a] && pads[a] === 0) continue;
      const table = tapTable(method, target.dims[a], A[a * 4], t[a], vol.dims[a], pads[a]);
      cur = pass(cur.out, cur.dims, a, table, target.dims[a], pads[a]);
    }
    result = cur.out instanceof Float64Array ? cur.out : Float64Array.from(cur.out);
  } else {
    result = new Float64Array(n);
    const I = [new Int32Array(4), new Int32Array(4), new Int32Array(4)];
    const W = [new Float64Array(4), new Float64Array(4), new Float64Array(4)];
    const k = method === "nearest" ? 1 : method === "linear" ? 2 : 4;
    const sx = sdims[0],
      sxy = sdims[0] * sdims[1];
    let o = 0;
    for (let mz = 0; mz < target.dims[2]; mz++) {
      for (let my = 0; my < target.dims[1]; my++) {
        for (let mx = 0; mx < target.dims[0]; mx++, o++) {
          for (let a = 0; a < 3; a++) {
            const c = A[a * 3] * mx + A[a * 3 + 1] * my + A[a * 3 + 2] * mz + t[a];
            kernel(method, c, vol.dims[a], pads[a], I[a], W[a]);
          }
          let acc = 0;
          for (let c2 = 0; c2 < k; c2++) {
            for (let b = 0; b < k; b++) {
              const wzy = W[2][c2] * W[1][b];
              const base = I[2][c2] * sxy + I[1][b] * sx;
              for (let a = 0; a < k; a++) acc += wzy * W[0][a] * src[base + I[0][a]];
            }
          }
          result[o] = acc;
        }
      }
    }
  }
  return result;
}

/** Resample an image to a target spacing on the IBSI grid. */
export function resampleVolume(vol: Volume, opts: ResampleVolumeOptions): Volume {
  const grid = ibsiGrid(vol, opts.spacing, opts.inPlaneOnly ?? false);
  return resampleToGeometry(vol, grid, opts.method, opts.roundIntensities ?? false);
}

/**
 * Resample a label mask to a target spacing (IBSI grid) or onto a reference grid.
 * nearest: labels copied from the nearest voxel. linear: each label's indicator is interpolated and kept where the
 * fraction >= threshold (IBSI partial-volume rule); where several labels pass, the largest fraction wins (the smaller
 * label on a tie). Only the block of the target grid near each label's bounding box is computed.
 */
export function resampleMask(mask: Mask, opts: ResampleMaskOptions): Mask {
  if ((opts.spacing === undefined) === (opts.referenceGeometry === undefined)) {
    throw new NacError("SETTINGS_INVALID", "resampleMask needs exactly one of spacing or referenceGeometry");
  }
  const grid = opts.referenceGeometry
    ? copyGeometry(opts.referenceGeometry)
    : ibsiGrid(mask, opts.spacing!, opts.inPlaneOnly ?? false);
  const threshold = opts.method === "nearest" ? 1 : (opts.threshold ?? 0.5);
  if (!(threshold > 0 && threshold <= 1)) {
    throw new NacError("SETTINGS_INVALID", `partial-volume threshold must be in (0, 1], got ${threshold}`);
  }
  const present = labelsPresent(mask.data);
  const n = grid.dims[0] * grid.dims[1] * grid.dims[2];
  const out = new Uint8Array(n);
  let nLabels = 0;
  for (let label = 1; label < 256; label++) nLabels += present[label];
  // Per-voxel best fraction is only needed to arbitrate between several labels.
  const best = nLabels > 1 ? new Float64Array(n) : null;
  // Ascending labels with a strict ">" : on equal fractions the smaller label wins (deterministic).
  for (let label = 1; label < 256; label++) {
    if (!present[label]) continue;
    sampleLabel(mask, label, grid, opts.method, (i, frac) => {
      if (frac < threshold - TIE_EPS) return;
      if (best) {
        if (!(frac > best[i])) return;
        best[i] = frac;
      }
      out[i] = label;
    });
  }
  return makeVolume(out, grid);
}

/**
 * Indicator of `label` sampled (nearest) or interpolated (linear) on `grid`; `visit(targetIndex, value)` is called
 * for every target voxel where the value can be non-zero. For axis-aligned maps only the target block whose source
 * coordinates fall within the label's bounding box +-1 voxel is computed (beyond it every tap reads 0, or the
 * repeated edge when the box touches the image border, in which case the block extends to the grid's end), so a
 * small ROI in a large image costs little. Other maps sample the whole grid.
 */
function sampleLabel(
  mask: Mask,
  label: number,
  grid: Geometry,
  method: MaskInterpolation,
  visit: (i: number, v: number) => void,
): void {
  const box = maskBoundingBox(mask, label);
  if (!box) return;
  const { A, t } = indexMap(mask, grid);
  const separable = [1, 2, 3, 5, 6, 7].every((i) => Math.abs(A[i]) < 1e-9);
  const src = { lo: [0, 0, 0] as Vec3, dims: [...mask.dims] as Vec3 };
  const dst = { lo: [0, 0, 0] as Vec3, dims: [...grid.dims] as Vec3 };
  if (separable) {
    for (let a = 0; a < 3; a++) {
      const n = mask.dims[a];
      const cmin = box.lo[a] - 1 < 0 ? -Infinity : box.lo[a] - 1;
      const cmax = box.hi[a] + 1 > n - 1 ? Infinity : box.hi[a] + 1;
      // Target indices m with cmin <= A m + t <= cmax (A may be negative for a flipped axis).
      const s = A[a * 4];
      let m0 = (cmin - t[a]) / s,
        m1 = (cmax - t[a]) / s;
      if (m0 > m1) [m0, m1] = [m1, m0];
      const lo = Math.max(0, Number.isFinite(m0) ? Math.floor(m0) - 1 : 0);
      const hi = Math.min(grid.dims[a] - 1, Number.isFinite(m1) ? Math.ceil(m1) + 1 : grid.dims[a] - 1);
      if (hi < lo) return;
      dst.lo[a] = lo;
      dst.dims[a] = hi - lo + 1;
      src.lo[a] = Math.max(0, box.lo[a] - 1);
      src.dims[a] = Math.min(n - 1, box.hi[a] + 1) - src.lo[a] + 1;
    }
  }
  let v: Float64Array;
  if (separable) {
    // Same coordinates as the whole-grid computation (full indices, then shifted), so results are bit-identical.
    let cur: { out: ArrayLike<number>; dims: Vec3 } = {
      out: cropBinary(mask, src.lo, src.dims, label),
      dims: src.dims,
    };
    for (let a = 0; a < 3; a++) {
      const table = tapTable(method, dst.dims[a], A[a * 4], t[a], mask.dims[a], 0, dst.lo[a], src.lo[a], src.dims[a]);
      cur = pass(cur.out, cur.dims, a, table, dst.dims[a]);
    }
    v = cur.out as Float64Array;
  } else {
    v = sampleFloat64(makeVolume(cropBinary(mask, src.lo, src.dims, label), mask), grid, method);
  }
  const [gx, gy] = grid.dims;
  for (let k = 0, i = 0; k < dst.dims[2]; k++)
    for (let j = 0; j < dst.dims[1]; j++) {
      const row = ((k + dst.lo[2]) * gy + (j + dst.lo[1])) * gx + dst.lo[0];
      for (let x = 0; x < dst.dims[0]; x++, i++) if (v[i] > 0) visit(row + x, v[i]);
    }
}
