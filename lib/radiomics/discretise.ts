/**
 * Grey-level discretisation of an ROI into a DiscretisedRoi for the texture families.
 *
 * IBSI (chapter 1, section 2.7):
 *  - fixed bin number (FBN): level = floor(Nb * (x - min) / (max - min)) + 1, and level = Nb for x = max.
 *  - fixed bin size (FBS):   level = floor((x - lowerBound) / w) + 1, lowerBound = re-segmentation range minimum if
 *                            given, else the ROI minimum. nLevels = level of the ROI maximum.
 * pyradiomics (imageoperations.getBinEdges/binImage):
 *  - binWidth: edges lowBound + k*w with lowBound = min - (min mod w) (python mod), up to < max + 2w, then
 *    numpy.digitize (half-open bins [e_k, e_k+1)); a maximum that is a multiple of w opens its own bin.
 *  - binCount: numpy.histogram edges linspace(min, max, n + 1) with the last edge +1, then numpy.digitize.
 *  nLevels is then the maximum level present in the ROI (pyradiomics' Ng).
 */
import { NacError } from "@/lib/errors/nac-error";
import type { DiscretisedRoi } from "./texture/types";

export interface DiscretiseInput {
  dims: [number, number, number];
  spacing: [number, number, number];
  /** Intensities on the full grid (any numeric typed array). */
  values: ArrayLike<number>;
  /** Intensity mask: non-zero = inside the ROI. */
  mask: ArrayLike<number>;
  /** Morphological mask (IBSI); copied onto the result. */
  morphMask?: Uint8Array;
}

export type IbsiDiscretisation =
  | { method: "FBN"; nBins: number }
  | { method: "FBS"; binWidth: number; /** re-segmentation range minimum; default: ROI minimum */ lowerBound?: number };

export type PyradiomicsDiscretisation =
  { binWidth: number; binCount?: undefined } | { binCount: number; binWidth?: undefined };

function roiRange(input: DiscretiseInput): { min: number; max: number; count: number } {
  const { values, mask } = input;
  const n = input.dims[0] * input.dims[1] * input.dims[2];
  if (values.length !== n || mask.length !== n) {
    throw new NacError(
      "GEOMETRY_MISMATCH",
      `values (${values.length}) and mask (${mask.length}) must both have ${n} voxels`,
    );
  }
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    const v = values[i];
    if (!Number.isFinite(v))
      throw new NacError("DATA_INVALID", `non-finite intensity ${v} inside the ROI at voxel ${i}`);
    if (v < min) min = v;
    if (v > max) max = v;
    count++;
  }
  if (count === 0) throw new NacError("MASK_EMPTY", "the ROI mask is empty: nothing to discretise");
  return { min, max, count };
}

/** IBSI discretisation (FBN or FBS). */
export function discretiseIbsi(input: DiscretiseInput, d: IbsiDiscretisation): DiscretisedRoi {
  const { min, max } = roiRange(input);
  const n = input.values.length;
  const levels = new Int32Array(n);
  let nLevels: number;
  if (d.method === "FBN") {
    if (!Number.isInteger(d.nBins) || d.nBins < 1)
      throw new NacError("SETTINGS_INVALID", `FBN needs an integer bin number >= 1, got ${d.nBins}`);
    const nb = d.nBins;
    const range = max - min;
    for (let i = 0; i < n; i++) {
      if (!input.mask[i]) continue;
      const v = input.values[i];
      // A flat ROI (range 0) falls in bin 1.
      levels[i] = range === 0 ? 1 : v >= max ? nb : Math.floor((nb * (v - min)) / range) + 1;
    }
    nLevels = nb;
  } else {
    const w = d.binWidth;
    if (!(w > 0) || !Number.isFinite(w)) throw new NacError("SETTINGS_INVALID", `FBS needs a bin width > 0, got ${w}`);
    const lb = d.lowerBound ?? min;
    if (lb > min) {
      throw new NacError(
        "SETTINGS_INVALID",
        `FBS lower bound ${lb} is above the ROI minimum ${min} (re-segment first)`,
      );
    }
    nLevels = 1;
    for (let i = 0; i < n; i++) {
      if (!input.mask[i]) continue;
      const l = Math.floor((input.values[i] - lb) / w) + 1;
      levels[i] = l;
      if (l > nLevels) nLevels = l;
    }
  }
  return { dims: [...input.dims], spacing: [...input.spacing], levels, nLevels, morphMask: input.morphMask };
}

/** pyradiomics' bin edges for the ROI intensities (getBinEdges). */
export function pyradiomicsBinEdges(min: number, max: number, d: PyradiomicsDiscretisation): Float64Array {
  if (d.binCount !== undefined) {
    const nb = d.binCount;
    if (!Number.isInteger(nb) || nb < 1)
      throw new NacError("SETTINGS_INVALID", `binCount must be an integer >= 1, got ${nb}`);
    // numpy.histogram: a zero range becomes (min - 0.5, max + 0.5); edges = k * step + start, last edge = stop exactly.
    let lo = min;
    let hi = max;
    if (lo === hi) {
      lo -= 0.5;
      hi += 0.5;
    }
    const edges = new Float64Array(nb + 1);
    const step = (hi - lo) / nb;
    for (let k = 0; k <= nb; k++) edges[k] = k * step + lo;
    edges[nb] = hi + 1; // pyradiomics: include the maximum in the top bin under numpy.digitize
    return edges;
  }
  const w = d.binWidth;
  if (!(w > 0) || !Number.isFinite(w)) throw new NacError("SETTINGS_INVALID", `binWidth must be > 0, got ${w}`);
  // Python's float modulo (CPython float_rem): fmod, shifted by w when the signs differ.
  let mod = min % w;
  if (mod !== 0 && mod < 0 !== w < 0) mod += w;
  const low = min - mod;
  const high = max + 2 * w;
  // numpy.arange(low, high, w): ceil((high - low) / w) values low + k*delta, where numpy's fill uses
  // delta = (low + w) - low (equal to w unless low is not exactly representable on w's grid).
  const count = Math.ceil((high - low) / w);
  if (count === 1) return Float64Array.from([low - 0.5, low + 0.5]); // flat region, as pyradiomics
  const delta = low + w - low;
  const edges = new Float64Array(count);
  for (let k = 0; k < count; k++) edges[k] = low + k * delta;
  return edges;
}

/** numpy.digitize(x, edges) for increasing edges: the i with edges[i-1] <= x < edges[i]. */
function digitize(x: number, edges: Float64Array): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** pyradiomics discretisation (binWidth, default 25, or binCount). */
export function discretisePyradiomics(
  input: DiscretiseInput,
  d: PyradiomicsDiscretisation = { binWidth: 25 },
): DiscretisedRoi & { binEdges: Float64Array } {
  const { min, max } = roiRange(input);
  const edges = pyradiomicsBinEdges(min, max, d);
  const n = input.values.length;
  const levels = new Int32Array(n);
  let nLevels = 0;
  for (let i = 0; i < n; i++) {
    if (!input.mask[i]) continue;
    const l = digitize(input.values[i], edges);
    levels[i] = l;
    if (l > nLevels) nLevels = l;
  }
  return {
    dims: [...input.dims],
    spacing: [...input.spacing],
    levels,
    nLevels,
    morphMask: input.morphMask,
    binEdges: edges,
  };
}
