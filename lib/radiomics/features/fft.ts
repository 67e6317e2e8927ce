/**
 * Complex FFT along the axes of a 3D grid, for exact-to-rounding convolutions. Mixed radix (2, 3, 5; recursive
 * decimation in time), so padded sizes can be 5-smooth instead of powers of two (about 3x less memory and work in 3D).
 * Any other length goes through Bluestein's chirp-z algorithm on a 5-smooth length >= 2n - 1: Fourier-domain filters
 * defined on the image's own grid (IBSI 2 Simoncelli) need the DFT of exactly that size.
 */

interface Plan {
  n: number;
  factors: number[];
  cos: Float64Array; // cos(2 pi k / n)
  sin: Float64Array;
}

function plan(n: number): Plan {
  const factors: number[] = [];
  let m = n;
  for (const p of [2, 3, 5]) {
    while (m % p === 0) {
      factors.push(p);
      m /= p;
    }
  }
  if (m !== 1) throw new RangeError(`FFT length ${n} is not 5-smooth`);
  const cos = new Float64Array(n),
    sin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  return { n, factors, cos, sin };
}

/**
 * Bluestein: with jk = (j^2 + k^2 - (k - j)^2) / 2, the DFT X_k = sum_j x_j e^{s 2 pi i jk / n} (s = -1 forward) is
 * c_k * sum_j (x_j c_j) conj(c_{k-j}) with the chirp c_j = e^{s pi i j^2 / n}: a circular convolution of length m.
 */
interface ChirpPlan {
  n: number;
  inner: Plan;
  /** The chirp c_j for j < n (forward sign; the inverse uses its conjugate). */
  cr: Float64Array;
  ci: Float64Array;
  /** Unscaled DFT (length m) of conj(c) laid out circularly, per sign (forward, inverse). */
  kernels: [Float64Array, Float64Array, Float64Array, Float64Array];
}

function chirpPlan(n: number): ChirpPlan {
  const inner = plan(nextSmooth(2 * n - 1));
  const m = inner.n;
  const cr = new Float64Array(n),
    ci = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    // j^2 mod 2n keeps the angle small and exact for large j.
    const a = (Math.PI * ((j * j) % (2 * n))) / n;
    cr[j] = Math.cos(a);
    ci[j] = -Math.sin(a);
  }
  const tr = new Float64Array(8),
    ti = new Float64Array(8);
  const kernels = [-1, 1].flatMap((sign) => {
    // conj(c) for the sign: forward e^{+pi i j^2/n}, inverse e^{-pi i j^2/n}, at offsets j and m - j.
    const br = new Float64Array(m),
      bi = new Float64Array(m);
    for (let j = 0; j < n; j++) {
      const im = sign === -1 ? -ci[j] : ci[j];
      br[j] = cr[j];
      bi[j] = im;
      if (j > 0) {
        br[m - j] = cr[j];
        bi[m - j] = im;
      }
    }
    const or = new Float64Array(m),
      oi = new Float64Array(m);
    rec(inner, -1, br, bi, 0, 1, m, or, oi, 0, 0, tr, ti);
    return [or, oi];
  }) as ChirpPlan["kernels"];
  return { n, inner, cr, ci, kernels };
}

/** One line: out = unscaled DFT of (inR, inI) (length n), sign -1 forward, +1 inverse. */
type LineTransform = (
  sign: number,
  inR: Float64Array,
  inI: Float64Array,
  outR: Float64Array,
  outI: Float64Array,
) => void;

function lineTransform(n: number): LineTransform {
  const tr = new Float64Array(8),
    ti = new Float64Array(8);
  if (isSmoothLength(n)) {
    const pl = plan(n);
    return (sign, inR, inI, outR, outI) => rec(pl, sign, inR, inI, 0, 1, n, outR, outI, 0, 0, tr, ti);
  }
  const cp = chirpPlan(n);
  const m = cp.inner.n;
  const ar = new Float64Array(m),
    ai = new Float64Array(m),
    fr = new Float64Array(m),
    fi = new Float64Array(m);
  return (sign, inR, inI, outR, outI) => {
    const s = sign === -1 ? 1 : -1; // conjugate the stored (forward) chirp for the inverse
    ar.fill(0);
    ai.fill(0);
    for (let j = 0; j < n; j++) {
      const cr = cp.cr[j],
        ci = s * cp.ci[j];
      ar[j] = inR[j] * cr - inI[j] * ci;
      ai[j] = inR[j] * ci + inI[j] * cr;
    }
    rec(cp.inner, -1, ar, ai, 0, 1, m, fr, fi, 0, 0, tr, ti);
    const [kr, ki] = sign === -1 ? [cp.kernels[0], cp.kernels[1]] : [cp.kernels[2], cp.kernels[3]];
    for (let k = 0; k < m; k++) {
      const a = fr[k],
        b = fi[k];
      // Conjugate the product so the forward transform below acts as the inverse: ifft(x) = conj(fft(conj(x))) / m.
      fr[k] = a * kr[k] - b * ki[k];
      fi[k] = -(a * ki[k] + b * kr[k]);
    }
    rec(cp.inner, -1, fr, fi, 0, 1, m, ar, ai, 0, 0, tr, ti);
    for (let k = 0; k < n; k++) {
      const a = ar[k] / m,
        b = -ai[k] / m;
      const cr = cp.cr[k],
        ci = s * cp.ci[k];
      outR[k] = a * cr - b * ci;
      outI[k] = a * ci + b * cr;
    }
  };
}

function isSmoothLength(n: number): boolean {
  for (const p of [2, 3, 5]) while (n % p === 0) n /= p;
  return n === 1;
}

