/**
 * pyradiomics' wavelet image type (imageoperations.getWaveletImage / _swt3): odd axes are padded by one voxel
 * (numpy "wrap": the first slice repeated at the end), then each level calls pywt.swtn(level=1) on the previous
 * approximation (so every level uses the undilated filters, as pyradiomics does), and the results are cropped back.
 * pywt's 1D stationary transform at level 1 is a circular convolution: out[o] = sum_j f[j] x[(o + F/2 - j) mod N].
 * Decomposition names: one letter per axis in i, j, k order (pyradiomics' swtn axes (x, y, z)), L = approximation.
 */
import { NacError } from "@/lib/errors/nac-error";
import type { Vec3 } from "@/lib/imaging/volume";
import { blockDims, cropToBlock, wholeGrid, type FilterGrid, type SourceGrid, type VoxelBlock } from "./grid";
import { waveletFilters } from "./separable-wavelet";

/**
 * Tap positions of outputs lo..hi along an axis of padded length nPad held as n values (n = nPad, or nPad - 1 with the
 * wrap padding implied: position n reads position 0): idx[(o - lo) * F + j] = ((o + F/2 - j) mod nPad) mod n.
 */
function tapIndex(lo: number, hi: number, nPad: number, n: number, F: number): Int32Array {
  const shift = Math.floor(F / 2);
  const idx = new Int32Array((hi - lo + 1) * F);
  for (let o = lo; o <= hi; o++)
    for (let j = 0; j < F; j++) idx[(o - lo) * F + j] = ((((o + shift - j) % nPad) + nPad) % nPad) % n;
  return idx;
}

interface Node {
  name: string;
  data: Float64Array;
}

/**
 * One pywt.swtn level on `src` (dims sd, padded lengths nPad), only outputs in `out` (ranges in padded coordinates;
 * an axis not in `axes` is just cropped). The L/H tree shares its passes (2 + 4 + 8 arrays), and each pass makes only
 * the outputs the box needs: along i for every line, along j for the lines whose i is in the box, along k for those
 * whose i and j are. Each output is the same sum, in the same order, as the whole transform's, so the values are
 * identical; passes i and j run plane by plane (no full-size intermediates). `approxOnly`: only the all-L node.
 * Returns the leaves in pywt's key order (a before d on each axis, first axis first), on the box.
 */
function swtLevel(
  src: Float64Array,
  sd: Vec3,
  nPad: Vec3,
  axes: number[],
  lo: Float64Array,
  hi: Float64Array,
  out: VoxelBlock,
  approxOnly: boolean,
): Node[] {
  const F = lo.length;
  const [b0, b1, b2] = blockDims(out);
  const [sx, sy] = sd;
  const transformK = axes.length === 3;
  const idx0 = tapIndex(out.lo[0], out.hi[0], nPad[0], sx, F);
  const idx1 = tapIndex(out.lo[1], out.hi[1], nPad[1], sy, F);
  // Planes along k the i/j passes run on: all of them when k is transformed next, else the box's.
  const k0 = transformK ? 0 : out.lo[2];
  const nk = transformK ? sd[2] : b2;
  const planeL = new Float64Array(b0 * sy),
    planeH = approxOnly ? planeL : new Float64Array(b0 * sy);
  const ij: Node[] = (approxOnly ? ["LL"] : ["LL", "LH", "HL", "HH"]).map((name) => ({
    name,
    data: new Float64Array(b0 * b1 * nk),
  }));
  for (let z = 0; z < nk; z++) {
    // Along i: L and H of every line of plane z, outputs i in the box.
    for (let y = 0; y < sy; y++) {
      const base = sx * (y + sy * (k0 + z)),
        ob = b0 * y;
      for (let o = 0; o < b0; o++) {
        let accL = 0,
          accH = 0;
        const t = o * F;
        for (let j = 0; j < F; j++) {
          const v = src[base + idx0[t + j]];
          accL += lo[j] * v;
          accH += hi[j] * v;
        }
        planeL[ob + o] = accL;
        if (!approxOnly) planeH[ob + o] = accH;
      }
    }
    // Along j, for i in the box.
    for (let n = 0; n < ij.length; n++) {
      const plane = n < 2 ? planeL : planeH,
        f = n % 2 === 0 ? lo : hi,
        dst = ij[n].data;
      for (let o = 0; o < b1; o++) {
        const ob = b0 * (o + b1 * z),
          t = o * F;
        for (let x = 0; x < b0; x++) {
          let acc = 0;
          for (let j = 0; j < F; j++) acc += f[j] * plane[b0 * idx1[t + j] + x];
          dst[ob + x] = acc;
        }
      }
    }
  }
  if (!transformK) return ij;
  // Along k, for i and j in the box.
  const idx2 = tapIndex(out.lo[2], out.hi[2], nPad[2], sd[2], F);
  const n01 = b0 * b1;
  const leaves: Node[] = [];
  for (const node of ij) {
    const L = new Float64Array(n01 * b2),
      H = approxOnly ? L : new Float64Array(n01 * b2);
    const d = node.data;
    for (let o = 0; o < b2; o++) {
      const t = o * F,
        ob = n01 * o;
      for (let xy = 0; xy < n01; xy++) {
        let accL = 0,
          accH = 0;
        for (let j = 0; j < F; j++) {
          const v = d[n01 * idx2[t + j] + xy];
          accL += lo[j] * v;
          accH += hi[j] * v;
        }
        L[ob + xy] = accL;
        if (!approxOnly) H[ob + xy] = accH;
      }
    }
    leaves.push({ name: node.name + "L", data: L });
    if (!approxOnly) leaves.push({ name: node.name + "H", data: H });
  }
  return leaves;
}

