/**
 * IBSI 2 separable wavelets (undecimated, "a trous"): one 1D filter per axis, L = dec_lo, H = dec_hi of the wavelet
 * (subband letters in axis order i, j, k: "LHL" is high-pass along j). Level n > 1 first applies the all-low-pass
 * filter n-1 times, the kernels dilated by 2 (zeros inserted) after each level, then the subband filter at level n.
 * Even-length kernels get a trailing zero, which fixes the alignment the IBSI reference maps use (db2 impulse
 * response on p-2..p+1). Rotation invariance pools over the grid's orientations (pre-filters rotated alike).
 */
import { NacError } from "@/lib/errors/nac-error";
import { convolveSeparable, like, oddKernel, type Boundary, type Dimensionality, type FilterGrid } from "./grid";
import { orientations } from "./rotation";
import { Pooler, type Pooling } from "./pooling";
import { WAVELET_DEC_LO } from "./wavelet-coefficients";

export function waveletFilters(name: string): { lo: Float64Array; hi: Float64Array } {
  const lo = WAVELET_DEC_LO[name];
  if (!lo)
    throw new NacError(
      "SETTINGS_INVALID",
      `wavelet ${JSON.stringify(name)} is not supported (${Object.keys(WAVELET_DEC_LO).join(", ")})`,
    );
  const L = lo.length;
  const hi = new Float64Array(L);
  for (let k = 0; k < L; k++) hi[k] = (k % 2 === 0 ? -1 : 1) * lo[L - 1 - k];
  return { lo: Float64Array.from(lo), hi };
}

/** Insert a zero between the taps (the next level's kernel). */
export function dilate(h: Float64Array): Float64Array {
  const out = new Float64Array(2 * h.length - 1);
  for (let i = 0; i < h.length; i++) out[2 * i] = h[i];
  return out;
}

export interface SeparableWaveletOptions {
  wavelet: string;
  /** One letter per filtered axis, L or H, in axis order (i, j[, k]). */
  subband: string;
  level: number;
  rotationInvariant: boolean;
  pooling: Pooling;
}

export function separableWavelet(
  g: FilterGrid,
  o: SeparableWaveletOptions,
  boundary: Boundary,
  dim: Dimensionality,
): FilterGrid {
  const n = dim === "3D" ? 3 : 2;
  if (!new RegExp(`^[LH]{${n}}$`).test(o.subband))
    throw new NacError(
      "SETTINGS_INVALID",
      `wavelet subband must be ${n} letters L/H, got ${JSON.stringify(o.subband)}`,
    );
  if (!Number.isInteger(o.level) || o.level < 1)
    throw new NacError("SETTINGS_INVALID", "wavelet level must be an integer >= 1");
  const { lo, hi } = waveletFilters(o.wavelet);
  const kernels = [...o.subband].map((c) => oddKernel(c === "L" ? lo : hi));
  const pre = kernels.map(() => oddKernel(lo));
  const pooler = new Pooler(o.pooling);
  for (const ori of orientations(kernels, pre, o.rotationInvariant)) {
    let k = ori.kernels,
      p = ori.pre!;
    let cur = g.data;
    for (let level = 1; level < o.level; level++) {
      cur = convolveSeparable(cur, g.dims, [p[0], p[1], p[2] ?? null], boundary);
      k = k.map(dilate);
      p = p.map(dilate);
    }
    pooler.add(convolveSeparable(cur, g.dims, [k[0], k[1], k[2] ?? null], boundary));
  }
  return like(g, pooler.result());
}
