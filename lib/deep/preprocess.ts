/**
 * Encoder input preparation, shared by server and browser (no Node APIs).
 *
 * 1. Crop the region's bounding box, widened by `cropMarginMm` on each side (clipped to the image).
 * 2. Resample the crop to `inputSize` ([D,H,W] = slices, rows, columns), each axis stretched independently as
 *    MedicalNet's own resize did; the image with `interpolation`, the region mask with nearest neighbour.
 *    Resampling the real intensities first and masking afterwards keeps the region's border voxels from being
 *    darkened by interpolating against zeros.
 * 3. Keep only region voxels (intratumoral: tumour; peritumoral: shell); others are 0.
 * 4. z-score over the region's voxels (population std), as MedicalNet normalised over its non-zero voxels.
 *    MedicalNet filled the background with random noise; we keep it 0 so features are deterministic.
 *
 * Default input 64^3: tumours in breast MRI/CT are ~1-5 cm, i.e. 15-70 voxels across at typical in-plane spacing,
 * so 64 keeps their detail without inventing much by upsampling; layer4 then is an 8^3 map on which the stage
 * dilations (2, 4) still see the whole ROI; and ResNet34 runs in well under a second on 2 CPU threads.
 */
import { NacError } from "../errors";
import { assertSameGeometry } from "../imaging/geometry";
import { maskBoundingBox } from "../imaging/mask-bbox";
import type { Mask, Volume } from "../imaging/volume";

export interface PreprocessOptions {
  /** encoder input size [D, H, W] (slices, rows, columns) */
  inputSize: [number, number, number];
  /** extra context around the region's bounding box, in mm (voxels outside the region are 0 anyway) */
  cropMarginMm: number;
  interpolation: "linear" | "nearest";
  /** recorded for the model bundle; the only scheme implemented */
  normalization: "zscore-region";
}

export const DEFAULT_PREPROCESS: PreprocessOptions = {
  inputSize: [64, 64, 64],
  cropMarginMm: 0,
  interpolation: "linear",
  normalization: "zscore-region",
};

export interface PreparedInput {
  /** C-order [D,H,W] float32, ready for the encoder */
  input: Float32Array;
  dims: [number, number, number];
  /** the resampled region (1 inside, 0 outside), same layout as input: used for masked pooling */
  region: Uint8Array;
  /** crop box in image voxel indices [i0,j0,k0] .. [i1,j1,k1] inclusive */
  crop: { from: [number, number, number]; to: [number, number, number] };
  stats: { mean: number; std: number; voxels: number };
  options: PreprocessOptions;
}

export function validatePreprocess(o: PreprocessOptions): PreprocessOptions {
  if (o.inputSize.length !== 3 || o.inputSize.some((n) => !Number.isInteger(n) || n < 8 || n > 512)) {
    throw new NacError(
      "SETTINGS_INVALID",
      `inputSize must be 3 integers in 8..512, got ${JSON.stringify(o.inputSize)}`,
    );
  }
  if (!(o.cropMarginMm >= 0) || !Number.isFinite(o.cropMarginMm)) {
    throw new NacError("SETTINGS_INVALID", `cropMarginMm must be >= 0, got ${o.cropMarginMm}`);
  }
  if (o.interpolation !== "linear" && o.interpolation !== "nearest") {
    throw new NacError("SETTINGS_INVALID", `interpolation must be linear or nearest, got ${String(o.interpolation)}`);
  }
  if (o.normalization !== "zscore-region") {
    throw new NacError("SETTINGS_INVALID", `normalization must be zscore-region, got ${String(o.normalization)}`);
  }
  return o;
}

/** Bounding box of mask > 0 in voxel indices, or null if empty. */
export function regionBounds(mask: Mask): { from: [number, number, number]; to: [number, number, number] } | null {
  const box = maskBoundingBox(mask);
  return box && { from: box.lo, to: box.hi };
}

/** Source coordinate (in crop voxels) of output voxel centre `o` when n source voxels map onto m outputs. */
function srcCoord(o: number, n: number, m: number): number {
  return (o + 0.5) * (n / m) - 0.5;
}

interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  f: Float64Array;
  nearest: Int32Array;
}

function axisTaps(n: number, m: number, offset: number): AxisTaps {
  const t: AxisTaps = {
    i0: new Int32Array(m),
    i1: new Int32Array(m),
    f: new Float64Array(m),
    nearest: new Int32Array(m),
  };
  for (let o = 0; o < m; o++) {
    const s = Math.min(Math.max(srcCoord(o, n, m), 0), n - 1);
    const a = Math.floor(s);
    t.i0[o] = offset + a;
    t.i1[o] = offset + Math.min(a + 1, n - 1);
    t.f[o] = s - a;
    t.nearest[o] = offset + Math.min(Math.floor(((o + 0.5) * n) / m), n - 1);
  }
  return t;
}

