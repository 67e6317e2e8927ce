/**
 * Binary-volume operations of the assisted segmentation on a cropped block (0/1 Uint8Array, x fastest): 6-connected
 * flood fill, hole filling (3D, then per slice), shells, and the opening-by-reconstruction that cuts thin bridges.
 */
import { squaredEdt } from "../distance-transform";
import { maskBoundingBox } from "../mask-bbox";
import type { Vec3 } from "../volume";

/** Reusable scratch space for breadth-first searches on one block. */
export class FloodScratch {
  readonly queue: Int32Array;
  readonly stamp: Uint32Array;
  private current = 0;
  constructor(readonly dims: Vec3) {
    const n = dims[0] * dims[1] * dims[2];
    this.queue = new Int32Array(n);
    this.stamp = new Uint32Array(n);
  }
  /** A fresh visit mark: stamp[i] === mark means visited in this search. */
  nextMark(): number {
    if (++this.current === 0xffffffff) {
      this.stamp.fill(0);
      this.current = 1;
    }
    return this.current;
  }
}

/** Calls visit(p, q) for each in-block 6-neighbour q of p. */
export function forEachNeighbour(p: number, dims: Vec3, visit: (q: number) => void): void {
  const [nx, ny, nz] = dims;
  const nxy = nx * ny;
  const x = p % nx,
    y = ((p / nx) | 0) % ny,
    z = (p / nxy) | 0;
  if (x > 0) visit(p - 1);
  if (x < nx - 1) visit(p + 1);
  if (y > 0) visit(p - nx);
  if (y < ny - 1) visit(p + nx);
  if (z > 0) visit(p - nxy);
  if (z < nz - 1) visit(p + nxy);
}

export function onBlockBorder(p: number, dims: Vec3): boolean {
  const [nx, ny, nz] = dims;
  const x = p % nx,
    y = ((p / nx) | 0) % ny,
    z = (p / (nx * ny)) | 0;
  return x === 0 || y === 0 || x === nx - 1 || y === ny - 1 || (nz > 1 && (z === 0 || z === nz - 1));
}

/** Sets to 1 the background voxels not 6-connected to the block border (enclosed cavities, e.g. a necrotic core). */
export function fillHoles3d(bin: Uint8Array, dims: Vec3): void {
  const mark = 1;
  const queue = new Int32Array(bin.length);
  const stamp = new Uint8Array(bin.length);
  let head = 0,
    tail = 0;
  for (let p = 0; p < bin.length; p++) {
    if (!bin[p] && onBlockBorder(p, dims)) {
      stamp[p] = mark;
      queue[tail++] = p;
    }
  }
  const push = (q: number) => {
    if (!bin[q] && stamp[q] !== mark) {
      stamp[q] = mark;
      queue[tail++] = q;
    }
  };
  while (head < tail) forEachNeighbour(queue[head++], dims, push);
  for (let p = 0; p < bin.length; p++) if (!bin[p] && stamp[p] !== mark) bin[p] = 1;
}

/** Hole filling in every slice (k constant), 4-connected: closes cavities that open to the outside only through-plane. */
export function fillHolesPerSlice(bin: Uint8Array, dims: Vec3): void {
  const [nx, ny, nz] = dims;
  const nxy = nx * ny;
  const seen = new Uint8Array(nxy);
  const queue = new Int32Array(nxy);
  for (let k = 0; k < nz; k++) {
    const off = k * nxy;
    seen.fill(0);
    let head = 0,
      tail = 0;
    const push = (q: number) => {
      if (!seen[q] && !bin[off + q]) {
        seen[q] = 1;
        queue[tail++] = q;
      }
    };
    for (let x = 0; x < nx; x++) {
      push(x);
      push(x + (ny - 1) * nx);
    }
    for (let y = 0; y < ny; y++) {
      push(y * nx);
      push(y * nx + nx - 1);
    }
    while (head < tail) {
      const q = queue[head++];
      const x = q % nx,
        y = (q / nx) | 0;
      if (x > 0) push(q - 1);
      if (x < nx - 1) push(q + 1);
      if (y > 0) push(q - nx);
      if (y < ny - 1) push(q + nx);
    }
    for (let q = 0; q < nxy; q++) if (!bin[off + q] && !seen[q]) bin[off + q] = 1;
  }
}

/**
 * Fills cavities whose opening is narrower than about 2 x radiusMm: dilate by the ball, fill enclosed holes, erode by
 * the same ball, and add what that closes to the region. A necrotic core that reaches the surface only between two
 * slices (its enhancing cap thinner than the slice spacing) is sealed this way; concavities of the outline itself
 * are left as they were unless narrower than the ball. The block must have a margin of radiusMm around the region.
 */
export function fillNarrowOpenings(bin: Uint8Array, dims: Vec3, spacing: Vec3, radiusMm: number): void {
  const r2 = radiusMm * radiusMm;
  const dIn = squaredEdt(bin, dims, spacing);
  const closed = new Uint8Array(bin.length);
  for (let p = 0; p < bin.length; p++) closed[p] = dIn[p] <= r2 ? 1 : 0;
  fillHoles3d(closed, dims);
  for (let p = 0; p < bin.length; p++) closed[p] = closed[p] ? 0 : 1;
  const dOut = squaredEdt(closed, dims, spacing);
  for (let p = 0; p < bin.length; p++) if (dOut[p] > r2) bin[p] = 1;
}

