/**
 * Convolution and Fourier-domain filtering through the FFT, on the image extended by the boundary condition.
 * `axes` holds the filtered axes: two for in-plane (2D) filters, which then run slice by slice along the third.
 */
import type { Vec3 } from "@/lib/imaging/volume";
import { fft3d, nextSmooth } from "../features/fft";
import { boundaryIndex, type Boundary } from "./grid";

export interface Complex {
  re: Float64Array;
  im: Float64Array;
}

interface Plan {
  /** The filtered axes and, for 2D, the stack axis. */
  axes: number[];
  stack: number | null;
  /** Extension (voxels) on each side of each filtered axis, and the FFT size per filtered axis. */
  pad: number[];
  size: number[];
}

function plan(dims: Vec3, axes: number[], pad: number[], exactSize: boolean): Plan {
  const size = axes.map((a, i) => (exactSize ? dims[a] + 2 * pad[i] : nextSmooth(dims[a] + 2 * pad[i])));
  const stack = axes.length === 2 ? [0, 1, 2].find((a) => !axes.includes(a))! : null;
  return { axes, stack, pad, size };
}

function fftDims(p: Plan): [number, number, number] {
  return [p.size[0], p.size[1] ?? 1, p.size[2] ?? 1];
}

/** Load one slice (or the volume) into an FFT buffer: voxel m of the buffer holds the extended image at m - pad. */
function load(
  src: Float64Array,
  dims: Vec3,
  p: Plan,
  slice: number,
  b: Boundary,
  re: Float64Array,
  im: Float64Array,
): void {
  re.fill(0);
  im.fill(0);
  const strides = [1, dims[0], dims[0] * dims[1]];
  const [s0, s1, s2] = fftDims(p);
  const base = p.stack === null ? 0 : slice * strides[p.stack];
  const used = p.axes.map((a, i) => dims[a] + 2 * p.pad[i]);
  const maps = p.axes.map((a, i) => {
    const m = new Int32Array(used[i]);
    for (let t = 0; t < used[i]; t++) m[t] = boundaryIndex(t - p.pad[i], dims[a], b);
    return m;
  });
  const st = p.axes.map((a) => strides[a]);
  const u2 = used[2] ?? 1,
    u1 = used[1] ?? 1;
  for (let z = 0; z < u2; z++) {
    const iz = maps[2] ? maps[2][z] : 0;
    if (iz < 0) continue;
    for (let y = 0; y < u1; y++) {
      const iy = maps[1] ? maps[1][y] : 0;
      if (iy < 0) continue;
      const row = base + iz * (st[2] ?? 0) + iy * (st[1] ?? 0);
      const o = s0 * (y + s1 * z);
      for (let x = 0; x < used[0]; x++) {
        const ix = maps[0][x];
        if (ix >= 0) re[o + x] = src[row + ix * st[0]];
      }
    }
  }
  void s2;
}

/** Store the cropped result of one slice (or the volume): image voxel i is buffer voxel i + offset. */
function store(
  dims: Vec3,
  p: Plan,
  slice: number,
  offset: number[],
  re: Float64Array,
  im: Float64Array,
  out: Complex,
): void {
  const strides = [1, dims[0], dims[0] * dims[1]];
  const [s0, s1] = fftDims(p);
  const base = p.stack === null ? 0 : slice * strides[p.stack];
  const n = p.axes.map((a) => dims[a]);
  const st = p.axes.map((a) => strides[a]);
  const n2 = n[2] ?? 1,
    n1 = n[1] ?? 1;
  for (let z = 0; z < n2; z++) {
    for (let y = 0; y < n1; y++) {
      const o = s0 * (y + (offset[1] ?? 0) + s1 * (z + (offset[2] ?? 0))) + offset[0];
      const row = base + z * (st[2] ?? 0) + y * (st[1] ?? 0);
      for (let x = 0; x < n[0]; x++) {
        out.re[row + x * st[0]] = re[o + x];
        out.im[row + x * st[0]] = im[o + x];
      }
    }
  }
}

function forEachSlice(dims: Vec3, p: Plan, fn: (slice: number) => void): void {
  const count = p.stack === null ? 1 : dims[p.stack];
  for (let s = 0; s < count; s++) fn(s);
}

/** (re, im) *= (hr, hi), element by element. */
function multiplyInPlace(re: Float64Array, im: Float64Array, hr: Float64Array, hi: Float64Array): void {
  for (let i = 0; i < re.length; i++) {
    const a = re[i],
      c = im[i];
    re[i] = a * hr[i] - c * hi[i];
    im[i] = a * hi[i] + c * hr[i];
  }
}

/**
 * The spectrum of a dense kernel on the FFT grid `fd`: the kernel at buffer indices [0, K), so that the circular
 * convolution lands image voxel i at i + 2 * pad.
 */
function kernelSpectrum(kernel: Complex, kdims: number[], fd: Vec3): { kr: Float64Array; ki: Float64Array } {
  const total = fd[0] * fd[1] * fd[2];
  const kr = new Float64Array(total),
    ki = new Float64Array(total);
  const K2 = kdims[2] ?? 1,
    K1 = kdims[1] ?? 1;
  for (let z = 0; z < K2; z++) {
    for (let y = 0; y < K1; y++) {
      for (let x = 0; x < kdims[0]; x++) {
        const k = x + kdims[0] * (y + K1 * z);
        const o = x + fd[0] * (y + fd[1] * z);
        kr[o] = kernel.re[k];
        ki[o] = kernel.im[k];
      }
    }
  }
  fft3d(kr, ki, fd, false);
  return { kr, ki };
}

