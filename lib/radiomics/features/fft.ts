/** In-place radix-2 complex FFT along the axes of a 3D grid (power-of-two sizes), for exact-to-rounding convolutions. */

function fft1d(re: Float64Array, im: Float64Array, n: number, inverse: boolean, cos: Float64Array, sin: Float64Array): void {
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1, step = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step], wi = sign * sin[k * step];
        const a = i + k, b = a + half;
        const xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
      }
    }
  }
}

/** 3D FFT of (re, im) laid out x-fastest with dims (px, py, pz), each a power of two. Inverse includes 1/N. */
export function fft3d(re: Float64Array, im: Float64Array, dims: [number, number, number], inverse: boolean): void {
  const [px, py, pz] = dims;
  const strides = [1, px, px * py];
  for (let axis = 0; axis < 3; axis++) {
    const n = dims[axis];
    if (n === 1) continue;
    const cos = new Float64Array(n / 2), sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) { cos[k] = Math.cos((2 * Math.PI * k) / n); sin[k] = Math.sin((2 * Math.PI * k) / n); }
    const lr = new Float64Array(n), li = new Float64Array(n);
    const s = strides[axis];
    const [o1, o2] = [0, 1, 2].filter((a) => a !== axis);
    for (let b = 0; b < dims[o2]; b++) {
      for (let a = 0; a < dims[o1]; a++) {
        const base = a * strides[o1] + b * strides[o2];
        for (let k = 0; k < n; k++) { lr[k] = re[base + k * s]; li[k] = im[base + k * s]; }
        fft1d(lr, li, n, inverse, cos, sin);
        for (let k = 0; k < n; k++) { re[base + k * s] = lr[k]; im[base + k * s] = li[k]; }
      }
    }
  }
  if (inverse) {
    const scale = 1 / (px * py * pz);
    for (let i = 0; i < re.length; i++) { re[i] *= scale; im[i] *= scale; }
  }
}

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}
