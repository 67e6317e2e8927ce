/**
 * Image processing before feature computation: pyradiomics normalisation, the pyradiomics resampling grid, and
 * re-segmentation of the intensity mask (IBSI range + outlier filtering; pyradiomics absolute/relative/sigma modes).
 */
import type { Geometry, Vec3, Volume } from "@/lib/imaging/volume";
import { makeVolume } from "@/lib/imaging/volume";
import { indexToLps } from "@/lib/imaging/geometry";
import { NacError } from "@/lib/errors/nac-error";
import type { RadiomicsSettings } from "./settings";
import type { BoundingBox } from "./roi";

/**
 * pyradiomics normalizeImage: sitk.Normalize over the whole image (mean, and ITK's sample standard deviation),
 * optional clipping at +-removeOutliers, then multiplication by normalizeScale.
 */
export function pyradiomicsNormalize(image: Volume, scale: number, removeOutliers: number | null): Volume {
  const d = image.data;
  const n = d.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += d[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  if (!(sd > 0))
    throw new NacError("FEATURE_NOT_COMPUTABLE", "cannot normalise a constant image (standard deviation 0)");
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = (d[i] - mean) / sd;
    if (removeOutliers !== null) v = Math.min(Math.max(v, -removeOutliers), removeOutliers);
    out[i] = v * scale;
  }
  return makeVolume(out, image);
}

/**
 * pyradiomics' resampling grid (imageoperations.resampleImage): corner-aligned with the input grid, covering the
 * mask's bounding box plus padDistance new voxels, clipped to the input extent.
 */
export function pyradiomicsResampleGrid(g: Geometry, bb: BoundingBox, spacing: Vec3, padDistance: number): Geometry {
  const lo: Vec3 = [0, 0, 0];
  const dims: Vec3 = [0, 0, 0];
  const cont: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const ratio = g.spacing[a] / spacing[a];
    const size = bb.hi[a] - bb.lo[a] + 1;
    let l = Math.floor((bb.lo[a] - 0.5) * ratio - padDistance);
    let u = Math.ceil((bb.lo[a] + size - 0.5) * ratio + padDistance);
    const maxU = Math.ceil(g.dims[a] * ratio) - 1;
    if (l < 0) l = 0;
    if (u > maxU) u = maxU;
    lo[a] = l;
    dims[a] = u - l + 1;
    // Continuous input index of the new voxel 0's centre.
    cont[a] = (0.5 * (spacing[a] - g.spacing[a])) / g.spacing[a] + l / ratio;
  }
  return {
    dims,
    spacing: [...spacing] as Vec3,
    origin: indexToLps(g, cont),
    direction: [...g.direction] as Geometry["direction"],
  };
}

/**
 * Nearest-neighbour resampling of a binary mask onto a grid with the same direction (pyradiomics' grid), axis by
 * axis. Ties (a new voxel centre exactly halfway between two old ones, e.g. 2.1 mm -> 2 mm slices) go to the higher
 * index as ITK's RoundHalfIntegerUp does; a small bias absorbs float noise so exact ties are decided as in exact
 * arithmetic. Centres outside the input extent get 0 (ITK's default pixel value).
 */
export function nearestMaskOnGrid(mask: Uint8Array, g: Geometry, target: Geometry): Uint8Array {
  const maps: Int32Array[] = [];
  for (let a = 0; a < 3; a++) {
    const n = target.dims[a];
    const map = new Int32Array(n);
    // Continuous input index of the target voxel centres along axis a (directions are shared).
    let o = 0;
    for (let k = 0; k < 3; k++) o += (target.origin[k] - g.origin[k]) * g.direction[3 * a + k];
    const start = o / g.spacing[a],
      step = target.spacing[a] / g.spacing[a];
    for (let m = 0; m < n; m++) {
      const c = start + m * step;
      const idx = Math.floor(c + 0.5 + 1e-7);
      map[m] = c < -0.5 || c > g.dims[a] - 0.5 || idx < 0 || idx >= g.dims[a] ? -1 : idx;
    }
    maps.push(map);
  }
  const [tx, ty, tz] = target.dims;
  const [nx, ny] = g.dims;
  const out = new Uint8Array(tx * ty * tz);
  for (let z = 0, o = 0; z < tz; z++) {
    const sz = maps[2][z];
    for (let y = 0; y < ty; y++) {
      const sy = maps[1][y];
      for (let x = 0; x < tx; x++, o++) {
        const sx = maps[0][x];
        if (sx < 0 || sy < 0 || sz < 0) continue;
        out[o] = mask[sx + nx * (sy + ny * sz)] ? 1 : 0;
      }
    }
  }
  return out;
}

