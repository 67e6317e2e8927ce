/**
 * pyradiomics' voxel-wise image types (imageoperations.getSquareImage, getSquareRootImage, getLogarithmImage,
 * getExponentialImage) and the gradient magnitude (getGradientImage: SimpleITK GradientMagnitudeImageFilter, central
 * differences with zero-flux Neumann borders, divided by the spacing when gradientUseSpacing is true).
 */
import { NacError } from "@/lib/errors/nac-error";
import type { FilterGrid } from "./grid";

function maxAbs(d: Float64Array): number {
  let m = 0;
  for (let i = 0; i < d.length; i++) if (Math.abs(d[i]) > m) m = Math.abs(d[i]);
  return m;
}

function same(g: FilterGrid, data: Float64Array): FilterGrid {
  return { data, dims: [...g.dims] as FilterGrid["dims"], spacing: [...g.spacing] as FilterGrid["spacing"] };
}

function needNonZero(m: number, what: string): void {
  if (!(m > 0)) throw new NacError("FEATURE_NOT_COMPUTABLE", `${what} image type: the image is all zeros`);
}

export function squareImage(g: FilterGrid): FilterGrid {
  const m = maxAbs(g.data);
  needNonZero(m, "square");
  const c = 1 / Math.sqrt(m);
  return same(
    g,
    g.data.map((x) => (c * x) ** 2),
  );
}

export function squareRootImage(g: FilterGrid): FilterGrid {
  const c = maxAbs(g.data);
  return same(
    g,
    g.data.map((x) => (x > 0 ? Math.sqrt(x * c) : x < 0 ? -Math.sqrt(-x * c) : x)),
  );
}

export function logarithmImage(g: FilterGrid): FilterGrid {
  const m = maxAbs(g.data);
  needNonZero(m, "logarithm");
  const out = g.data.map((x) => (x > 0 ? Math.log(x + 1) : x < 0 ? -Math.log(-(x - 1)) : x));
  const k = m / maxAbs(out);
  for (let i = 0; i < out.length; i++) out[i] *= k;
  return same(g, out);
}

export function exponentialImage(g: FilterGrid): FilterGrid {
  const m = maxAbs(g.data);
  needNonZero(m, "exponential");
  const c = Math.log(m) / m;
  return same(
    g,
    g.data.map((x) => Math.exp(c * x)),
  );
}

export function gradientMagnitude(g: FilterGrid, useSpacing: boolean): FilterGrid {
  const [nx, ny, nz] = g.dims;
  const out = new Float64Array(g.data.length);
  const strides = [1, nx, nx * ny];
  const d = g.data;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const pos = [x, y, z];
        let ss = 0;
        for (let a = 0; a < 3; a++) {
          const n = g.dims[a];
          const up = pos[a] + 1 < n ? i + strides[a] : i;
          const dn = pos[a] - 1 >= 0 ? i - strides[a] : i;
          const grad = (0.5 * (d[up] - d[dn])) / (useSpacing ? g.spacing[a] : 1);
          ss += grad * grad;
        }
        out[i] = Math.sqrt(ss);
      }
    }
  }
  return same(g, out);
}
