/**
 * Foreground / background competition for the few-click case: each voxel of the block goes to the seed set it is
 * geodesically closer to, the path cost of a step being its length (mm) times (1 + |intensity step| / contrastScale).
 * A path that crosses an intensity edge pays for it, so an alt-click in a neighbouring structure of the lesion's own
 * intensity (muscle beside a sarcoma, a vessel beside an enhancing mass) claims that structure up to the edge between
 * them (the thin fat plane), not just the half-space on its side as a Euclidean Voronoi cut would. This is the
 * geodesic form of grow-cut (Vezhnevets & Konouchine 2005; Criminisi et al., GeoS 2008), solved exactly by one
 * multi-source Dijkstra over the 6-connected block. Browser-safe.
 */
import type { Vec3 } from "../volume";

/**
 * 1 where a foreground seed is geodesically at least as close as every background seed. `f` is the block's intensity
 * (already signed for polarity), seeds are block indices.
 */
export function geodesicForegroundSide(
  f: Float32Array,
  dims: Vec3,
  spacing: Vec3,
  fgSeeds: number[],
  bgSeeds: number[],
  contrastScale: number,
): Uint8Array {
  const n = f.length;
  const [nx, ny, nz] = dims;
  const nxy = nx * ny;
  const dist = new Float32Array(n).fill(Infinity);
  const label = new Uint8Array(n); // 0 unreached, 1 foreground, 2 background
  const done = new Uint8Array(n);
  const heap = new MinHeap(n);
  const inv = 1 / Math.max(contrastScale, 1e-6);
  for (const s of bgSeeds) {
    dist[s] = 0;
    label[s] = 2;
    heap.push(s, 0);
  }
  // Foreground last: a voxel clicked both ways is foreground (the latest intent cannot be known here).
  for (const s of fgSeeds) {
    dist[s] = 0;
    label[s] = 1;
    heap.push(s, 0);
  }
  const relax = (p: number, q: number, step: number) => {
    if (done[q]) return;
    const d = dist[p] + step * (1 + Math.abs(f[q] - f[p]) * inv);
    if (d < dist[q]) {
      dist[q] = d;
      label[q] = label[p];
      heap.push(q, d);
    }
  };
  while (heap.size > 0) {
    const p = heap.pop();
    if (done[p]) continue;
    done[p] = 1;
    const x = p % nx,
      y = ((p / nx) | 0) % ny,
      z = (p / nxy) | 0;
    if (x > 0) relax(p, p - 1, spacing[0]);
    if (x < nx - 1) relax(p, p + 1, spacing[0]);
    if (y > 0) relax(p, p - nx, spacing[1]);
    if (y < ny - 1) relax(p, p + nx, spacing[1]);
    if (z > 0) relax(p, p - nxy, spacing[2]);
    if (z < nz - 1) relax(p, p + nxy, spacing[2]);
  }
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) out[p] = label[p] === 1 ? 1 : 0;
  return out;
}

/** Binary min-heap of (index, key) with lazy deletion (stale entries are skipped by the caller's `done`). */
class MinHeap {
  private idx: Int32Array;
  private key: Float32Array;
  size = 0;
  constructor(capacity: number) {
    this.idx = new Int32Array(Math.max(16, capacity));
    this.key = new Float32Array(Math.max(16, capacity));
  }

  push(i: number, k: number): void {
    if (this.size === this.idx.length) {
      const idx = new Int32Array(this.size * 2),
        key = new Float32Array(this.size * 2);
      idx.set(this.idx);
      key.set(this.key);
      this.idx = idx;
      this.key = key;
    }
    let c = this.size++;
    while (c > 0) {
      const parent = (c - 1) >> 1;
      if (this.key[parent] <= k) break;
      this.idx[c] = this.idx[parent];
      this.key[c] = this.key[parent];
      c = parent;
    }
    this.idx[c] = i;
    this.key[c] = k;
  }

  pop(): number {
    const top = this.idx[0];
    const lastI = this.idx[--this.size],
      lastK = this.key[this.size];
    let c = 0;
    for (;;) {
      let m = 2 * c + 1;
      if (m >= this.size) break;
      if (m + 1 < this.size && this.key[m + 1] < this.key[m]) m++;
      if (this.key[m] >= lastK) break;
      this.idx[c] = this.idx[m];
      this.key[c] = this.key[m];
      c = m;
    }
    this.idx[c] = lastI;
    this.key[c] = lastK;
    return top;
  }
}
