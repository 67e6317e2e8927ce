/**
 * Assisted 3D tumour segmentation from one click (plus optional extra foreground / background clicks): seeded
 * region growing with a threshold estimated around the seeds, hole filling and a bridge cut. Browser-safe (no Node
 * APIs): the viewer's one-click tool and `nac roi grow` call the same function.
 *
 * Why not Cornerstone3D's grow-cut (tools/utilities/segmentation/growCut, used by its RegionSegment and
 * ClickSegment tools): it runs as a WebGPU compute shader on Cornerstone cache volumes, so it cannot run in Node (CLI,
 * tests, batch) nor in browsers without WebGPU (our headless Chromium). The algorithm here is documented in
 * docs/ASSISTED_SEGMENTATION.md; in short:
 *  1. Work in a block of `searchRadiusMm` around the seeds; a face is moved out x2 (up to maxRadiusMm) when the lesion
 *     touches it, or when the result leaves the click out and the region at the click's own level reaches that face
 *     (a lesion wider than the block: the scan's "leak" was the block's cut).
 *  2. Threshold scan: grow 6-connected regions {f >= T} from the seeds for 24 levels T from the block's 99.8th
 *     down to 2nd percentile (f = intensity, negated for dark lesions, whose window is also closed on the far side);
 *     a seed below T starts from the nearest voxel >= T (a click in a necrotic core starts in its enhancing rim). A
 *     region reaching the block border or a third of the block has leaked; the lowest level that has not is kept.
 *  3. Refine T to the midpoint between the lesion level (median inside) and the background level (median of a
 *     2-voxel shell outside): the half-contrast boundary, where partial volume puts the true edge.
 *  4. Fill cavities (3D, then per slice: necrosis, non-enhancing centre), then cut thin bridges by an opening by
 *     reconstruction (ball bridgeCutMm) keeping the pieces holding the seeds.
 * Background seeds compete geodesically with the foreground seeds (geodesic-split.ts: the cut follows intensity
 * edges); when the scan leaks at once (lesion touching tissue of its own intensity) the block faces do too.
 */
import { NacError } from "../../errors";
import { makeVolume, type Mask, type Vec3, type Volume } from "../volume";
import { geodesicForegroundSide } from "./geodesic-split";
import {
  cutThinBridges,
  fillHoles3d,
  fillHolesPerSlice,
  fillNarrowOpenings,
  FloodScratch,
  forEachNeighbour,
  onRegionBox,
  outerShell,
} from "./binary-ops";

/** "bright": the lesion is brighter than its surroundings (enhancing on CE-T1, subtraction, PE maps, contrast CT). */
export type LesionPolarity = "bright" | "dark";

export interface TumourSeeds {
  /** Voxel indices (i, j, k) inside the lesion; the first is the click. Fractional indices are rounded. */
  foreground: Vec3[];
  /** Voxel indices just outside the lesion (alt-click). */
  background?: Vec3[];
}

export interface GrowTumourMaskOptions {
  /** Default "bright". */
  polarity?: LesionPolarity;
  /** Largest distance (mm) of the lesion from the seeds. Default 60. */
  maxRadiusMm?: number;
  /** Ball radius (mm) of the bridge cut; 0 turns it off. Default 1.5. */
  bridgeCutMm?: number;
}

export interface GrowTumourMaskResult {
  /** 1 = lesion, on the volume's grid. */
  mask: Mask;
  voxelCount: number;
  /** Chosen intensity threshold (image units): lesion >= threshold when bright, <= when dark. */
  threshold: number;
  /** Median intensity inside and in the shell just outside the lesion (image units). */
  lesionLevel: number;
  backgroundLevel: number;
  polarity: LesionPolarity;
  /** Radius (mm) of the block that was searched. */
  searchRadiusMm: number;
}

