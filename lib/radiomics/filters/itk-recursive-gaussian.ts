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

const W1 = 0.6681,
  L1 = -1.3932,
  W2 = 2.0787,
  L2 = -1.3732;
const A1 = [1.353, -0.6724, -1.3563],
  B1 = [1.8151, -3.4327, 5.2318];
const A2 = [-0.3531, 0.6724, 0.3446],
  B2 = [0.0902, 0.61, -2.2355];

function nCoefficients(sd: number, a1: number, b1: number, a2: number, b2: number) {
  const sin1 = Math.sin(W1 / sd),
    sin2 = Math.sin(W2 / sd),
    cos1 = Math.cos(W1 / sd),
    cos2 = Math.cos(W2 / sd);
  const exp1 = Math.exp(L1 / sd),
    exp2 = Math.exp(L2 / sd);
  const n0 = a1 + a2;
  let n1 = exp2 * (b2 * sin2 - (a2 + 2 * a1) * cos2);
  n1 += exp1 * (b1 * sin1 - (a1 + 2 * a2) * cos1);
  let n2 = (a1 + a2) * cos2 * cos1;
  n2 -= b1 * cos2 * sin1 + b2 * cos1 * sin2;
  n2 *= 2 * exp1 * exp2;
  n2 += a2 * exp1 * exp1 + a1 * exp2 * exp2;
  let n3 = exp2 * exp1 * exp1 * (b2 * sin2 - a2 * cos2);
  n3 += exp1 * exp2 * exp2 * (b1 * sin1 - a1 * cos1);
  return {
    n: [n0, n1, n2, n3] as [number, number, number, number],
    SN: n0 + n1 + n2 + n3,
    DN: n1 + 2 * n2 + 3 * n3,
    EN: n1 + 4 * n2 + 9 * n3,
  };
}

/** Coefficients for order 0 (smoothing) or 2 (second derivative), sigma and spacing in mm. */
export function recursiveGaussianCoefficients(
  sigma: number,
  spacing: number,
  order: 0 | 2,
  normalizeAcrossScale: boolean,
): Coefficients {
  const sd = sigma / spacing;
  const cos1 = Math.cos(W1 / sd),
    cos2 = Math.cos(W2 / sd),
    exp1 = Math.exp(L1 / sd),
    exp2 = Math.exp(L2 / sd);
  const d4 = exp1 * exp1 * exp2 * exp2;
  let d3 = -2 * cos1 * exp1 * exp2 * exp2;
  d3 += -2 * cos2 * exp2 * exp1 * exp1;
  let d2 = 4 * cos2 * cos1 * exp1 * exp2;
  d2 += exp1 * exp1 + exp2 * exp2;
  const d1 = -2 * (exp2 * cos2 + exp1 * cos1);
  const SD = 1 + d1 + d2 + d3 + d4,
    DD = d1 + 2 * d2 + 3 * d3 + 4 * d4,
    ED = d1 + 4 * d2 + 9 * d3 + 16 * d4;
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
    const SN = c2.SN + beta * c0.SN,
      DN = c2.DN + beta * c0.DN,
      EN = c2.EN + beta * c0.EN;
    let alpha2 = EN * SD * SD - ED * SN * SD - 2 * DN * DD * SD + 2 * DD * DD * SN;
    alpha2 /= SD * SD * SD;
    n = n.map((x) => (x * scale) / alpha2) as typeof n;
  }
  // Both orders are symmetric.
  const m: [number, number, number, number] = [n[1] - d1 * n[0], n[2] - d2 * n[0], n[3] - d3 * n[0], -d4 * n[0]];
  const SN = n[0] + n[1] + n[2] + n[3],
    SM = m[0] + m[1] + m[2] + m[3];
  const d: [number, number, number, number] = [d1, d2, d3, d4];
  return { n, m, d, bn: d.map((x) => (x * SN) / SD) as typeof d, bm: d.map((x) => (x * SM) / SD) as typeof d };
}

