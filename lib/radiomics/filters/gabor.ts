/**
 * IBSI 2 Gabor filter (2D, in-plane): h(x, y) = exp(-(x'^2 + gamma^2 y'^2) / (2 sigma^2)) exp(i 2 pi x' / lambda),
 * x' = x cos(theta) + y sin(theta), y' = -x sin(theta) + y cos(theta), x along the plane's first axis (i for the axial
 * plane). sigma and lambda in mm (converted with the largest in-plane spacing). Response: modulus. Rotation
 * invariance: average (or max) over theta = k * deltaTheta; the modulus repeats with period pi, so [0, pi) covers the
 * full circle. `orthogonalPlanes` averages the axial, coronal and sagittal responses (IBSI 2 "3D" Gabor).
 * The kernel is not normalised (IBSI 2 reference maps: 255 at an impulse of 255) and reaches 6 envelope widths
 * (weights below 1.5e-8), at most the in-plane image size as the IBSI 2 reference implementation uses.
 */
import { NacError } from "@/lib/errors/nac-error";
import { like, type Boundary, type FilterGrid } from "./grid";
import { convolveDenseModulusPooled, type Complex } from "./fft-convolve";
import { Pooler, type Pooling } from "./pooling";

export interface GaborOptions {
  sigmaMm: number;
  lambdaMm: number;
  gamma: number;
  /** Single orientation (rad), or null with deltaTheta for rotation invariance. */
  theta: number | null;
  deltaTheta: number | null;
  pooling: Pooling;
  orthogonalPlanes: boolean;
}

/** The responses of one plane for every theta, modulus, pooled (one forward FFT per slice for the whole bank). */
function planeResponse(
  g: FilterGrid,
  axes: [number, number],
  o: GaborOptions,
  thetas: number[],
  b: Boundary,
): Float64Array {
  const spacing = Math.max(g.spacing[axes[0]], g.spacing[axes[1]]);
  const sigma = o.sigmaMm / spacing,
    lambda = o.lambdaMm / spacing;
  const maxDim = Math.max(g.dims[axes[0]], g.dims[axes[1]]);
  const r = Math.min(Math.ceil(6 * sigma * Math.max(1, 1 / o.gamma)), Math.floor(maxDim / 2));
  const K = 2 * r + 1;
  const kernels: Complex[] = thetas.map((theta) => {
    const re = new Float64Array(K * K),
      im = new Float64Array(K * K);
    const c = Math.cos(theta),
      s = Math.sin(theta);
    for (let y = 0; y < K; y++) {
      for (let x = 0; x < K; x++) {
        const u = x - r,
          v = y - r;
        const xr = u * c + v * s,
          yr = -u * s + v * c;
        const env = Math.exp(-(xr * xr + o.gamma * o.gamma * yr * yr) / (2 * sigma * sigma));
        re[x + K * y] = env * Math.cos((2 * Math.PI * xr) / lambda);
        im[x + K * y] = env * Math.sin((2 * Math.PI * xr) / lambda);
      }
    }
    return { re, im };
  });
  return convolveDenseModulusPooled(g.data, g.dims, axes, kernels, [K, K], b, o.pooling);
}

export function gaborFilter(g: FilterGrid, o: GaborOptions, b: Boundary): FilterGrid {
  if (!(o.sigmaMm > 0) || !(o.lambdaMm > 0) || !(o.gamma > 0))
    throw new NacError("SETTINGS_INVALID", "Gabor sigma, lambda and gamma must be positive");
  let thetas: number[];
  if (o.theta !== null) thetas = [o.theta];
  else {
    const d = o.deltaTheta;
    if (d === null || !(d > 0) || d > Math.PI)
      throw new NacError("SETTINGS_INVALID", "Gabor needs theta, or deltaTheta in (0, pi] for rotation invariance");
    const n = Math.round(Math.PI / d);
    if (Math.abs(n * d - Math.PI) > 1e-9) throw new NacError("SETTINGS_INVALID", "Gabor deltaTheta must divide pi");
    thetas = Array.from({ length: n }, (_, k) => k * d);
  }
  const planes: [number, number][] = o.orthogonalPlanes
    ? [
        [0, 1],
        [0, 2],
        [1, 2],
      ]
    : [[0, 1]];
  const planePooler = new Pooler("average");
  for (const axes of planes) planePooler.add(planeResponse(g, axes, o, thetas, b));
  return like(g, planePooler.result());
}