/**
 * Linear convolution with a dense (possibly complex) kernel of odd size K per filtered axis (centre (K-1)/2), on the
 * image extended by (K-1)/2 voxels with the boundary condition. Same result as padding, convolving and cropping.
 */
export function convolveDense(
  src: Float64Array,
  dims: Vec3,
  axes: number[],
  kernel: Complex,
  kdims: number[],
  b: Boundary,
): Complex {
  const pad = kdims.map((k) => (k - 1) / 2);
  const p = plan(dims, axes, pad, false);
  const fd = fftDims(p);
  const total = fd[0] * fd[1] * fd[2];
  const { kr, ki } = kernelSpectrum(kernel, kdims, fd);
  const out: Complex = { re: new Float64Array(src.length), im: new Float64Array(src.length) };
  const re = new Float64Array(total),
    im = new Float64Array(total);
  const offset = pad.map((q) => 2 * q);
  forEachSlice(dims, p, (s) => {
    load(src, dims, p, s, b, re, im);
    fft3d(re, im, fd, false);
    multiplyInPlace(re, im, kr, ki);
    fft3d(re, im, fd, true);
    store(dims, p, s, offset, re, im, out);
  });
  return out;
}

/**
 * Multiply the spectrum by a frequency response H given on the FFT grid (freq: DFT index -> signed frequency in
 * cycles per sample, [-0.5, 0.5)). The image is extended by `pad` voxels per filtered axis; with `exact` the FFT size
 * is the extended size itself (any length), else the next 5-smooth size.
 */
export function filterFrequency(
  src: Float64Array,
  dims: Vec3,
  axes: number[],
  pad: number[],
  b: Boundary,
  response: (fftSize: number[]) => Complex,
  exact = false,
): Complex {
  const p = plan(dims, axes, pad, exact);
  const fd = fftDims(p);
  const total = fd[0] * fd[1] * fd[2];
  const H = response(p.size);
  const out: Complex = { re: new Float64Array(src.length), im: new Float64Array(src.length) };
  const re = new Float64Array(total),
    im = new Float64Array(total);
  forEachSlice(dims, p, (s) => {
    load(src, dims, p, s, b, re, im);
    fft3d(re, im, fd, false);
    multiplyInPlace(re, im, H.re, H.im);
    fft3d(re, im, fd, true);
    store(dims, p, s, pad, re, im, out);
  });
  return out;
}

/** Signed DFT frequency of index k on a grid of n, in cycles per sample. */
export function dftFrequency(k: number, n: number): number {
  return (k < Math.ceil(n / 2) ? k : k - n) / n;
}

/**
 * A bank of dense kernels of the same size applied to the same image: each slice is transformed once and multiplied by
 * every kernel's spectrum; returns the modulus of each response pooled over the bank (Gabor rotation invariance).
 */
export function convolveDenseModulusPooled(
  src: Float64Array,
  dims: Vec3,
  axes: number[],
  kernels: Complex[],
  kdims: number[],
  b: Boundary,
  pooling: "average" | "max" | "min",
): Float64Array {
  const pad = kdims.map((k) => (k - 1) / 2);
  const p = plan(dims, axes, pad, false);
  const fd = fftDims(p);
  const total = fd[0] * fd[1] * fd[2];
  const spectra = kernels.map((kernel) => kernelSpectrum(kernel, kdims, fd));
  const acc = new Float64Array(src.length);
  const re = new Float64Array(total),
    im = new Float64Array(total),
    wr = new Float64Array(total),
    wi = new Float64Array(total);
  const offset = pad.map((q) => 2 * q);
  const strides = [1, dims[0], dims[0] * dims[1]];
  const n = axes.map((a) => dims[a]);
  const st = axes.map((a) => strides[a]);
  const n2 = n[2] ?? 1,
    n1 = n[1] ?? 1;
  forEachSlice(dims, p, (s) => {
    load(src, dims, p, s, b, re, im);
    fft3d(re, im, fd, false);
    const base = p.stack === null ? 0 : s * strides[p.stack];
    spectra.forEach(({ kr, ki }, k) => {
      for (let i = 0; i < total; i++) {
        wr[i] = re[i] * kr[i] - im[i] * ki[i];
        wi[i] = re[i] * ki[i] + im[i] * kr[i];
      }
      fft3d(wr, wi, fd, true);
      // Pool the modulus of this slice's voxels straight from the buffer (image voxel x is buffer voxel x + offset).
      for (let z = 0; z < n2; z++) {
        for (let y = 0; y < n1; y++) {
          const row = base + z * (st[2] ?? 0) + y * (st[1] ?? 0);
          const o = fd[0] * (y + (offset[1] ?? 0) + fd[1] * (z + (offset[2] ?? 0))) + offset[0];
          for (let x = 0; x < n[0]; x++) {
            const i = row + x * st[0];
            const a = wr[o + x],
              c = wi[o + x];
            const m = Math.sqrt(a * a + c * c);
            if (k === 0 || pooling === "average") acc[i] = k === 0 ? m : acc[i] + m;
            else if (pooling === "max") {
              if (m > acc[i]) acc[i] = m;
            } else if (m < acc[i]) acc[i] = m;
          }
        }
      }
    });
  });
  if (pooling === "average") for (let i = 0; i < acc.length; i++) acc[i] /= kernels.length;
  return acc;
}