/** RecursiveSeparableImageFilter::FilterDataArray (ln >= 4) on the contiguous line at `at` of src, into dst. */
function filterLine(
  c: Coefficients,
  src: Float64Array,
  dst: Float64Array,
  at: number,
  scratch: Float64Array,
  ln: number,
): void {
  const [n0, n1, n2, n3] = c.n,
    [m1, m2, m3, m4] = c.m,
    [d1, d2, d3, d4] = c.d;
  const [bn1, bn2, bn3, bn4] = c.bn,
    [bm1, bm2, bm3, bm4] = c.bm;
  const v1 = src[at];
  dst[at] = v1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
  dst[at + 1] = src[at + 1] * n0 + v1 * n1 + v1 * n2 + v1 * n3;
  dst[at + 2] = src[at + 2] * n0 + src[at + 1] * n1 + v1 * n2 + v1 * n3;
  dst[at + 3] = src[at + 3] * n0 + src[at + 2] * n1 + src[at + 1] * n2 + v1 * n3;
  dst[at] -= v1 * bn1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
  dst[at + 1] -= dst[at] * d1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
  dst[at + 2] -= dst[at + 1] * d1 + dst[at] * d2 + v1 * bn3 + v1 * bn4;
  dst[at + 3] -= dst[at + 2] * d1 + dst[at + 1] * d2 + dst[at] * d3 + v1 * bn4;
  for (let i = 4; i < ln; i++) {
    dst[at + i] = src[at + i] * n0 + src[at + i - 1] * n1 + src[at + i - 2] * n2 + src[at + i - 3] * n3;
    dst[at + i] -= dst[at + i - 1] * d1 + dst[at + i - 2] * d2 + dst[at + i - 3] * d3 + dst[at + i - 4] * d4;
  }
  const v2 = src[at + ln - 1];
  const s = scratch;
  s[ln - 1] = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
  s[ln - 2] = src[at + ln - 1] * m1 + v2 * m2 + v2 * m3 + v2 * m4;
  s[ln - 3] = src[at + ln - 2] * m1 + src[at + ln - 1] * m2 + v2 * m3 + v2 * m4;
  s[ln - 4] = src[at + ln - 3] * m1 + src[at + ln - 2] * m2 + src[at + ln - 1] * m3 + v2 * m4;
  s[ln - 1] -= v2 * bm1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
  s[ln - 2] -= s[ln - 1] * d1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
  s[ln - 3] -= s[ln - 2] * d1 + s[ln - 1] * d2 + v2 * bm3 + v2 * bm4;
  s[ln - 4] -= s[ln - 3] * d1 + s[ln - 2] * d2 + s[ln - 1] * d3 + v2 * bm4;
  for (let i = ln - 4; i > 0; i--) {
    s[i - 1] = src[at + i] * m1 + src[at + i + 1] * m2 + src[at + i + 2] * m3 + src[at + i + 3] * m4;
    s[i - 1] -= s[i] * d1 + s[i + 1] * d2 + s[i + 2] * d3 + s[i + 3] * d4;
  }
  for (let i = 0; i < ln; i++) dst[at + i] += s[i];
}

/**
 * FilterDataArray on `w` lines at once: element i of line k is at base + i * st + k (k < w, the lines of one row are
 * contiguous), so every step of the recursion reads and writes whole rows (cache-friendly for the strided axes). Same
 * arithmetic, in the same order, as filterLine.
 */
function filterRows(
  c: Coefficients,
  src: Float64Array,
  dst: Float64Array,
  base: number,
  st: number,
  ln: number,
  w: number,
  s: Float64Array,
): void {
  const [n0, n1, n2, n3] = c.n,
    [m1, m2, m3, m4] = c.m,
    [d1, d2, d3, d4] = c.d;
  const [bn1, bn2, bn3, bn4] = c.bn,
    [bm1, bm2, bm3, bm4] = c.bm;
  const r0 = base,
    r1 = base + st,
    r2 = base + 2 * st,
    r3 = base + 3 * st;
  for (let k = 0; k < w; k++) {
    const v1 = src[r0 + k];
    let o0 = v1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
    let o1 = src[r1 + k] * n0 + v1 * n1 + v1 * n2 + v1 * n3;
    let o2 = src[r2 + k] * n0 + src[r1 + k] * n1 + v1 * n2 + v1 * n3;
    let o3 = src[r3 + k] * n0 + src[r2 + k] * n1 + src[r1 + k] * n2 + v1 * n3;
    o0 -= v1 * bn1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
    o1 -= o0 * d1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
    o2 -= o1 * d1 + o0 * d2 + v1 * bn3 + v1 * bn4;
    o3 -= o2 * d1 + o1 * d2 + o0 * d3 + v1 * bn4;
    dst[r0 + k] = o0;
    dst[r1 + k] = o1;
    dst[r2 + k] = o2;
    dst[r3 + k] = o3;
  }
  for (let i = 4; i < ln; i++) {
    const r = base + i * st;
    for (let k = 0; k < w; k++) {
      let o = src[r + k] * n0 + src[r - st + k] * n1 + src[r - 2 * st + k] * n2 + src[r - 3 * st + k] * n3;
      o -= dst[r - st + k] * d1 + dst[r - 2 * st + k] * d2 + dst[r - 3 * st + k] * d3 + dst[r - 4 * st + k] * d4;
      dst[r + k] = o;
    }
  }
  // Anti-causal part in s (row i of the scratch at i * w), then added to dst.
  const e = base + (ln - 1) * st;
  const L = ln - 1;
  for (let k = 0; k < w; k++) {
    const v2 = src[e + k];
    const x1 = src[e + k],
      x2 = src[e - st + k],
      x3 = src[e - 2 * st + k];
    let a1 = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
    let a2 = x1 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
    let a3 = x2 * m1 + x1 * m2 + v2 * m3 + v2 * m4;
    let a4 = x3 * m1 + x2 * m2 + x1 * m3 + v2 * m4;
    a1 -= v2 * bm1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
    a2 -= a1 * d1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
    a3 -= a2 * d1 + a1 * d2 + v2 * bm3 + v2 * bm4;
    a4 -= a3 * d1 + a2 * d2 + a1 * d3 + v2 * bm4;
    s[L * w + k] = a1;
    s[(L - 1) * w + k] = a2;
    s[(L - 2) * w + k] = a3;
    s[(L - 3) * w + k] = a4;
  }
  for (let i = ln - 4; i > 0; i--) {
    const r = base + i * st,
      q = (i - 1) * w;
    for (let k = 0; k < w; k++) {
      let a = src[r + k] * m1 + src[r + st + k] * m2 + src[r + 2 * st + k] * m3 + src[r + 3 * st + k] * m4;
      a -= s[q + w + k] * d1 + s[q + 2 * w + k] * d2 + s[q + 3 * w + k] * d3 + s[q + 4 * w + k] * d4;
      s[q + k] = a;
    }
  }
  for (let i = 0; i < ln; i++) {
    const r = base + i * st,
      q = i * w;
    for (let k = 0; k < w; k++) dst[r + k] += s[q + k];
  }
}

