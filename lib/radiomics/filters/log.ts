/**
 * IBSI 2 Laplacian of Gaussian: the continuous LoG kernel sampled on the voxel grid, sigma in mm converted per axis
 * with the spacing, truncated at `truncate` sigma (kernel radius floor(truncate * sigma_vox + 0.5)) and not
 * renormalised. The kernel is a sum of separable terms (a second derivative along one axis, Gaussians along the
 * others), so it runs as 1D convolutions. Values are per voxel unit, as the IBSI 2 reference maps (no sigma^2 scaling).
 */
import { NacError } from "@/lib/errors/nac-error";
import { convolveSeparable, like, type Boundary, type Dimensionality, type FilterGrid } from "./grid";

function gaussianKernels(sigma: number, radius: number): { g: Float64Array; d2: Float64Array } {
  const L = 2 * radius + 1;
  const g = new Float64Array(L),
    d2 = new Float64Array(L);
  const c = 1 / Math.sqrt(2 * Math.PI * sigma * sigma);
  for (let i = 0; i < L; i++) {
    const x = i - radius;
    g[i] = c * Math.exp((-x * x) / (2 * sigma * sigma));
    d2[i] = ((x * x) / sigma ** 4 - 1 / sigma ** 2) * g[i];
  }
  return { g, d2 };
}

export function logRadius(sigmaMm: number, spacing: number, truncate: number): number {
  return Math.floor(truncate * (sigmaMm / spacing) + 0.5);
}

export function laplacianOfGaussian(
  g: FilterGrid,
  sigmaMm: number,
  truncate: number,
  boundary: Boundary,
  dim: Dimensionality,
): FilterGrid {
  if (!(sigmaMm > 0) || !(truncate > 0))
    throw new NacError("SETTINGS_INVALID", "LoG sigma and truncation must be positive");
  const axes = dim === "3D" ? [0, 1, 2] : [0, 1];
  const k = axes.map((a) => gaussianKernels(sigmaMm / g.spacing[a], logRadius(sigmaMm, g.spacing[a], truncate)));
  const out = new Float64Array(g.data.length);
  for (let t = 0; t < axes.length; t++) {
    const kernels: (Float64Array | null)[] = [null, null, null];
    axes.forEach((a, i) => (kernels[a] = i === t ? k[i].d2 : k[i].g));
    const part = convolveSeparable(g.data, g.dims, kernels, boundary);
    for (let i = 0; i < out.length; i++) out[i] += part[i];
  }
  return like(g, out);
}
