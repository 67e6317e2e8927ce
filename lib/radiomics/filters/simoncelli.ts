/**
 * IBSI 2 Simoncelli (non-separable, isotropic) wavelet, defined in the Fourier domain: at level n, with
 * nu = |omega| / pi (1 = Nyquist) and nu_max = 2^(1-n),
 *   H(nu) = cos(pi/2 * log2(2 nu / nu_max)) for nu_max / 4 <= nu <= nu_max, 0 elsewhere.
 * The frequency grid is the one of the IBSI 2 reference implementation (MIRP): on an FFT size N, centred index
 * m = (k + floor(N/2)) mod N has coordinate (m - (N-1)/2) / ((N-1)/2), so the filter depends on N. The Fourier-domain
 * filter is periodic: with the periodic boundary the image is transformed as is, at its own size whatever that is
 * (the reference implementation's grid; IBSI 2 phase 2 9.B, 200x197x180, needs exactly that); with any other
 * boundary it is extended by `margin` voxels with the condition first. Response: the real part.
 */
import { NacError } from "@/lib/errors/nac-error";
import { like, type Boundary, type Dimensionality, type FilterGrid } from "./grid";
import { filterFrequency, type Complex } from "./fft-convolve";
import { rieszMultiplier } from "./riesz";

function coordinate(k: number, n: number): number {
  if (n === 1) return 0;
  const m = (k + Math.floor(n / 2)) % n;
  const c = (n - 1) / 2;
  return (m - c) / c;
}

export function simoncelliResponse(size: number[], level: number): Complex {
  const [n0, n1, n2] = [size[0], size[1] ?? 1, size[2] ?? 1];
  const total = n0 * n1 * n2;
  const re = new Float64Array(total),
    im = new Float64Array(total);
  const maxF = 1 / 2 ** (level - 1);
  const c0 = Array.from({ length: n0 }, (_, k) => coordinate(k, n0));
  const c1 = Array.from({ length: n1 }, (_, k) => coordinate(k, n1));
  const c2 = Array.from({ length: n2 }, (_, k) => coordinate(k, n2));
  for (let z = 0, i = 0; z < n2; z++) {
    for (let y = 0; y < n1; y++) {
      for (let x = 0; x < n0; x++, i++) {
        const d = Math.sqrt(c0[x] * c0[x] + c1[y] * c1[y] + c2[z] * c2[z]);
        if (d >= maxF / 4 && d <= maxF) re[i] = Math.cos((Math.PI / 2) * Math.log2((2 * d) / maxF));
      }
    }
  }
  return { re, im };
}

export interface SimoncelliOptions {
  level: number;
  /** Riesz transform order per filtered axis (IBSI 2 Riesz-Simoncelli), or null. */
  rieszOrder: number[] | null;
}

export function simoncelliFilter(
  g: FilterGrid,
  o: SimoncelliOptions,
  b: Boundary,
  dim: Dimensionality,
  margin = 16,
): FilterGrid {
  if (!Number.isInteger(o.level) || o.level < 1)
    throw new NacError("SETTINGS_INVALID", "Simoncelli level must be an integer >= 1");
  const axes = dim === "3D" ? [0, 1, 2] : [0, 1];
  const exact = b === "periodic";
  const pad = axes.map(() => (exact ? 0 : margin));
  const out = filterFrequency(
    g.data,
    g.dims,
    axes,
    pad,
    b,
    (size) => {
      const H = simoncelliResponse(size, o.level);
      if (!o.rieszOrder) return H;
      const R = rieszMultiplier(size, o.rieszOrder);
      for (let i = 0; i < H.re.length; i++) {
        const a = H.re[i];
        H.re[i] = a * R.re[i];
        H.im[i] = a * R.im[i];
      }
      return H;
    },
    exact,
  );
  return like(g, out.re);
}