/** One recursive pass along `axis` from src into dst (both x-fastest with dims). */
function filterAxis(
  src: Float64Array,
  dst: Float64Array,
  dims: [number, number, number],
  axis: number,
  c: Coefficients,
): void {
  const [nx, ny, nz] = dims;
  if (axis === 0) {
    const scratch = new Float64Array(nx);
    for (let r = 0; r < ny * nz; r++) filterLine(c, src, dst, r * nx, scratch, nx);
  } else if (axis === 1) {
    // The lines of one z-plane: x contiguous, y the recursion.
    const s = new Float64Array(ny * nx);
    for (let z = 0; z < nz; z++) filterRows(c, src, dst, z * nx * ny, nx, ny, nx, s);
  } else {
    // The lines through one y-row: x contiguous, z the recursion.
    const s = new Float64Array(nz * nx);
    for (let y = 0; y < ny; y++) filterRows(c, src, dst, y * nx, nx * ny, nz, nx, s);
  }
}

/** pyradiomics' size check: every axis needs at least 4 voxels and ceil(sigma / spacing) + 1 voxels. */
export function logSizeProblem(g: Pick<FilterGrid, "dims" | "spacing">, sigma: number): string | null {
  if (Math.min(...g.dims) < 4)
    return `image too small for the LoG filter (size ${g.dims.join("x")}, at least 4 voxels per axis)`;
  if (!(sigma > 0)) return `LoG sigma must be greater than 0, got ${sigma}`;
  if (g.dims.some((n, a) => n < Math.ceil(sigma / g.spacing[a]) + 1)) {
    return `LoG sigma ${sigma} mm is too large for the image (size ${g.dims.join("x")}, spacing ${g.spacing.join("x")}: each axis needs ceil(sigma/spacing)+1 voxels)`;
  }
  return null;
}

export function itkLaplacianRecursiveGaussian(g: FilterGrid, sigma: number): FilterGrid {
  const problem = logSizeProblem(g, sigma);
  if (problem) throw new NacError("FEATURE_NOT_COMPUTABLE", problem);
  // ITK sums, over each axis d, D_d then smoothing S along the other axes, scaled by 1/spacing_d^2. Passes along
  // different axes commute (each is linear and acts on whole lines), so the smoothings are shared:
  //   out = D_2 S_1 S_0 x / h_2^2 + S_2 (D_1 S_0 x / h_1^2 + S_1 D_0 x / h_0^2)
  // in 7 passes instead of 9; equal to ITK's order up to rounding.
  const { dims, spacing } = g;
  const S = [0, 1, 2].map((a) => recursiveGaussianCoefficients(sigma, spacing[a], 0, true));
  const D = [0, 1, 2].map((a) => recursiveGaussianCoefficients(sigma, spacing[a], 2, true));
  const inv = spacing.map((h) => 1 / (h * h));
  const n = g.data.length;
  const out = new Float64Array(n),
    a = new Float64Array(n),
    b = new Float64Array(n),
    c = new Float64Array(n);
  filterAxis(g.data, a, dims, 0, S[0]); // a = S0 x
  filterAxis(a, b, dims, 1, S[1]); // b = S1 S0 x
  filterAxis(b, out, dims, 2, D[2]); // out = D2 S1 S0 x
  filterAxis(a, b, dims, 1, D[1]); // b = D1 S0 x
  filterAxis(g.data, a, dims, 0, D[0]); // a = D0 x
  filterAxis(a, c, dims, 1, S[1]); // c = S1 D0 x
  for (let i = 0; i < n; i++) c[i] = b[i] * inv[1] + c[i] * inv[0];
  filterAxis(c, a, dims, 2, S[2]);
  for (let i = 0; i < n; i++) out[i] = out[i] * inv[2] + a[i];
  return { data: out, dims: [...dims] as FilterGrid["dims"], spacing: [...spacing] as FilterGrid["spacing"] };
}
