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
  if (!(sd > 0)) throw new NacError("FEATURE_NOT_COMPUTABLE", "cannot normalise a constant image (standard deviation 0)");
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
  return { dims, spacing: [...spacing] as Vec3, origin: indexToLps(g, cont), direction: [...g.direction] as Geometry["direction"] };
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
    let lower = lo ?? -Infinity, upper = hi ?? Infinity;
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
    for (let i = 0; i < values.length; i++) if (intensity[i] && (values[i] < lower || values[i] > upper)) intensity[i] = 0;
    applied = [lower, upper];
  }
  if (s.outlierSigma !== null) {
    const st = stats(values, intensity);
    const lower = st.mean - s.outlierSigma * st.sd, upper = st.mean + s.outlierSigma * st.sd;
    for (let i = 0; i < values.length; i++) if (intensity[i] && (values[i] < lower || values[i] > upper)) intensity[i] = 0;
  }
  return { range: applied };
}

function stats(values: Float64Array, mask: Uint8Array): { mean: number; sd: number; max: number } {
  let n = 0, sum = 0, max = -Infinity;
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