/** out[outOff + k], k < len = DFT of in[inOff + j*stride], j < len; sign -1 forward, +1 inverse (unscaled). */
function rec(
  pl: Plan,
  sign: number,
  inR: Float64Array,
  inI: Float64Array,
  inOff: number,
  stride: number,
  len: number,
  outR: Float64Array,
  outI: Float64Array,
  outOff: number,
  fi: number,
  tr: Float64Array,
  ti: Float64Array,
): void {
  if (len === 1) {
    outR[outOff] = inR[inOff];
    outI[outOff] = inI[inOff];
    return;
  }
  const p = pl.factors[fi],
    m = len / p;
  if (m === 1) {
    // Leaf: the p-point DFT of the strided inputs directly (the twiddles are all 1), not p calls of length 1.
    if (p === 2) {
      const ar = inR[inOff],
        ai = inI[inOff],
        br = inR[inOff + stride],
        bi = inI[inOff + stride];
      outR[outOff] = ar + br;
      outI[outOff] = ai + bi;
      outR[outOff + 1] = ar - br;
      outI[outOff + 1] = ai - bi;
      return;
    }
    for (let q = 0; q < p; q++) {
      tr[q] = inR[inOff + q * stride];
      ti[q] = inI[inOff + q * stride];
    }
    smallDft(p, sign, tr, ti, outR, outI, outOff, 1);
    return;
  }
  for (let q = 0; q < p; q++)
    rec(pl, sign, inR, inI, inOff + q * stride, stride * p, m, outR, outI, outOff + q * m, fi + 1, tr, ti);
  const N = pl.n,
    step = N / len;
  if (p === 2) {
    for (let k = 0; k < m; k++) {
      const idx = k * step; // < N: no modulo needed
      const wr = pl.cos[idx],
        wi = sign * pl.sin[idx];
      const a = outOff + k,
        b = a + m;
      const xr = outR[b] * wr - outI[b] * wi,
        xi = outR[b] * wi + outI[b] * wr;
      outR[b] = outR[a] - xr;
      outI[b] = outI[a] - xi;
      outR[a] += xr;
      outI[a] += xi;
    }
    return;
  }
  for (let k = 0; k < m; k++) {
    for (let q = 0; q < p; q++) {
      const idx = q * k * step; // q*k*step < p*m*step = N
      const wr = pl.cos[idx],
        wi = sign * pl.sin[idx];
      const xr = outR[outOff + q * m + k],
        xi = outI[outOff + q * m + k];
      tr[q] = xr * wr - xi * wi;
      ti[q] = xr * wi + xi * wr;
    }
    smallDft(p, sign, tr, ti, outR, outI, outOff + k, m);
  }
}

/** out[outOff + j * m] = sum_q t[q] e^{sign 2 pi i qj / p}, j < p (p = 3 or 5). */
function smallDft(
  p: number,
  sign: number,
  tr: Float64Array,
  ti: Float64Array,
  outR: Float64Array,
  outI: Float64Array,
  outOff: number,
  m: number,
): void {
  const rc = ROOT_COS[p],
    rs = ROOT_SIN[p];
  for (let j = 0; j < p; j++) {
    let sr = 0,
      si = 0;
    for (let q = 0; q < p; q++) {
      const r = (q * j) % p;
      const wr = rc[r],
        wi = sign * rs[r];
      sr += tr[q] * wr - ti[q] * wi;
      si += tr[q] * wi + ti[q] * wr;
    }
    outR[outOff + j * m] = sr;
    outI[outOff + j * m] = si;
  }
}

// p-th roots of unity for the odd radices.
const ROOT_COS: Record<number, Float64Array> = {};
const ROOT_SIN: Record<number, Float64Array> = {};
for (const p of [3, 5]) {
  ROOT_COS[p] = Float64Array.from({ length: p }, (_, r) => Math.cos((2 * Math.PI * r) / p));
  ROOT_SIN[p] = Float64Array.from({ length: p }, (_, r) => Math.sin((2 * Math.PI * r) / p));
}

/** 3D FFT of (re, im) laid out x-fastest with dims (px, py, pz), any sizes (5-smooth ones are fastest). Inverse includes 1/N. */
export function fft3d(re: Float64Array, im: Float64Array, dims: [number, number, number], inverse: boolean): void {
  const strides = [1, dims[0], dims[0] * dims[1]];
  const sign = inverse ? 1 : -1;
  for (let axis = 0; axis < 3; axis++) {
    const n = dims[axis];
    if (n === 1) continue;
    const transform = lineTransform(n);
    const lr = new Float64Array(n),
      li = new Float64Array(n),
      or = new Float64Array(n),
      oi = new Float64Array(n);
    const s = strides[axis];
    const [o1, o2] = [0, 1, 2].filter((a) => a !== axis);
    for (let b = 0; b < dims[o2]; b++) {
      for (let a = 0; a < dims[o1]; a++) {
        const base = a * strides[o1] + b * strides[o2];
        for (let k = 0; k < n; k++) {
          lr[k] = re[base + k * s];
          li[k] = im[base + k * s];
        }
        transform(sign, lr, li, or, oi);
        for (let k = 0; k < n; k++) {
          re[base + k * s] = or[k];
          im[base + k * s] = oi[k];
        }
      }
    }
  }
  if (inverse) {
    const scale = 1 / (dims[0] * dims[1] * dims[2]);
    for (let i = 0; i < re.length; i++) {
      re[i] *= scale;
      im[i] *= scale;
    }
  }
}

/** Smallest 5-smooth integer (2^a 3^b 5^c) >= n. */
export function nextSmooth(n: number): number {
  for (let m = Math.max(1, n); ; m++) {
    let r = m;
    for (const p of [2, 3, 5]) while (r % p === 0) r /= p;
    if (r === 1) return m;
  }
}