const SCAN_LEVELS = 24;
/** A scan that leaks within its first levels found no threshold separating the lesion (see segmentInBlock). */
const EARLY_LEAK_LEVELS = 6;
/** Intensity step (as a fraction 1/CONTRAST_STEPS of the block's 2nd-98th percentile range) that costs 1 mm of path. */
const CONTRAST_STEPS = 40;
const FIRST_RADIUS_MM = 30;
const MAX_RADIUS_MM = 60;
const LEAK_FRACTION = 1 / 3;
const MIN_REGION_VOXELS = 8;
/** Farthest (mm) a seed below the threshold looks for a voxel above it (necrotic cores reach ~25 mm radius). */
const START_SEARCH_MM = 25;
/** Openings of cavities narrower than ~2x this (mm) are sealed before filling (at least 1.1 slice spacings). */
const SEAL_MM = 2;

export function growTumourMask(
  volume: Volume,
  seeds: TumourSeeds,
  options: GrowTumourMaskOptions = {},
): GrowTumourMaskResult {
  const polarity = options.polarity ?? "bright";
  const maxRadius = options.maxRadiusMm ?? MAX_RADIUS_MM;
  const bridgeCutMm = options.bridgeCutMm ?? 1.5;
  if (!(maxRadius > 0) || !(bridgeCutMm >= 0))
    throw new NacError("BAD_REQUEST", "maxRadiusMm must be > 0 and bridgeCutMm >= 0");
  const fg = checkSeeds(volume, seeds.foreground, "foreground");
  const bg = checkSeeds(volume, seeds.background ?? [], "background");
  if (fg.length === 0) throw new NacError("BAD_REQUEST", "at least one foreground seed is needed");
  // Per face of the block (x-, x+, y-, y+, z-, z+): its distance (mm) from the seeds' bounding box.
  let radii = new Array<number>(6).fill(Math.min(FIRST_RADIUS_MM, maxRadius));
  for (;;) {
    const r = segmentInBlock(volume, fg, bg, polarity, radii, bridgeCutMm);
    const grow = r.extendFaces.map((e, face) => e && radii[face] < maxRadius);
    if (!grow.some(Boolean)) {
      const mask = makeVolume(new Uint8Array(volume.data.length), volume) as Mask;
      const [bx, by] = r.block.size;
      const [nx, ny] = volume.dims;
      let count = 0;
      for (let p = 0; p < r.region.length; p++) {
        if (!r.region[p]) continue;
        const x = p % bx,
          y = ((p / bx) | 0) % by,
          z = (p / (bx * by)) | 0;
        mask.data[x + r.block.lo[0] + nx * (y + r.block.lo[1] + ny * (z + r.block.lo[2]))] = 1;
        count++;
      }
      const s = polarity === "bright" ? 1 : -1;
      return {
        mask,
        voxelCount: count,
        threshold: s * r.threshold,
        lesionLevel: s * r.lesionLevel,
        backgroundLevel: s * r.backgroundLevel,
        polarity,
        searchRadiusMm: Math.max(...radii),
      };
    }
    radii = radii.map((x, face) => (grow[face] ? Math.min(maxRadius, 2 * x) : x));
  }
}

function checkSeeds(volume: Pick<Volume, "dims">, seeds: Vec3[], what: string): Vec3[] {
  return seeds.map((s) => {
    const r = s.map((c) => Math.round(c)) as Vec3;
    if (s.length !== 3 || r.some((c, a) => !Number.isFinite(c) || c < 0 || c >= volume.dims[a])) {
      throw new NacError(
        "BAD_REQUEST",
        `${what} seed (${s.join(", ")}) is outside the image (${volume.dims.join(" x ")} voxels)`,
      );
    }
    return r;
  });
}

interface Block {
  lo: Vec3;
  size: Vec3;
  /** Per face (x-, x+, y-, y+, z-, z+): true when the face is inside the volume (not the volume's own border). */
  innerFace: boolean[];
}

/**
 * The box (inclusive voxel indices) of the image that growTumourMask reads for these seeds: its largest block around the
 * foreground seeds (every face at maxRadiusMm), one voxel wider (so that each block face keeps its inner / image-border status) and holding the
 * background seeds. growTumourMask on this box alone gives the same mask as on the whole image (shifted, none outside),
 * so a caller that assembles the image slice by slice (the viewer, from its cached slices) reads only this box.
 */
