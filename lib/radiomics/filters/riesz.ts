/**
 * IBSI 2 Riesz transform of order l = (l_i, l_j[, l_k]), |l| = L, as a Fourier multiplier:
 *   R(omega) = (-i)^L sqrt(L! / prod l_a!) prod omega_a^l_a / |omega|^L   (0 at omega = 0),
 * applied to a LoG response (riesz_log) on the image extended by the LoG support with the boundary condition.
 */
import { NacError } from "@/lib/errors/nac-error";
import type { Vec3 } from "@/lib/imaging/volume";
import { boundaryIndex, like, type Boundary, type Dimensionality, type FilterGrid } from "./grid";
import { dftFrequency, filterFrequency, type Complex } from "./fft-convolve";
import { laplacianOfGaussian, logRadius } from "./log";

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

export function rieszMultiplier(size: number[], order: number[]): Complex {
  const [n0, n1, n2] = [size[0], size[1] ?? 1, size[2] ?? 1];
  const L = order.reduce((a, b) => a + b, 0);
  const norm = Math.sqrt(factorial(L) / order.reduce((a, l) => a * factorial(l), 1));
  // (-i)^L
  const ph = [
    [1, 0],
    [0, -1],
    [-1, 0],
    [0, 1],
  ][L % 4];
  const total = n0 * n1 * n2;
  const re = new Float64Array(total),
    im = new Float64Array(total);
  for (let z = 0, i = 0; z < n2; z++) {
    const w2 = dftFrequency(z, n2);
    for (let y = 0; y < n1; y++) {
      const w1 = dftFrequency(y, n1);
      for (let x = 0; x < n0; x++, i++) {
        const w0 = dftFrequency(x, n0);
        const w = [w0, w1, w2];
        const r = Math.sqrt(w0 * w0 + w1 * w1 + w2 * w2);
        if (r === 0) continue;
        let v = norm;
        for (let a = 0; a < order.length; a++) v *= (w[a] / r) ** order[a];
        re[i] = v * ph[0];
        im[i] = v * ph[1];
      }
    }
  }
  return { re, im };
}

/** The image extended by `pad` voxels on each side of the filtered axes (boundary condition), and its inverse. */
export function extend(g: FilterGrid, pad: number[], b: Boundary): FilterGrid {
  const dims: Vec3 = [g.dims[0] + 2 * pad[0], g.dims[1] + 2 * pad[1], g.dims[2] + 2 * pad[2]];
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  const maps = [0, 1, 2].map((a) =>
    Int32Array.from({ length: dims[a] }, (_, t) => boundaryIndex(t - pad[a], g.dims[a], b)),
  );
  for (let z = 0, o = 0; z < dims[2]; z++) {
    const iz = maps[2][z];
    for (let y = 0; y < dims[1]; y++) {
      const iy = maps[1][y];
      for (let x = 0; x < dims[0]; x++, o++) {
        const ix = maps[0][x];
        if (ix >= 0 && iy >= 0 && iz >= 0) data[o] = g.data[ix + g.dims[0] * (iy + g.dims[1] * iz)];
      }
    }
  }
  return { data, dims, spacing: [...g.spacing] as Vec3 };
}

export function crop(g: FilterGrid, pad: number[], dims: Vec3): Float64Array {
  const out = new Float64Array(dims[0] * dims[1] * dims[2]);
  for (let z = 0, o = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      const src = pad[0] + g.dims[0] * (y + pad[1] + g.dims[1] * (z + pad[2]));
      out.set(g.data.subarray(src, src + dims[0]), o);
      o += dims[0];
    }
  }
  return out;
}

export function rieszLog(
  g: FilterGrid,
  sigmaMm: number,
  truncate: number,
  order: number[],
  b: Boundary,
  dim: Dimensionality,
): FilterGrid {
  const axes = dim === "3D" ? [0, 1, 2] : [0, 1];
  if (order.length !== axes.length || order.some((l) => !Number.isInteger(l) || l < 0)) {
    throw new NacError("SETTINGS_INVALID", `Riesz order must be ${axes.length} whole numbers`);
  }
  const pad = [0, 1, 2].map((a) => (axes.includes(a) ? logRadius(sigmaMm, g.spacing[a], truncate) : 0));
  const ext = extend(g, pad, b);
  const logResp = laplacianOfGaussian(ext, sigmaMm, truncate, b, dim);
  const r = filterFrequency(
    logResp.data,
    ext.dims,
    axes,
    axes.map(() => 0),
    "zero",
    (size) => rieszMultiplier(size, order),
  );
  return like(g, crop({ ...ext, data: r.re }, pad, g.dims));
}
