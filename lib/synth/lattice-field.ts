/**
 * Smooth random fields for tissue texture: random values on a coarse lattice (fixed to patient coordinates, so the
 * same fibroglandular pattern appears in every series of a patient), box-blurred once per axis, then interpolated with a smoothstep
 * fade. Axis-aligned sampling tables make per-voxel evaluation 8 loads and 7 lerps.
 */
import type { Rng } from "./prng";

export class LatticeField {
  readonly values: Float32Array;

  constructor(
    readonly origin: [number, number, number],
    readonly spacing: number,
    readonly dims: [number, number, number],
    rng: Rng,
  ) {
    const [nx, ny, nz] = dims;
    let a = new Float32Array(nx * ny * nz);
    for (let i = 0; i < a.length; i++) a[i] = rng.uniform() * 2 - 1;
    // One separable 3-tap box blur per axis (edge-normalised) removes the lattice's blockiness.
    const strides = [1, nx, nx * ny];
    const sizes = [nx, ny, nz];
    for (let axis = 0; axis < 3; axis++) {
      const b = new Float32Array(a.length);
      const st = strides[axis];
      const n = sizes[axis];
      for (let idx = 0; idx < a.length; idx++) {
        const c = Math.floor(idx / st) % n;
        let s = a[idx];
        let cnt = 1;
        if (c > 0) {
          s += a[idx - st];
          cnt++;
        }
        if (c < n - 1) {
          s += a[idx + st];
          cnt++;
        }
        b[idx] = s / cnt;
      }
      a = b;
    }
    const out = a;
    let ss = 0;
    for (let i = 0; i < out.length; i++) ss += out[i] * out[i];
    const sd = Math.sqrt(ss / out.length) || 1;
    for (let i = 0; i < out.length; i++) out[i] /= sd;
    this.values = out;
  }

  /** A field covering [lo, hi] (mm, per axis) with a one-node margin. */
  static covering(lo: [number, number, number], hi: [number, number, number], spacing: number, rng: Rng): LatticeField {
    const origin: [number, number, number] = [lo[0] - spacing, lo[1] - spacing, lo[2] - spacing];
    const dims = [0, 1, 2].map((a) => Math.ceil((hi[a] - lo[a]) / spacing) + 3) as [number, number, number];
    return new LatticeField(origin, spacing, dims, rng);
  }

  /** Per-axis lookup for coordinates `coords` along `axis`: base index and faded fraction (clamped to the lattice). */
  axisTable(axis: 0 | 1 | 2, coords: ArrayLike<number>): { idx: Int32Array; frac: Float32Array } {
    const n = coords.length;
    const idx = new Int32Array(n);
    const frac = new Float32Array(n);
    const max = this.dims[axis] - 2;
    for (let i = 0; i < n; i++) {
      let g = (coords[i] - this.origin[axis]) / this.spacing;
      if (g < 0) g = 0;
      if (g > max + 0.999) g = max + 0.999;
      const i0 = Math.floor(g);
      const f = g - i0;
      idx[i] = i0;
      frac[i] = f * f * (3 - 2 * f);
    }
    return { idx, frac };
  }

  at(ix: number, fx: number, iy: number, fy: number, iz: number, fz: number): number {
    const nx = this.dims[0];
    const nxy = nx * this.dims[1];
    const v = this.values;
    const o = ix + nx * iy + nxy * iz;
    const c00 = v[o] + fx * (v[o + 1] - v[o]);
    const c10 = v[o + nx] + fx * (v[o + nx + 1] - v[o + nx]);
    const c01 = v[o + nxy] + fx * (v[o + nxy + 1] - v[o + nxy]);
    const c11 = v[o + nxy + nx] + fx * (v[o + nxy + nx + 1] - v[o + nxy + nx]);
    const c0 = c00 + fy * (c10 - c00);
    const c1 = c01 + fy * (c11 - c01);
    return c0 + fz * (c1 - c0);
  }

  /** Direct evaluation at a point (slower; for tests and one-off queries). */
  sample(x: number, y: number, z: number): number {
    const tx = this.axisTable(0, [x]);
    const ty = this.axisTable(1, [y]);
    const tz = this.axisTable(2, [z]);
    return this.at(tx.idx[0], tx.frac[0], ty.idx[0], ty.frac[0], tz.idx[0], tz.frac[0]);
  }
}