export function growTumourMaskInputBox(
  geometry: Pick<Volume, "dims" | "spacing">,
  seeds: TumourSeeds,
  options: Pick<GrowTumourMaskOptions, "maxRadiusMm"> = {},
): { lo: Vec3; hi: Vec3 } {
  const fg = checkSeeds(geometry, seeds.foreground, "foreground");
  const bg = checkSeeds(geometry, seeds.background ?? [], "background");
  if (fg.length === 0) throw new NacError("BAD_REQUEST", "at least one foreground seed is needed");
  const block = blockAround(geometry, fg, new Array<number>(6).fill(options.maxRadiusMm ?? MAX_RADIUS_MM));
  const lo = [0, 1, 2].map((a) => Math.max(0, Math.min(block.lo[a] - 1, ...bg.map((s) => s[a])))) as Vec3;
  const hi = [0, 1, 2].map((a) =>
    Math.min(geometry.dims[a] - 1, Math.max(block.lo[a] + block.size[a], ...bg.map((s) => s[a]))),
  ) as Vec3;
  return { lo, hi };
}

function blockAround(volume: Pick<Volume, "dims" | "spacing">, fg: Vec3[], radii: number[]): Block {
  const lo = [0, 0, 0] as Vec3,
    size = [0, 0, 0] as Vec3;
  const innerFace: boolean[] = [];
  for (let a = 0; a < 3; a++) {
    const cs = fg.map((s) => s[a]);
    const l = Math.max(0, Math.min(...cs) - Math.ceil(radii[2 * a] / volume.spacing[a])),
      h = Math.min(volume.dims[a] - 1, Math.max(...cs) + Math.ceil(radii[2 * a + 1] / volume.spacing[a]));
    lo[a] = l;
    size[a] = h - l + 1;
    innerFace.push(l > 0, h < volume.dims[a] - 1);
  }
  return { lo, size, innerFace };
}

interface BlockResult {
  block: Block;
  region: Uint8Array;
  threshold: number;
  lesionLevel: number;
  backgroundLevel: number;
  /** Per face: the lesion continues beyond it, search again with the block grown there. */
  extendFaces: boolean[];
}