/** ITK casts an interpolated value back to an integer pixel type by clamping and truncating toward zero. */
export function castLikeItk(values: Volume, like: Volume["data"]): Volume {
  const ranges: Record<string, [number, number]> = {
    Int8Array: [-128, 127],
    Uint8Array: [0, 255],
    Int16Array: [-32768, 32767],
    Uint16Array: [0, 65535],
    Int32Array: [-2147483648, 2147483647],
    Uint32Array: [0, 4294967295],
  };
  const r = ranges[like.constructor.name];
  if (!r) return values;
  const out = new Float64Array(values.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.trunc(Math.min(Math.max(values.data[i], r[0]), r[1]));
  return makeVolume(out, values);
}

/**
 * The part of `image` a resampling onto `target` (same direction) can read, plus `margin` voxels: interpolating the
 * crop instead of the whole image gives the same values up to the B-spline prefilter's boundary influence, which
 * decays as 0.268^margin (about 1e-9 for the default 16).
 */
export function cropForGrid(image: Volume, target: Geometry, margin = 16): Volume {
  const lo: Vec3 = [0, 0, 0],
    hi: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    let o = 0;
    for (let k = 0; k < 3; k++) o += (target.origin[k] - image.origin[k]) * image.direction[3 * a + k];
    const c0 = o / image.spacing[a];
    const c1 = c0 + ((target.dims[a] - 1) * target.spacing[a]) / image.spacing[a];
    lo[a] = Math.max(0, Math.floor(Math.min(c0, c1)) - margin);
    hi[a] = Math.min(image.dims[a] - 1, Math.ceil(Math.max(c0, c1)) + margin);
    if (hi[a] < lo[a]) return image; // grid outside the image: let the resampler handle it
  }
  if (lo.every((l) => l === 0) && hi.every((h, a) => h === image.dims[a] - 1)) return image;
  const dims: Vec3 = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const Ctor = image.data.constructor as new (n: number) => Volume["data"];
  const data = new Ctor(dims[0] * dims[1] * dims[2]);
  const [nx, ny] = image.dims;
  for (let z = 0, o = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      const src = lo[0] + nx * (lo[1] + y + ny * (lo[2] + z));
      data.set(image.data.subarray(src, src + dims[0]), o);
      o += dims[0];
    }
  }
  return makeVolume(data, { dims, spacing: image.spacing, origin: indexToLps(image, lo), direction: image.direction });
}

export interface ResegmentResult {
  /** The range actually applied (after resolving relative/sigma modes), for IVH and FBS lower bounds. */
  range: [number, number] | null;
}

/**
 * Re-segment the intensity mask in place. IBSI: range first, then outlier filtering with mean and SD of the voxels
 * left by the range step; pyradiomics: one range in absolute, relative (x max) or sigma (mean + x SD) mode.
 */
export function resegment(values: Float64Array, intensity: Uint8Array, s: RadiomicsSettings): ResegmentResult {
  let applied: [number, number] | null = null;
  if (s.resegmentRange) {
    let [lo, hi] = s.resegmentRange;
    let lower = lo ?? -Infinity,
      upper = hi ?? Infinity;
    if (s.resegmentMode !== "absolute") {
      const st = stats(values, intensity);
      if (s.resegmentMode === "relative") {
        lower = lo === null ? -Infinity : lo * st.max;
        upper = hi === null ? Infinity : hi * st.max;
      } else {
        lower = lo === null ? -Infinity : st.mean + lo * st.sd;
        upper = hi === null ? Infinity : st.mean + hi * st.sd;
      }
      lo = lower;
      hi = upper;
    }
    for (let i = 0; i < values.length; i++)
      if (intensity[i] && (values[i] < lower || values[i] > upper)) intensity[i] = 0;
    applied = [lower, upper];
  }
  if (s.outlierSigma !== null) {
    const st = stats(values, intensity);
    const lower = st.mean - s.outlierSigma * st.sd,
      upper = st.mean + s.outlierSigma * st.sd;
    for (let i = 0; i < values.length; i++)
      if (intensity[i] && (values[i] < lower || values[i] > upper)) intensity[i] = 0;
  }
  return { range: applied };
}

function stats(values: Float64Array, mask: Uint8Array): { mean: number; sd: number; max: number } {
  let n = 0,
    sum = 0,
    max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (!mask[i]) continue;
    n++;
    sum += values[i];
    if (values[i] > max) max = values[i];
  }
  if (n === 0) throw new NacError("MASK_EMPTY", "the ROI is empty before re-segmentation");
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < values.length; i++) if (mask[i]) ss += (values[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / n), max };
}
