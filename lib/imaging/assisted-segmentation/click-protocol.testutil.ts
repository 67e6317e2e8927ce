/**
 * The deterministic click protocol of the accuracy tests (and `bench/assisted-segmentation`): a user who clicks the
 * lesion centre, then corrects the largest error. Click 1 is the reference-mask voxel deepest inside the lesion
 * (largest distance to its boundary; the centre of mass can fall outside a non-convex lesion). Each further click
 * goes to the deepest voxel of the larger error set: a foreground seed where the result misses the most lesion,
 * a background seed where it covers the most non-lesion.
 */
import { squaredEdt } from "../distance-transform";
import { maskBoundingBox } from "../mask-bbox";
import type { Mask, Vec3, Volume } from "../volume";
import type { TumourSeeds } from "./grow-tumour-mask";

export function dice(a: Uint8Array, b: Uint8Array): number {
  let inter = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ? 1 : 0,
      y = b[i] ? 1 : 0;
    na += x;
    nb += y;
    inter += x & y;
  }
  return na + nb === 0 ? 1 : (2 * inter) / (na + nb);
}

/** The voxel of `bin` farthest (mm) from any voxel outside it, searched in its bounding box plus a margin. */
export function deepestVoxel(bin: Uint8Array, g: Pick<Volume, "dims" | "spacing">): Vec3 | null {
  const box = maskBoundingBox({ data: bin, dims: g.dims });
  if (!box) return null;
  const lo = box.lo.map((l) => Math.max(0, l - 1)) as Vec3;
  const hi = box.hi.map((h, a) => Math.min(g.dims[a] - 1, h + 1)) as Vec3;
  const size = [0, 1, 2].map((a) => hi[a] - lo[a] + 1) as Vec3;
  const [nx, ny] = g.dims;
  const outside = new Uint8Array(size[0] * size[1] * size[2]);
  for (let z = 0, p = 0; z < size[2]; z++)
    for (let y = 0; y < size[1]; y++)
      for (let x = 0; x < size[0]; x++, p++) {
        const onEdge = x === 0 || y === 0 || z === 0 || x === size[0] - 1 || y === size[1] - 1 || z === size[2] - 1;
        outside[p] = !bin[x + lo[0] + nx * (y + lo[1] + ny * (z + lo[2]))] || (onEdge && !(size[2] === 1)) ? 1 : 0;
      }
  const d = squaredEdt(outside, size, g.spacing);
  let best = -1,
    at: Vec3 | null = null;
  for (let z = 0, p = 0; z < size[2]; z++)
    for (let y = 0; y < size[1]; y++)
      for (let x = 0; x < size[0]; x++, p++) {
        if (!outside[p] && d[p] > best) {
          best = d[p];
          at = [x + lo[0], y + lo[1], z + lo[2]];
        }
      }
  // A one-voxel-thick set has no voxel away from the block edge: fall back to its first voxel.
  if (!at) {
    const i = bin.findIndex((v) => v !== 0);
    at = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
  }
  return at;
}

export interface ClickRun {
  seeds: TumourSeeds;
  /** Dice after each click. */
  dice: number[];
  mask: Mask;
}

/** Runs up to maxClicks of the protocol; stops early once Dice reaches `target`. */
export function runClickProtocol(
  volume: Volume,
  reference: Mask,
  segment: (seeds: TumourSeeds) => Mask,
  maxClicks: number,
  target = 1,
): ClickRun {
  const first = deepestVoxel(reference.data, reference);
  if (!first) throw new Error("empty reference mask");
  const seeds: TumourSeeds = { foreground: [first], background: [] };
  const scores: number[] = [];
  let mask = segment(seeds);
  scores.push(dice(mask.data, reference.data));
  while (scores.length < maxClicks && scores[scores.length - 1] < target) {
    const fn = new Uint8Array(mask.data.length),
      fp = new Uint8Array(mask.data.length);
    let nFn = 0,
      nFp = 0;
    for (let i = 0; i < fn.length; i++) {
      if (reference.data[i] && !mask.data[i]) {
        fn[i] = 1;
        nFn++;
      } else if (!reference.data[i] && mask.data[i]) {
        fp[i] = 1;
        nFp++;
      }
    }
    const click = deepestVoxel(nFn >= nFp ? fn : fp, volume);
    if (!click) break;
    (nFn >= nFp ? seeds.foreground : seeds.background!).push(click);
    mask = segment(seeds);
    scores.push(dice(mask.data, reference.data));
  }
  return { seeds, dice: scores, mask };
}