function segmentInBlock(
  volume: Volume,
  fgSeeds: Vec3[],
  bgSeeds: Vec3[],
  polarity: LesionPolarity,
  radii: number[],
  bridgeCutMm: number,
): BlockResult {
  const block = blockAround(volume, fgSeeds, radii);
  const dims = block.size;
  const [bx, by, bz] = dims;
  const n = bx * by * bz;
  const [nx, ny] = volume.dims;
  const sign = polarity === "bright" ? 1 : -1;
  const f = new Float32Array(n);
  for (let z = 0, p = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      const row = block.lo[0] + nx * (y + block.lo[1] + ny * (z + block.lo[2]));
      for (let x = 0; x < bx; x++, p++) f[p] = sign * volume.data[row + x];
    }
  }
  const toBlock = (s: Vec3) => s[0] - block.lo[0] + bx * (s[1] - block.lo[1] + by * (s[2] - block.lo[2]));
  const seedIdx = fgSeeds.map(toBlock);
  const sorted = sample(f);
  const q = (fr: number) => sorted[Math.min(sorted.length - 1, Math.floor(fr * (sorted.length - 1)))];
  const lo = q(0.02);
  const contrastScale = (q(0.98) - lo) / CONTRAST_STEPS;
  let allowed = bgSeeds.length ? backgroundCut(f, block, volume.spacing, fgSeeds, bgSeeds, contrastScale, false) : null;
  const scratch = new FloodScratch(dims);
  let grower = new Grower(f, dims, volume.spacing, seedIdx, allowed, scratch);
  // Bright lesions: scan down from the block's brightest; the window is open upwards (enhancement is heterogeneous
  // upwards: rim, vessels inside the lesion). Dark lesions: scan down (in f = -intensity) from the seed level with a
  // window symmetric about it, so that signal voids darker than the lesion (air, cortical bone) stay out.
  const seedLevel = seedNeighbourhoodLevel(
    f,
    dims,
    volume.spacing,
    fgSeeds.map((s) => [0, 1, 2].map((a) => s[a] - block.lo[a]) as Vec3),
  );
  const hi = polarity === "bright" ? q(0.998) : seedLevel;
  const upperFor = (t: number) => (polarity === "bright" ? Infinity : seedLevel + (seedLevel - t));
  const levels: number[] = [];
  const volumes: number[] = [];
  let leakLimit = Math.floor(n * LEAK_FRACTION);
  const regionAt = (t: number, out: Uint8Array | null) => grower.grow(t, upperFor(t), leakLimit, out ?? undefined);
  for (let i = 0; i < SCAN_LEVELS; i++) {
    const t = hi - ((hi - lo) * i) / (SCAN_LEVELS - 1);
    const g = regionAt(t, null);
    levels.push(t);
    volumes.push(g.leaked ? Infinity : g.count);
    if (g.leaked) break;
  }
  const best = pickLevel(volumes);
  let threshold = levels[best];
  const leakedEarly = !Number.isFinite(volumes[volumes.length - 1]) && volumes.length <= EARLY_LEAK_LEVELS;
  if (leakedEarly) {
    // The lesion touches a structure of its own intensity (a sarcoma against muscle, enhancing parenchyma): no
    // threshold separates them. Let the block's faces compete as background seeds (geodesic-split.ts): the lesion is
    // what lies geodesically closer to the clicks than to the block's border, and the threshold is refined from the
    // whole of that cell down to half contrast.
    allowed = backgroundCut(f, block, volume.spacing, fgSeeds, bgSeeds, contrastScale, true);
    grower = new Grower(f, dims, volume.spacing, seedIdx, allowed, scratch);
    leakLimit = n;
    threshold = lo;
  }
  let levelsInOut = measureLevels(grower, threshold, regionAt);
  // Midpoint refinement: the half-contrast level between the lesion and what surrounds it.
  for (let it = 0; it < 3 && levelsInOut; it++) {
    const mid = (levelsInOut.inside + levelsInOut.outside) / 2;
    const next = measureLevels(grower, mid, regionAt);
    if (!next || Math.abs(mid - threshold) < 1e-6) break;
    threshold = mid;
    levelsInOut = next;
  }
  const region = new Uint8Array(n);
  grower.grow(threshold, upperFor(threshold), n, region);
  const sealMm = Math.max(SEAL_MM, 1.1 * Math.max(...volume.spacing));
  const margin = Math.ceil(sealMm / Math.min(...volume.spacing)) + 1;
  onRegionBox(region, dims, margin, (sub, subDims, lo) => {
    fillHoles3d(sub, subDims);
    fillHolesPerSlice(sub, subDims);
    fillNarrowOpenings(sub, subDims, volume.spacing, sealMm);
    if (bridgeCutMm > 0) {
      const seedsInBox = fgSeeds.map((s) => [0, 1, 2].map((a) => s[a] - block.lo[a] - lo[a]) as Vec3);
      cutThinBridges(sub, subDims, volume.spacing, seedsInBox, bridgeCutMm);
    }
  });
  if (allowed) for (let p = 0; p < n; p++) if (!allowed[p]) region[p] = 0;
  // With the faces as background seeds the region stops one voxel short of them.
  const touching = touchesInnerFace(region, block, leakedEarly ? 1 : 0);
  // The clicked voxel is in the lesion. A result that leaves it out (cavities filled) kept a spot brighter than the
  // click because every level down to the click's own leaked. Where the region at the click's level reaches inner
  // faces, that "leak" is the block cutting through a lesion wider than the block: search again with those faces
  // moved out. (Moving the faces on any inner-face leak broke small tumours: in a larger block their leak into the
  // surrounding tissue no longer reaches the border, so the scan kept a lower level.)
  const clickLeftOut = !leakedEarly && seedIdx.some((p) => !region[p]);
  let extendFaces = new Array<boolean>(6).fill(false);
  if (touching) extendFaces = block.innerFace.slice();
  else if (clickLeftOut) {
    const atClick = new Uint8Array(n);
    grower.grow(seedLevel, upperFor(seedLevel), n, atClick);
    extendFaces = facesReached(atClick, dims).map((reached, face) => reached && block.innerFace[face]);
  }
  return {
    block,
    region,
    threshold,
    lesionLevel: levelsInOut?.inside ?? threshold,
    backgroundLevel: levelsInOut?.outside ?? threshold,
    extendFaces,
  };
}

