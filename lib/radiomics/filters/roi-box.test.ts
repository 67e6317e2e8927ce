/**
 * Filtering only what the ROI box needs (the extraction's path) gives exactly the whole-image filter's values on the
 * box: LoG (recursive Gaussian, whole lines of its window) and pywt wavelets (FIR, the L/H tree restricted to the box),
 * compared bit for bit on a random grid with odd sizes, for boxes inside, at the corners and edges, and the whole grid.
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/random/prng";
import type { Vec3 } from "@/lib/imaging/volume";
import { blockDims, cropToBlock, wholeGrid, type FilterGrid, type VoxelBlock } from "./grid";
import { itkLaplacianRecursiveGaussian, logWindow } from "./itk-recursive-gaussian";
import { pyradiomicsWavelet } from "./pywt-swt";
import { derivedImages, type ImageType } from "./pyradiomics-image-types";

const dims: Vec3 = [23, 19, 13];
const rng = mulberry32(7);
const grid: FilterGrid = {
  data: Float64Array.from({ length: dims[0] * dims[1] * dims[2] }, () => Math.round(1000 * rng.next())),
  dims,
  spacing: [0.7, 0.9, 2.1],
};
const boxes: [string, VoxelBlock][] = [
  ["inside", { lo: [8, 6, 5], hi: [13, 11, 7] }],
  ["corner", { lo: [0, 0, 0], hi: [2, 3, 1] }],
  ["far corner", { lo: [20, 15, 10], hi: [22, 18, 12] }],
  ["one voxel", { lo: [11, 0, 12], hi: [11, 0, 12] }],
  ["slab", { lo: [0, 7, 0], hi: [22, 9, 12] }],
  ["whole", wholeGrid(dims)],
];

function same(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i] + 0, b[i] + 0)) differ++;
  expect(differ).toBe(0);
}

describe.each(boxes)("filters on the %s box", (_, box) => {
  it("LoG (sigma 1, 2.5 mm): the box of the whole-grid image, and of its window's image", () => {
    for (const sigma of [1, 2.5]) {
      const whole = itkLaplacianRecursiveGaussian(grid, sigma);
      const onBox = itkLaplacianRecursiveGaussian(grid, sigma, box);
      expect(onBox.dims).toEqual(blockDims(box));
      same(onBox.data, cropToBlock(whole, box).data);
      const w = {
        lo: box.lo.map((l) => Math.max(0, l - 4)) as Vec3,
        hi: box.hi.map((h, a) => Math.min(dims[a] - 1, h + 4)) as Vec3,
      };
      const ofWindow = itkLaplacianRecursiveGaussian(cropToBlock(grid, w), sigma);
      const rel: VoxelBlock = {
        lo: box.lo.map((l, a) => l - w.lo[a]) as Vec3,
        hi: box.hi.map((h, a) => h - w.lo[a]) as Vec3,
      };
      same(itkLaplacianRecursiveGaussian(grid, sigma, box, w).data, cropToBlock(ofWindow, rel).data);
    }
  });

  it.each([
    ["coif1", 1, 0, [0, 1, 2]],
    ["haar", 1, 0, [0, 1, 2]],
    ["db2", 2, 0, [0, 1, 2]],
    ["haar", 1, 1, [0, 1, 2]],
    ["coif1", 2, 0, [0, 1]],
  ] as const)("wavelet %s level %d start %d axes %j: every decomposition", (w, level, start, axes) => {
    const whole = pyradiomicsWavelet(grid, w, level, start, [...axes]);
    const onBox = pyradiomicsWavelet(grid, w, level, start, [...axes], box);
    expect(onBox.map((d) => d.name)).toEqual(whole.map((d) => d.name));
    whole.forEach((d, k) => same(onBox[k].image.data, cropToBlock(d.image, box).data));
  });

  it("derivedImages: every image type on the box equals the whole image's box", () => {
    const types: ImageType[] = [
      { type: "LoG", sigma: [{ value: 1.5, name: "1.5" }], overrides: {} },
      { type: "Wavelet", wavelet: "sym2", level: 1, startLevel: 0, overrides: {} },
      { type: "Square", overrides: {} },
      { type: "SquareRoot", overrides: {} },
      { type: "Logarithm", overrides: {} },
      { type: "Exponential", overrides: {} },
      { type: "Gradient", useSpacing: true, overrides: {} },
    ];
    const int16 = { ...grid, data: Int16Array.from(grid.data) };
    for (const t of types) {
      const whole = derivedImages(grid, t, false);
      const onBox = derivedImages(int16, t, false, box);
      expect(onBox.map((d) => d.name)).toEqual(whole.map((d) => d.name));
      whole.forEach((d, k) => same(onBox[k].image!.data, cropToBlock(d.image!, box).data));
    }
  });
});

it("the LoG window of a box is the box +- 20 sigma (at least 4 voxels), clamped to the grid", () => {
  const w = logWindow(grid, { lo: [10, 9, 6], hi: [11, 9, 6] }, 0.2);
  expect(w).toEqual({ lo: [4, 4, 2], hi: [17, 14, 10] });
  expect(logWindow(grid, { lo: [10, 9, 6], hi: [11, 9, 6] }, 3)).toEqual(wholeGrid(dims));
});
