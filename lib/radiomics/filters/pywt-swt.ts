/**
 * pyradiomics' wavelet image type (imageoperations.getWaveletImage / _swt3): odd axes are padded by one voxel
 * (numpy "wrap": the first slice repeated at the end), then each level calls pywt.swtn(level=1) on the previous
 * approximation (so every level uses the undilated filters, as pyradiomics does), and the results are cropped back.
 * pywt's 1D stationary transform at level 1 is a circular convolution: out[o] = sum_j f[j] x[(o + F/2 - j) mod N].
 * Decomposition names: one letter per axis in i, j, k order (pyradiomics' swtn axes (x, y, z)), L = approximation.
 */
import { NacError } from "@/lib/errors/nac-error";
import type { Vec3 } from "@/lib/imaging/volume";
import type { FilterGrid } from "./grid";
import { waveletFilters } from "./separable-wavelet";

function swtAxis(src: Float64Array, dims: Vec3, axis: number, f: Float64Array): Float64Array {
  const n = dims[axis];
  const F = f.length,
    shift = Math.floor(F / 2);
  const strides = [1, dims[0], dims[0] * dims[1]];
  const st = strides[axis];
  const [o1, o2] = [0, 1, 2].filter((a) => a !== axis);
  const out = new Float64Array(src.length);
  const line = new Float64Array(n);
  // Precomputed circular indices: idx[o * F + j] = (o + F/2 - j) mod n.
  const idx = new Int32Array(n * F);
  for (let o = 0; o < n; o++) for (let j = 0; j < F; j++) idx[o * F + j] = (((o + shift - j) % n) + n) % n;
  for (let q = 0; q < dims[o2]; q++) {
    for (let p = 0; p < dims[o1]; p++) {
      const base = p * strides[o1] + q * strides[o2];
      for (let i = 0; i < n; i++) line[i] = src[base + i * st];
      for (let o = 0; o < n; o++) {
        let acc = 0;
        const b = o * F;
        for (let j = 0; j < F; j++) acc += f[j] * line[idx[b + j]];
        out[base + o * st] = acc;
      }
    }
  }
  return out;
}

function padWrap(g: FilterGrid): FilterGrid {
  const dims = g.dims.map((n) => (n % 2 ? n + 1 : n)) as Vec3;
  if (dims.every((n, a) => n === g.dims[a])) return g;
  const out = new Float64Array(dims[0] * dims[1] * dims[2]);
  for (let z = 0, o = 0; z < dims[2]; z++) {
    const sz = z % g.dims[2];
    for (let y = 0; y < dims[1]; y++) {
      const sy = y % g.dims[1];
      for (let x = 0; x < dims[0]; x++, o++) out[o] = g.data[(x % g.dims[0]) + g.dims[0] * (sy + g.dims[1] * sz)];
    }
  }
  return { data: out, dims, spacing: g.spacing };
}

function cropTo(data: Float64Array, dims: Vec3, target: Vec3): Float64Array {
  if (dims.every((n, a) => n === target[a])) return data;
  const out = new Float64Array(target[0] * target[1] * target[2]);
  for (let z = 0, o = 0; z < target[2]; z++) {
    for (let y = 0; y < target[1]; y++) {
      const src = dims[0] * (y + dims[1] * z);
      out.set(data.subarray(src, src + target[0]), o);
      o += target[0];
    }
  }
  return out;
}

/** Filter length of a wavelet: one level of the transform reads this many voxels along each axis. */
export function waveletSupport(wavelet: string): number {
  return waveletFilters(wavelet).lo.length;
}

export interface WaveletImage {
  /** pyradiomics image type name, e.g. "wavelet-LHL", "wavelet2-HHH", "wavelet-LLL". */
  name: string;
  image: FilterGrid;
}

/**
 * All decompositions of levels start_level+1 .. start_level+level, then the final approximation (pyradiomics order).
 * `axes`: the transformed axes (all three, or the two in-plane ones with pyradiomics' force2D).
 */
export function pyradiomicsWavelet(
  g: FilterGrid,
  wavelet: string,
  level: number,
  startLevel: number,
  axes: number[] = [0, 1, 2],
): WaveletImage[] {
  if (!Number.isInteger(level) || level < 1)
    throw new NacError("SETTINGS_INVALID", `wavelet level must be an integer >= 1, got ${level}`);
  if (!Number.isInteger(startLevel) || startLevel < 0)
    throw new NacError("SETTINGS_INVALID", `wavelet start_level must be an integer >= 0, got ${startLevel}`);
  const { lo, hi } = waveletFilters(wavelet);
  const padded = padWrap(g);
  const dims = padded.dims;
  let data = padded.data;
  const approxName = "L".repeat(axes.length);
  const decompose = (x: Float64Array): Record<string, Float64Array> => {
    let cur: Record<string, Float64Array> = { "": x };
    for (const axis of axes) {
      const next: Record<string, Float64Array> = {};
      // pywt.swtn's key order: a before d on each axis, first axis first.
      for (const [k, v] of Object.entries(cur)) {
        next[k + "L"] = swtAxis(v, dims, axis, lo);
        next[k + "H"] = swtAxis(v, dims, axis, hi);
      }
      cur = next;
    }
    return cur;
  };
  const box = (v: Float64Array): FilterGrid => ({
    data: cropTo(v, dims, g.dims),
    dims: [...g.dims] as Vec3,
    spacing: [...g.spacing] as Vec3,
  });
  for (let i = 0; i < startLevel; i++) data = decompose(data)[approxName];
  const out: WaveletImage[] = [];
  for (let l = 0; l < level; l++) {
    const dec = decompose(data);
    const prefix = l === 0 ? "wavelet" : `wavelet${l + 1}`;
    for (const [name, v] of Object.entries(dec))
      if (name !== approxName) out.push({ name: `${prefix}-${name}`, image: box(v) });
    data = dec[approxName];
  }
  out.push({ name: level === 1 ? `wavelet-${approxName}` : `wavelet${level}-${approxName}`, image: box(data) });
  return out;
}