/**
 * Runs `fn` on the bounding box of `bin` grown by `margin` voxels (clipped to the block), writing the result back:
 * hole filling and the bridge cut only ever look near the region, not at the whole search block.
 */
export function onRegionBox(
  bin: Uint8Array,
  dims: Vec3,
  margin: number,
  fn: (sub: Uint8Array, subDims: Vec3, lo: Vec3) => void,
): void {
  const [nx, ny] = dims;
  const box = maskBoundingBox({ data: bin, dims });
  if (!box) return;
  const { lo, hi } = box;
  for (let a = 0; a < 3; a++) {
    lo[a] = Math.max(0, lo[a] - margin);
    hi[a] = Math.min(dims[a] - 1, hi[a] + margin);
  }
  const sd: Vec3 = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const sub = new Uint8Array(sd[0] * sd[1] * sd[2]);
  for (let z = 0, q = 0; z < sd[2]; z++)
    for (let y = 0; y < sd[1]; y++, q += sd[0]) {
      const row = lo[0] + nx * (y + lo[1] + ny * (z + lo[2]));
      sub.set(bin.subarray(row, row + sd[0]), q);
    }
  fn(sub, sd, lo);
  for (let z = 0, q = 0; z < sd[2]; z++)
    for (let y = 0; y < sd[1]; y++, q += sd[0]) {
      bin.set(sub.subarray(q, q + sd[0]), lo[0] + nx * (y + lo[1] + ny * (z + lo[2])));
    }
}

/** Voxels outside `bin` within `layers` 6-connected steps of it. */
export function outerShell(bin: Uint8Array, dims: Vec3, layers: number): number[] {
  let front: number[] = [];
  const seen = new Uint8Array(bin.length);
  for (let p = 0; p < bin.length; p++) if (bin[p]) seen[p] = 1;
  for (let p = 0; p < bin.length; p++) if (bin[p]) front.push(p);
  const shell: number[] = [];
  for (let l = 0; l < layers; l++) {
    const next: number[] = [];
    for (const p of front) {
      forEachNeighbour(p, dims, (q) => {
        if (!seen[q]) {
          seen[q] = 1;
          next.push(q);
          shell.push(q);
        }
      });
    }
    front = next;
  }
  return shell;
}

/**
 * Opening by reconstruction around the seeds: erode by a ball of `radiusMm`, keep the eroded components that hold a
 * seed (or the one nearest to each seed), dilate them back by the same ball and intersect with the input. Thin
 * bridges (a vessel or duct the threshold leaked along) are cut; the kept body's own boundary is unchanged.
 * Returns false (input untouched) when the erosion leaves a single piece, i.e. when there is nothing to cut.
 */
export function cutThinBridges(bin: Uint8Array, dims: Vec3, spacing: Vec3, seeds: Vec3[], radiusMm: number): boolean {
  const r2 = radiusMm * radiusMm;
  const background = new Uint8Array(bin.length);
  for (let p = 0; p < bin.length; p++) background[p] = bin[p] ? 0 : 1;
  const dOut = squaredEdt(background, dims, spacing);
  const eroded = new Uint8Array(bin.length);
  let any = false;
  for (let p = 0; p < bin.length; p++) {
    // Block borders count as outside, so that a leak reaching the border is eroded like any other boundary.
    if (bin[p] && dOut[p] > r2 && !onBlockBorder(p, dims)) {
      eroded[p] = 1;
      any = true;
    }
  }
  if (!any) return false;
  // Label eroded components and find those containing or nearest to each seed.
  const label = new Int32Array(bin.length);
  let count = 0;
  const queue = new Int32Array(bin.length);
  for (let s = 0; s < eroded.length; s++) {
    if (!eroded[s] || label[s]) continue;
    count++;
    let head = 0,
      tail = 0;
    queue[tail++] = s;
    label[s] = count;
    while (head < tail) {
      forEachNeighbour(queue[head++], dims, (q) => {
        if (eroded[q] && !label[q]) {
          label[q] = count;
          queue[tail++] = q;
        }
      });
    }
  }
  if (count <= 1) return false;
  const keep = new Set<number>();
  const [nx, ny] = dims;
  for (const [sx, sy, sz] of seeds) {
    const inBlock = sx >= 0 && sy >= 0 && sz >= 0 && sx < nx && sy < ny && sz < dims[2];
    const s = sx + nx * (sy + ny * sz);
    if (inBlock && label[s]) {
      keep.add(label[s]);
      continue;
    }
    let best = Infinity,
      bestLabel = 0;
    for (let p = 0; p < label.length; p++) {
      if (!label[p]) continue;
      const dx = (p % nx) - sx,
        dy = (((p / nx) | 0) % ny) - sy,
        dz = ((p / (nx * ny)) | 0) - sz;
      const d = (dx * spacing[0]) ** 2 + (dy * spacing[1]) ** 2 + (dz * spacing[2]) ** 2;
      if (d < best) {
        best = d;
        bestLabel = label[p];
      }
    }
    if (bestLabel) keep.add(bestLabel);
  }
  const kept = new Uint8Array(bin.length);
  for (let p = 0; p < bin.length; p++) kept[p] = keep.has(label[p]) ? 1 : 0;
  const dKept = squaredEdt(kept, dims, spacing);
  // Dilating back by a slightly larger ball than the erosion restores the body's corners lost to voxel discreteness.
  const back = (radiusMm + 0.5 * Math.min(...spacing)) ** 2;
  for (let p = 0; p < bin.length; p++) bin[p] = bin[p] && dKept[p] <= back ? 1 : 0;
  return true;
}