/** Filter length of a wavelet: one level of the transform reads this many voxels along each axis. */
export function waveletSupport(wavelet: string): number {
  return waveletFilters(wavelet).lo.length;
}

export interface WaveletImage {
  /** pyradiomics image type name, e.g. "wavelet-LHL", "wavelet2-HHH", "wavelet-LLL". */
  name: string;
  image: FilterGrid;
}

/**
 * The part of the grid a wavelet image needs for `box`: pywt's transform is FIR (circular only across the whole
 * image), so along an axis where the box +- `margin` voxels stays inside the image the box's values depend on that
 * window only and are computed identically there; an axis the window would leave is kept whole (wrap-around and
 * odd-size padding as pyradiomics). Returns the window as a float64 grid and the box in its coordinates.
 */
function waveletWindow(g: SourceGrid, box: VoxelBlock, margin: number): { grid: FilterGrid; box: VoxelBlock } {
  const lo: Vec3 = [0, 0, 0],
    hi: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const l = box.lo[a] - margin,
      h = box.hi[a] + margin;
    [lo[a], hi[a]] = l < 0 || h > g.dims[a] - 1 ? [0, g.dims[a] - 1] : [l, h];
  }
  const rel = (v: Vec3): Vec3 => [v[0] - lo[0], v[1] - lo[1], v[2] - lo[2]];
  return { grid: cropToBlock(g, { lo, hi }), box: { lo: rel(box.lo), hi: rel(box.hi) } };
}

/**
 * All decompositions of levels start_level+1 .. start_level+level, then the final approximation (pyradiomics order),
 * on `box` (default: the whole grid; images of the box's size).
 * `axes`: the transformed axes (all three, or the two in-plane ones with pyradiomics' force2D).
 */
export function pyradiomicsWavelet(
  g: SourceGrid,
  wavelet: string,
  level: number,
  startLevel: number,
  axes: number[] = [0, 1, 2],
  box?: VoxelBlock,
): WaveletImage[] {
  if (!Number.isInteger(level) || level < 1)
    throw new NacError("SETTINGS_INVALID", `wavelet level must be an integer >= 1, got ${level}`);
  if (!Number.isInteger(startLevel) || startLevel < 0)
    throw new NacError("SETTINGS_INVALID", `wavelet start_level must be an integer >= 0, got ${startLevel}`);
  if (axes.join() !== "0,1,2" && axes.join() !== "0,1")
    throw new RangeError(`wavelet axes must be [0, 1, 2] or [0, 1], got [${axes.join(", ")}]`);
  const { lo, hi } = waveletFilters(wavelet);
  const w = box
    ? waveletWindow(g, box, lo.length * (startLevel + level))
    : {
        grid: { ...g, data: g.data instanceof Float64Array ? g.data : Float64Array.from(g.data) },
        box: wholeGrid(g.dims),
      };
  const dims = w.grid.dims;
  const nPad = dims.map((n) => (n % 2 ? n + 1 : n)) as Vec3;
  // The chain of approximations before the last level: whole (padded) grids along the transformed axes.
  const whole: VoxelBlock = {
    lo: [0, 0, 0],
    hi: [0, 1, 2].map((a) => (axes.includes(a) ? nPad[a] : dims[a]) - 1) as Vec3,
  };
  const approx = (x: Float64Array, sd: Vec3): [Float64Array, Vec3] => [
    swtLevel(x, sd, nPad, axes, lo, hi, whole, true)[0].data,
    blockDims(whole),
  ];
  let data = w.grid.data,
    sd: Vec3 = [...dims] as Vec3;
  for (let i = 0; i < startLevel; i++) [data, sd] = approx(data, sd);
  const approxName = "L".repeat(axes.length);
  const bd = blockDims(w.box);
  const image = (v: Float64Array): FilterGrid => ({ data: v, dims: [...bd] as Vec3, spacing: [...g.spacing] as Vec3 });
  const out: WaveletImage[] = [];
  let final: Float64Array | null = null;
  for (let l = 0; l < level; l++) {
    const last = l === level - 1;
    const prefix = l === 0 ? "wavelet" : `wavelet${l + 1}`;
    for (const leaf of swtLevel(data, sd, nPad, axes, lo, hi, w.box, false)) {
      if (leaf.name !== approxName) out.push({ name: `${prefix}-${leaf.name}`, image: image(leaf.data) });
      else if (last) final = leaf.data;
    }
    if (!last) [data, sd] = approx(data, sd);
  }
  out.push({ name: level === 1 ? `wavelet-${approxName}` : `wavelet${level}-${approxName}`, image: image(final!) });
  return out;
}
