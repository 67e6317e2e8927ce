/**
 * ITK's LaplacianRecursiveGaussianImageFilter as pyradiomics calls it (getLoGImage: SetNormalizeAcrossScale(True),
 * SetSigma(sigma mm)): Deriche's 4th-order recursive approximation of the Gaussian and its second derivative
 * (RecursiveGaussianImageFilter::SetUp), run causally and anti-causally along each line with ITK's edge-extension
 * initial conditions (RecursiveSeparableImageFilter::FilterDataArray). For each axis d: second derivative along d,
 * then smoothing along the other axes in increasing order, scaled by 1/spacing_d^2; summed over d. With scale
 * normalisation the derivative is multiplied by sigma^2. Ported from ITK 5.2 (Apache-2.0) and checked against it
 * (bench/pyradiomics-reference/itk_log.cxx).
 */
import { NacError } from "@/lib/errors/nac-error";
import type { FilterGrid } from "./grid";

interface Coefficients {
  n: [number, number, number, number];
  m: [number, number, number, number];
  d: [number, number, number, number];
  bn: [number, number, number, number];
  bm: [number, number, number, number];
}

const W1 = 0.6681, L1 = -1.3932, W2 = 2.0787, L2 = -1.3732;
const A1 = [1.353, -0.6724, -1.3563], B1 = [1.8151, -3.4327, 5.2318];
const A2 = [-0.3531, 0.6724, 0.3446], B2 = [0.0902, 0.61, -2.2355];

function nCoefficients(sd: number, a1: number, b1: number, a2: number, b2: number) {
  const sin1 = Math.sin(W1 / sd), sin2 = Math.sin(W2 / sd), cos1 = Math.cos(W1 / sd), cos2 = Math.cos(W2 / sd);
  const exp1 = Math.exp(L1 / sd), exp2 = Math.exp(L2 / sd);
  const n0 = a1 + a2;
  let n1 = exp2 * (b2 * sin2 - (a2 + 2 * a1) * cos2);
  n1 += exp1 * (b1 * sin1 - (a1 + 2 * a2) * cos1);
  let n2 = (a1 + a2) * cos2 * cos1;
  n2 -= b1 * cos2 * sin1 + b2 * cos1 * sin2;
  n2 *= 2 * exp1 * exp2;
  n2 += a2 * exp1 * exp1 + a1 * exp2 * exp2;
  let n3 = exp2 * exp1 * exp1 * (b2 * sin2 - a2 * cos2);
  n3 += exp1 * exp2 * exp2 * (b1 * sin1 - a1 * cos1);
  return { n: [n0, n1, n2, n3] as [number, number, number, number], SN: n0 + n1 + n2 + n3, DN: n1 + 2 * n2 + 3 * n3, EN: n1 + 4 * n2 + 9 * n3 };
}

/** Coefficients for order 0 (smoothing) or 2 (second derivative), sigma and spacing in mm. */
export function recursiveGaussianCoefficients(sigma: number, spacing: number, order: 0 | 2, normalizeAcrossScale: boolean): Coefficients {
  const sd = sigma / spacing;
  const cos1 = Math.cos(W1 / sd), cos2 = Math.cos(W2 / sd), exp1 = Math.exp(L1 / sd), exp2 = Math.exp(L2 / sd);
  const d4 = exp1 * exp1 * exp2 * exp2;
  let d3 = -2 * cos1 * exp1 * exp2 * exp2;
  d3 += -2 * cos2 * exp2 * exp1 * exp1;
  let d2 = 4 * cos2 * cos1 * exp1 * exp2;
  d2 += exp1 * exp1 + exp2 * exp2;
  const d1 = -2 * (exp2 * cos2 + exp1 * cos1);
  const SD = 1 + d1 + d2 + d3 + d4, DD = d1 + 2 * d2 + 3 * d3 + 4 * d4, ED = d1 + 4 * d2 + 9 * d3 + 16 * d4;
  let n: [number, number, number, number];
  if (order === 0) {
    const c = nCoefficients(sd, A1[0], B1[0], A2[0], B2[0]);
    const alpha0 = (2 * c.SN) / SD - c.n[0];
    n = c.n.map((x) => x / alpha0) as typeof n;
  } else {
    const scale = normalizeAcrossScale ? sigma * sigma : 1;
    const c0 = nCoefficients(sd, A1[0], B1[0], A2[0], B2[0]);
    const c2 = nCoefficients(sd, A1[2], B1[2], A2[2], B2[2]);
    const beta = -(2 * c2.SN - SD * c2.n[0]) / (2 * c0.SN - SD * c0.n[0]);
    n = c2.n.map((x, i) => x + beta * c0.n[i]) as typeof n;
    const SN = c2.SN + beta * c0.SN, DN = c2.DN + beta * c0.DN, EN = c2.EN + beta * c0.EN;
    let alpha2 = EN * SD * SD - ED * SN * SD - 2 * DN * DD * SD + 2 * DD * DD * SN;
    alpha2 /= SD * SD * SD;
    n = n.map((x) => (x * scale) / alpha2) as typeof n;
  }
  // Both orders are symmetric.
  const m: [number, number, number, number] = [n[1] - d1 * n[0], n[2] - d2 * n[0], n[3] - d3 * n[0], -d4 * n[0]];
  const SN = n[0] + n[1] + n[2] + n[3], SM = m[0] + m[1] + m[2] + m[3];
  const d: [number, number, number, number] = [d1, d2, d3, d4];
  return { n, m, d, bn: d.map((x) => (x * SN) / SD) as typeof d, bm: d.map((x) => (x * SM) / SD) as typeof d };
}