/**
 * The scan level to refine from: the lowest that did not leak. (The "maximally stable" level, least relative volume
 * change, was tried and picked the bright rim of heterogeneous lesions: 4 of 24 synthetic tumours below Dice 0.9.)
 */
function pickLevel(volumes: number[]): number {
  return Math.max(
    0,
    volumes.findLastIndex((v) => Number.isFinite(v) && v >= MIN_REGION_VOXELS),
  );
}

/** Median of f inside the grown region (cavities filled) and in a 2-voxel shell outside it; null when it leaks. */
function measureLevels(
  grower: Grower,
  t: number,
  regionAt: (t: number, out: Uint8Array) => { count: number; leaked: boolean },
): { inside: number; outside: number } | null {
  const n = grower.f.length;
  const region = new Uint8Array(n);
  const g = regionAt(t, region);
  if (g.leaked || g.count === 0) return null;
  const inside: number[] = [];
  for (let p = 0; p < n; p++) if (region[p]) inside.push(grower.f[p]);
  onRegionBox(region, grower.dims, 1, (sub, subDims) => fillHoles3d(sub, subDims));
  const shell = outerShell(region, grower.dims, 2).map((p) => grower.f[p]);
  if (shell.length === 0) return null;
  return { inside: median(inside), outside: median(shell) };
}

/** Median of f over balls of 2 mm (at least the 3x3x3 neighbourhood) around the seeds (block coordinates). */
function seedNeighbourhoodLevel(f: Float32Array, dims: Vec3, spacing: Vec3, seeds: Vec3[]): number {
  const values: number[] = [];
  const r = spacing.map((s) => Math.max(1, Math.round(2 / s)));
  for (const [sx, sy, sz] of seeds) {
    for (let z = Math.max(0, sz - r[2]); z <= Math.min(dims[2] - 1, sz + r[2]); z++) {
      for (let y = Math.max(0, sy - r[1]); y <= Math.min(dims[1] - 1, sy + r[1]); y++) {
        for (let x = Math.max(0, sx - r[0]); x <= Math.min(dims[0] - 1, sx + r[0]); x++) {
          const u = (x - sx) / r[0],
            v = (y - sy) / r[1],
            w = (z - sz) / r[2];
          if (u * u + v * v + w * w <= 1) values.push(f[x + dims[0] * (y + dims[1] * z)]);
        }
      }
    }
  }
  return median(values);
}