export function preprocessRegion(image: Volume, region: Mask, options: Partial<PreprocessOptions> = {}): PreparedInput {
  const opts = validatePreprocess({ ...DEFAULT_PREPROCESS, ...options });
  assertSameGeometry(image, region, "region mask and image");
  const bounds = regionBounds(region);
  if (!bounds) throw new NacError("MASK_EMPTY", "the region for deep features is empty");
  const [nx, ny, nz] = image.dims;
  const from: [number, number, number] = [0, 0, 0];
  const to: [number, number, number] = [0, 0, 0];
  const size = [nx, ny, nz];
  for (let a = 0; a < 3; a++) {
    const m = Math.ceil(opts.cropMarginMm / image.spacing[a] - 1e-9);
    from[a] = Math.max(0, bounds.from[a] - m);
    to[a] = Math.min(size[a] - 1, bounds.to[a] + m);
  }
  const [D, H, W] = opts.inputSize;
  // Volume axes (i, j, k) = (columns, rows, slices) = (W, H, D)
  const tx = axisTaps(to[0] - from[0] + 1, W, from[0]);
  const ty = axisTaps(to[1] - from[1] + 1, H, from[1]);
  const tz = axisTaps(to[2] - from[2] + 1, D, from[2]);
  const src = image.data;
  const msk = region.data;
  const sxy = nx * ny;
  const n = D * H * W;
  const values = new Float64Array(n);
  const inside = new Uint8Array(n);
  const linear = opts.interpolation === "linear";
  let sum = 0;
  let count = 0;
  for (let z = 0, p = 0; z < D; z++) {
    const z0 = tz.i0[z] * sxy;
    const z1 = tz.i1[z] * sxy;
    const fz = tz.f[z];
    const zn = tz.nearest[z] * sxy;
    for (let y = 0; y < H; y++) {
      const y0 = ty.i0[y] * nx;
      const y1 = ty.i1[y] * nx;
      const fy = ty.f[y];
      const yn = ty.nearest[y] * nx;
      for (let x = 0; x < W; x++, p++) {
        if (msk[zn + yn + tx.nearest[x]] === 0) continue;
        let v: number;
        if (linear) {
          const x0 = tx.i0[x];
          const x1 = tx.i1[x];
          const fx = tx.f[x];
          const c00 = src[z0 + y0 + x0] * (1 - fx) + src[z0 + y0 + x1] * fx;
          const c01 = src[z0 + y1 + x0] * (1 - fx) + src[z0 + y1 + x1] * fx;
          const c10 = src[z1 + y0 + x0] * (1 - fx) + src[z1 + y0 + x1] * fx;
          const c11 = src[z1 + y1 + x0] * (1 - fx) + src[z1 + y1 + x1] * fx;
          v = (c00 * (1 - fy) + c01 * fy) * (1 - fz) + (c10 * (1 - fy) + c11 * fy) * fz;
        } else {
          v = src[zn + yn + tx.nearest[x]];
        }
        if (!Number.isFinite(v))
          throw new NacError("FEATURE_NOT_COMPUTABLE", "the image holds non-finite values inside the region");
        values[p] = v;
        inside[p] = 1;
        sum += v;
        count++;
      }
    }
  }
  if (count === 0) throw new NacError("MASK_EMPTY", "the region vanished when resampled to the encoder input");
  const mean = sum / count;
  let ss = 0;
  for (let p = 0; p < n; p++) if (inside[p]) ss += (values[p] - mean) ** 2;
  const std = Math.sqrt(ss / count);
  if (!(std > 0)) {
    throw new NacError(
      "FEATURE_NOT_COMPUTABLE",
      "the region's intensities are constant: z-score normalisation is undefined",
    );
  }
  const input = new Float32Array(n);
  for (let p = 0; p < n; p++) if (inside[p]) input[p] = (values[p] - mean) / std;
  return {
    input,
    dims: [D, H, W],
    region: inside,
    crop: { from, to },
    stats: { mean, std, voxels: count },
    options: opts,
  };
}

/**
 * Masked average of a layer4 map [C,d,h,w]: the mean, over the region's input voxels, of the map cell each voxel falls
 * in (input index i belongs to cell floor(i * d / D)), i.e. cells weighted by their count of region voxels. With the default 64^3 input
 * and its 8^3 map, a cell's share is exactly its 8^3 stride block. Receptive fields are larger than a block, so this
 * down-weights background context rather than excluding it.
 */
export function maskedPool(
  map: { data: Float32Array; dims: [number, number, number, number] },
  region: Uint8Array,
  inputDims: [number, number, number],
): Float32Array {
  const [C, d, h, w] = map.dims;
  const [D, H, W] = inputDims;
  const cells = d * h * w;
  const weight = new Float64Array(cells);
  for (let z = 0, p = 0; z < D; z++) {
    const cz = Math.floor((z * d) / D);
    for (let y = 0; y < H; y++) {
      const cy = Math.floor((y * h) / H);
      for (let x = 0; x < W; x++, p++) {
        if (region[p]) weight[(cz * h + cy) * w + Math.floor((x * w) / W)] += 1;
      }
    }
  }
  let total = 0;
  for (let c = 0; c < cells; c++) total += weight[c];
  if (!(total > 0)) throw new NacError("MASK_EMPTY", "masked pooling: the region is empty");
  const out = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    let s = 0;
    const base = c * cells;
    for (let q = 0; q < cells; q++) s += weight[q] * map.data[base + q];
    out[c] = s / total;
  }
  return out;
}
