import { describe, expect, it } from "vitest";
import { isNacError, type ErrorCode } from "../errors";
import { makeVolume, type Mask, type Vec3 } from "../imaging/volume";
import { maskedPool, preprocessRegion, regionBounds } from "./preprocess";

function volume(dims: Vec3, f: (i: number, j: number, k: number) => number, spacing: Vec3 = [1, 1, 1]) {
  const data = new Float32Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0, p = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++, p++) data[p] = f(i, j, k);
  return makeVolume(data, { dims, spacing });
}
function mask(dims: Vec3, f: (i: number, j: number, k: number) => boolean, spacing: Vec3 = [1, 1, 1]): Mask {
  const v = volume(dims, (i, j, k) => (f(i, j, k) ? 1 : 0), spacing);
  return { ...v, data: Uint8Array.from(v.data) };
}
function expectCode(fn: () => unknown, code: ErrorCode) {
  try {
    fn();
  } catch (e) {
    expect(isNacError(e) && e.code).toBe(code);
    return;
  }
  expect.unreachable(`expected ${code}`);
}

const ramp = (i: number, j: number, k: number) => i + 100 * j + 10000 * k;

describe("preprocessRegion", () => {
  it("crops the region's box, keeps region voxels only, z-scores over them (identity resampling, exact)", () => {
    const dims: Vec3 = [20, 18, 16];
    // an 8x8x8 box at i 3..10, j 5..12, k 4..11, with a hole of non-region voxels inside it
    const inRegion = (i: number, j: number, k: number) =>
      i >= 3 && i <= 10 && j >= 5 && j <= 12 && k >= 4 && k <= 11 && !(i === 6 && j === 7);
    const img = volume(dims, ramp);
    const r = preprocessRegion(img, mask(dims, inRegion), { inputSize: [8, 8, 8] });
    expect(r.crop).toEqual({ from: [3, 5, 4], to: [10, 12, 11] });
    const vals: number[] = [];
    for (let k = 4; k <= 11; k++)
      for (let j = 5; j <= 12; j++) for (let i = 3; i <= 10; i++) if (inRegion(i, j, k)) vals.push(ramp(i, j, k));
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    const std = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
    expect(r.stats.voxels).toBe(vals.length);
    expect(r.stats.mean).toBeCloseTo(mean, 9);
    expect(r.stats.std).toBeCloseTo(std, 9);
    for (let z = 0; z < 8; z++)
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) {
          const p = x + 8 * (y + 8 * z); // [D,H,W] C-order = Volume layout
          const [i, j, k] = [x + 3, y + 5, z + 4];
          const want = inRegion(i, j, k) ? Math.fround((ramp(i, j, k) - mean) / std) : 0;
          expect(r.input[p]).toBe(want);
          expect(r.region[p]).toBe(inRegion(i, j, k) ? 1 : 0);
        }
  });

  it("downsamples by 2 with voxel-centre alignment (linear interpolation exact on a linear ramp)", () => {
    const dims: Vec3 = [16, 16, 16];
    const img = volume(dims, ramp);
    const r = preprocessRegion(
      img,
      mask(dims, () => true),
      { inputSize: [8, 8, 8] },
    );
    // output o samples source 2o + 0.5 on every axis
    const { mean, std } = r.stats;
    for (const [x, y, z] of [
      [0, 0, 0],
      [3, 5, 7],
      [7, 7, 7],
    ] as Vec3[]) {
      const want = ramp(2 * x + 0.5, 2 * y + 0.5, 2 * z + 0.5);
      expect(r.input[x + 8 * (y + 8 * z)]).toBeCloseTo((want - mean) / std, 6); // float32 z-scores
    }
    const near = preprocessRegion(
      img,
      mask(dims, () => true),
      { inputSize: [8, 8, 8], interpolation: "nearest" },
    );
    expect(near.input[0]).toBeCloseTo((ramp(1, 1, 1) - near.stats.mean) / near.stats.std, 6);
  });

  it("widens the crop by cropMarginMm per axis spacing, clipped to the image", () => {
    const dims: Vec3 = [30, 30, 10];
    const spacing: Vec3 = [0.5, 1, 2];
    const m = mask(dims, (i, j, k) => i >= 2 && i <= 20 && j >= 10 && j <= 12 && k >= 4 && k <= 6, spacing);
    const img = volume(dims, ramp, spacing);
    const r = preprocessRegion(img, m, { cropMarginMm: 2, inputSize: [8, 8, 8] });
    expect(r.crop).toEqual({ from: [0, 8, 3], to: [24, 14, 7] });
  });

  it("fails clearly: empty region, other grid, constant intensities, bad settings", () => {
    const dims: Vec3 = [10, 10, 10];
    const img = volume(dims, ramp);
    expectCode(
      () =>
        preprocessRegion(
          img,
          mask(dims, () => false),
        ),
      "MASK_EMPTY",
    );
    expectCode(
      () =>
        preprocessRegion(
          img,
          mask(dims, () => true, [1, 1, 2]),
        ),
      "GEOMETRY_MISMATCH",
    );
    expectCode(
      () =>
        preprocessRegion(
          volume(dims, () => 5),
          mask(dims, () => true),
        ),
      "FEATURE_NOT_COMPUTABLE",
    );
    expectCode(
      () =>
        preprocessRegion(
          img,
          mask(dims, () => true),
          { inputSize: [64, 64, 3] },
        ),
      "SETTINGS_INVALID",
    );
    expectCode(
      () =>
        preprocessRegion(
          img,
          mask(dims, () => true),
          { cropMarginMm: -1 },
        ),
      "SETTINGS_INVALID",
    );
  });

  it("regionBounds finds the inclusive box", () => {
    expect(
      regionBounds(mask([5, 6, 7], (i, j, k) => (i === 1 && j === 2 && k === 3) || (i === 4 && j === 0 && k === 6))),
    ).toEqual({
      from: [1, 0, 3],
      to: [4, 2, 6],
    });
  });
});

describe("maskedPool", () => {
  it("averages the map over the cells holding region voxels, weighted by their voxel counts", () => {
    // C=2 map of 2x2x2 cells over a 4x4x4 input; region: 8 voxels in cell 0 and 2 voxels in cell 7
    const map = new Float32Array(16);
    for (let q = 0; q < 8; q++) {
      map[q] = q + 1;
      map[8 + q] = 10 * (q + 1);
    }
    const region = new Uint8Array(64);
    for (let z = 0; z < 2; z++) for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) region[x + 4 * (y + 4 * z)] = 1;
    region[3 + 4 * (3 + 4 * 3)] = 1;
    region[2 + 4 * (3 + 4 * 3)] = 1;
    const f = maskedPool({ data: map, dims: [2, 2, 2, 2] }, region, [4, 4, 4]);
    expect(f[0]).toBeCloseTo((8 * 1 + 2 * 8) / 10, 6);
    expect(f[1]).toBeCloseTo((8 * 10 + 2 * 80) / 10, 5);
    // the full region gives the plain mean
    const all = maskedPool({ data: map, dims: [2, 2, 2, 2] }, new Uint8Array(64).fill(1), [4, 4, 4]);
    expect(all[0]).toBeCloseTo(4.5, 6);
  });
});