function median(a: number[]): number {
  const s = Float64Array.from(a).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Sorted sample of at most ~50k values (enough for the 2nd and 99.8th percentiles). */
function sample(f: Float32Array): Float32Array {
  const step = Math.max(1, Math.floor(f.length / 50_000));
  const out = new Float32Array(Math.ceil(f.length / step));
  for (let p = 0, i = 0; p < f.length; p += step, i++) out[i] = f[p];
  return out.sort();
}

/**
 * Where background seeds allow the lesion: background seeds inside the block compete geodesically with the foreground
 * seeds (geodesic-split.ts: the cut follows intensity edges); those outside it cut by Euclidean Voronoi.
 */
function backgroundCut(
  f: Float32Array,
  block: Block,
  spacing: Vec3,
  fg: Vec3[],
  bg: Vec3[],
  contrastScale: number,
  borderIsBackground: boolean,
): Uint8Array {
  const inBlock = (s: Vec3) => s.every((c, a) => c >= block.lo[a] && c < block.lo[a] + block.size[a]);
  const [bx, by] = block.size;
  const toBlock = (s: Vec3) => s[0] - block.lo[0] + bx * (s[1] - block.lo[1] + by * (s[2] - block.lo[2]));
  const near = bg.filter(inBlock).map(toBlock),
    far = bg.filter((s) => !inBlock(s));
  if (borderIsBackground) near.push(...blockFaces(block.size));
  const allowed = near.length
    ? geodesicForegroundSide(f, block.size, spacing, fg.map(toBlock), near, contrastScale)
    : new Uint8Array(f.length).fill(1);
  if (far.length) {
    const v = voronoiAllowed(block.size, spacing, fg, far, block.lo);
    for (let p = 0; p < allowed.length; p++) allowed[p] &= v[p];
  }
  return allowed;
}

/** Indices of the voxels on the faces of a block (not across an axis 1-2 voxels thin: a single slice is no border). */
function blockFaces([bx, by, bz]: Vec3): number[] {
  const out: number[] = [];
  const face = (c: number, size: number) => size > 2 && (c === 0 || c === size - 1);
  for (let z = 0, p = 0; z < bz; z++)
    for (let y = 0; y < by; y++)
      for (let x = 0; x < bx; x++, p++) {
        if (face(x, bx) || face(y, by) || face(z, bz)) out.push(p);
      }
  return out;
}

function voronoiAllowed(dims: Vec3, spacing: Vec3, fg: Vec3[], bg: Vec3[], lo: Vec3): Uint8Array {
  const [bx, by, bz] = dims;
  const out = new Uint8Array(bx * by * bz);
  const d2 = (x: number, y: number, z: number, s: Vec3) =>
    ((x + lo[0] - s[0]) * spacing[0]) ** 2 +
    ((y + lo[1] - s[1]) * spacing[1]) ** 2 +
    ((z + lo[2] - s[2]) * spacing[2]) ** 2;
  for (let z = 0, p = 0; z < bz; z++)
    for (let y = 0; y < by; y++)
      for (let x = 0; x < bx; x++, p++) {
        let dF = Infinity,
          dB = Infinity;
        for (const s of fg) dF = Math.min(dF, d2(x, y, z, s));
        for (const s of bg) dB = Math.min(dB, d2(x, y, z, s));
        out[p] = dF <= dB ? 1 : 0;
      }
  return out;
}

/** Per face of the block (x-, x+, y-, y+, z-, z+): whether the region has a voxel on it. */
function facesReached(region: Uint8Array, [bx, by, bz]: Vec3): boolean[] {
  const out = new Array<boolean>(6).fill(false);
  for (let z = 0; z < bz; z++)
    for (let y = 0; y < by; y++) {
      const row = bx * (y + by * z);
      if (region[row]) out[0] = true;
      if (region[row + bx - 1]) out[1] = true;
      if (y === 0 || y === by - 1 || z === 0 || z === bz - 1) {
        for (let x = 0; x < bx; x++) {
          if (!region[row + x]) continue;
          if (y === 0) out[2] = true;
          if (y === by - 1) out[3] = true;
          if (z === 0) out[4] = true;
          if (z === bz - 1) out[5] = true;
        }
      }
    }
  return out;
}

function touchesInnerFace(region: Uint8Array, block: Block, depth: number): boolean {
  const [bx, by, bz] = block.size;
  const f = block.innerFace;
  for (let z = 0, p = 0; z < bz; z++)
    for (let y = 0; y < by; y++)
      for (let x = 0; x < bx; x++, p++) {
        if (!region[p]) continue;
        if (
          (x <= depth && f[0]) ||
          (x >= bx - 1 - depth && f[1]) ||
          (y <= depth && f[2]) ||
          (y >= by - 1 - depth && f[3]) ||
          (z <= depth && f[4]) ||
          (z >= bz - 1 - depth && f[5])
        )
          return true;
      }
  return false;
}

/** 6-connected growth of {lower <= f <= upper} from the seeds within one block. */
class Grower {
  private readonly startSeen: Uint8Array;
  constructor(
    readonly f: Float32Array,
    readonly dims: Vec3,
    readonly spacing: Vec3,
    readonly seeds: number[],
    readonly allowed: Uint8Array | null,
    readonly scratch: FloodScratch,
  ) {
    this.startSeen = new Uint8Array(f.length);
  }

  private inWindow(p: number, lower: number, upper: number): boolean {
    const v = this.f[p];
    return v >= lower && v <= upper && (!this.allowed || this.allowed[p] === 1);
  }

  private inside(p: number, lower: number, upper: number): boolean {
    return this.inWindow(p, lower, upper);
  }

  /** The seed itself when inside, else the nearest (breadth-first, within START_SEARCH_MM) voxel that is. */
  private start(seed: number, lower: number, upper: number): number {
    if (this.inside(seed, lower, upper)) return seed;
    const [nx, ny] = this.dims;
    const sx = seed % nx,
      sy = ((seed / nx) | 0) % ny,
      sz = (seed / (nx * ny)) | 0;
    const limit = START_SEARCH_MM * START_SEARCH_MM;
    const queue: number[] = [seed];
    this.startSeen[seed] = 1;
    let found = -1;
    for (let head = 0; head < queue.length && found < 0; head++) {
      forEachNeighbour(queue[head], this.dims, (q) => {
        if (found >= 0 || this.startSeen[q]) return;
        this.startSeen[q] = 1;
        const dx = (q % nx) - sx,
          dy = (((q / nx) | 0) % ny) - sy,
          dz = ((q / (nx * ny)) | 0) - sz;
        if ((dx * this.spacing[0]) ** 2 + (dy * this.spacing[1]) ** 2 + (dz * this.spacing[2]) ** 2 > limit) return;
        if (this.allowed && !this.allowed[q]) return;
        if (this.inside(q, lower, upper)) found = q;
        else queue.push(q);
      });
    }
    for (const p of queue) this.startSeen[p] = 0;
    if (found >= 0) this.startSeen[found] = 0;
    // Neighbours marked but neither queued nor found (outside the limit) are cleared by a sweep of the ball's block.
    this.clearStartSeen(sx, sy, sz);
    return found;
  }

  private clearStartSeen(sx: number, sy: number, sz: number): void {
    const [nx, ny, nz] = this.dims;
    const r = this.spacing.map((s) => Math.ceil(START_SEARCH_MM / s) + 1);
    for (let z = Math.max(0, sz - r[2]); z <= Math.min(nz - 1, sz + r[2]); z++) {
      for (let y = Math.max(0, sy - r[1]); y <= Math.min(ny - 1, sy + r[1]); y++) {
        const row = nx * (y + ny * z);
        this.startSeen.fill(0, row + Math.max(0, sx - r[0]), row + Math.min(nx - 1, sx + r[0]) + 1);
      }
    }
  }

  grow(lower: number, upper: number, leakLimit: number, out?: Uint8Array): { count: number; leaked: boolean } {
    const { queue, stamp } = this.scratch;
    const mark = this.scratch.nextMark();
    let head = 0,
      tail = 0;
    for (const s of this.seeds) {
      const p = this.start(s, lower, upper);
      if (p >= 0 && stamp[p] !== mark) {
        stamp[p] = mark;
        queue[tail++] = p;
      }
    }
    const [nx, ny, nz] = this.dims;
    const nxy = nx * ny;
    let leaked = false;
    while (head < tail) {
      const p = queue[head++];
      const x = p % nx,
        y = ((p / nx) | 0) % ny,
        z = (p / nxy) | 0;
      if (x === 0 || y === 0 || x === nx - 1 || y === ny - 1 || (nz > 1 && (z === 0 || z === nz - 1))) leaked = true;
      if (tail > leakLimit) {
        leaked = true;
        break;
      }
      if (x > 0) {
        const q = p - 1;
        if (stamp[q] !== mark && this.inside(q, lower, upper)) {
          stamp[q] = mark;
          queue[tail++] = q;
        }
      }
      if (x < nx - 1) {
        const q = p + 1;
        if (stamp[q] !== mark && this.inside(q, lower, upper)) {
          stamp[q] = mark;
          queue[tail++] = q;
        }
      }
      if (y > 0) {
        const q = p - nx;
        if (stamp[q] !== mark && this.inside(q, lower, upper)) {
          stamp[q] = mark;
          queue[tail++] = q;
        }
      }
      if (y < ny - 1) {
        const q = p + nx;
        if (stamp[q] !== mark && this.inside(q, lower, upper)) {
          stamp[q] = mark;
          queue[tail++] = q;
        }
      }
      if (z > 0) {
        const q = p - nxy;
        if (stamp[q] !== mark && this.inside(q, lower, upper)) {
          stamp[q] = mark;
          queue[tail++] = q;
        }
      }
      if (z < nz - 1) {
        const q = p + nxy;
        if (stamp[q] !== mark && this.inside(q, lower, upper)) {
          stamp[q] = mark;
          queue[tail++] = q;
        }
      }
    }
    if (out) for (let i = 0; i < tail; i++) out[queue[i]] = 1;
    return { count: tail, leaked };
  }
}