/** RecursiveSeparableImageFilter::FilterDataArray (ln >= 4). */
function filterLine(c: Coefficients, data: Float64Array, out: Float64Array, scratch: Float64Array, ln: number): void {
  const [n0, n1, n2, n3] = c.n, [m1, m2, m3, m4] = c.m, [d1, d2, d3, d4] = c.d;
  const [bn1, bn2, bn3, bn4] = c.bn, [bm1, bm2, bm3, bm4] = c.bm;
  const v1 = data[0];
  out[0] = v1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
  out[1] = data[1] * n0 + v1 * n1 + v1 * n2 + v1 * n3;
  out[2] = data[2] * n0 + data[1] * n1 + v1 * n2 + v1 * n3;
  out[3] = data[3] * n0 + data[2] * n1 + data[1] * n2 + v1 * n3;
  out[0] -= v1 * bn1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
  out[1] -= out[0] * d1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
  out[2] -= out[1] * d1 + out[0] * d2 + v1 * bn3 + v1 * bn4;
  out[3] -= out[2] * d1 + out[1] * d2 + out[0] * d3 + v1 * bn4;
  for (let i = 4; i < ln; i++) {
    out[i] = data[i] * n0 + data[i - 1] * n1 + data[i - 2] * n2 + data[i - 3] * n3;
    out[i] -= out[i - 1] * d1 + out[i - 2] * d2 + out[i - 3] * d3 + out[i - 4] * d4;
  }
  const v2 = data[ln - 1];
  const s = scratch;
  s[ln - 1] = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
  s[ln - 2] = data[ln - 1] * m1 + v2 * m2 + v2 * m3 + v2 * m4;
  s[ln - 3] = data[ln - 2] * m1 + data[ln - 1] * m2 + v2 * m3 + v2 * m4;
  s[ln - 4] = data[ln - 3] * m1 + data[ln - 2] * m2 + data[ln - 1] * m3 + v2 * m4;
  s[ln - 1] -= v2 * bm1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
  s[ln - 2] -= s[ln - 1] * d1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
  s[ln - 3] -= s[ln - 2] * d1 + s[ln - 1] * d2 + v2 * bm3 + v2 * bm4;
  s[ln - 4] -= s[ln - 3] * d1 + s[ln - 2] * d2 + s[ln - 1] * d3 + v2 * bm4;
  for (let i = ln - 4; i > 0; i--) {
    s[i - 1] = data[i] * m1 + data[i + 1] * m2 + data[i + 2] * m3 + data[i + 3] * m4;
    s[i - 1] -= s[i] * d1 + s[i + 1] * d2 + s[i + 2] * d3 + s[i + 3] * d4;
  }
  for (let i = 0; i < ln; i++) out[i] += s[i];
}

function filterAxis(src: Float64Array, dims: [number, number, number], axis: number, c: Coefficients): Float64Array {
  const n = dims[axis];
  const strides = [1, dims[0], dims[0] * dims[1]];
  const st = strides[axis];
  const [o1, o2] = [0, 1, 2].filter((a) => a !== axis);
  const out = new Float64Array(src.length);
  const line = new Float64Array(n), res = new Float64Array(n), scratch = new Float64Array(n);
  for (let q = 0; q < dims[o2]; q++) {
    for (let p = 0; p < dims[o1]; p++) {
      const base = p * strides[o1] + q * strides[o2];
      for (let i = 0; i < n; i++) line[i] = src[base + i * st];
      filterLine(c, line, res, scratch, n);
      for (let i = 0; i < n; i++) out[base + i * st] = res[i];
    }
  }
  return out;
}

/** pyradiomics' size check: every axis needs at least 4 voxels and ceil(sigma / spacing) + 1 voxels. */
export function logSizeProblem(g: Pick<FilterGrid, "dims" | "spacing">, sigma: number): string | null {
  if (Math.min(...g.dims) < 4) return `image too small for the LoG filter (size ${g.dims.join("x")}, at least 4 voxels per axis)`;
  if (!(sigma > 0)) return `LoG sigma must be greater than 0, got ${sigma}`;
  if (g.dims.some((n, a) => n < Math.ceil(sigma / g.spacing[a]) + 1)) {
    return `LoG sigma ${sigma} mm is too large for the image (size ${g.dims.join("x")}, spacing ${g.spacing.join("x")}: each axis needs ceil(sigma/spacing)+1 voxels)`;
  }
  return null;
}

export function itkLaplacianRecursiveGaussian(g: FilterGrid, sigma: number): FilterGrid {
  const problem = logSizeProblem(g, sigma);
  if (problem) throw new NacError("FEATURE_NOT_COMPUTABLE", problem);
  const out = new Float64Array(g.data.length);
  for (let dim = 0; dim < 3; dim++) {
    let cur = filterAxis(g.data, g.dims, dim, recursiveGaussianCoefficients(sigma, g.spacing[dim], 2, true));
    for (let a = 0; a < 3; a++) {
      if (a !== dim) cur = filterAxis(cur, g.dims, a, recursiveGaussianCoefficients(sigma, g.spacing[a], 0, true));
    }
    const inv = 1 / (g.spacing[dim] * g.spacing[dim]);
    for (let i = 0; i < out.length; i++) out[i] += cur[i] * inv;
  }
  return { data: out, dims: [...g.dims] as FilterGrid["dims"], spacing: [...g.spacing] as FilterGrid["spacing"] };
}
