import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { indexToLps } from "./geometry";
import { readNifti } from "./nifti";
import {
  ibsiGrid,
  resampleMask,
  resampleToGeometry,
  resampleVolume,
  sampleFloat64,
  type ImageInterpolation,
} from "./resample";
import { makeVolume, type Mask, type Vec3, type Volume } from "./volume";

const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, "testdata/resample-scipy.json"), "utf8")) as {
  dims: Vec3;
  spacing: Vec3;
  newSpacing: Vec3;
  newDims: Vec3;
  data: number[];
  nearest: number[];
  linear: number[];
  bspline: number[];
};

describe("ibsiGrid", () => {
  it("CT phantom 204x201x60 @ 0.977x0.977x3 -> 2 mm: 100x99x90 (IBSI config C diagnostics), centre kept", () => {
    const g = {
      dims: [204, 201, 60] as Vec3,
      spacing: [0.977, 0.977, 3] as Vec3,
      origin: [-174.4, -79.6, -100.4] as Vec3,
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as Volume["direction"],
    };
    const grid = ibsiGrid(g, [2, 2, 2]);
    expect(grid.dims).toEqual([100, 99, 90]);
    expect(grid.spacing).toEqual([2, 2, 2]);
    // Hand computation: x origin moves by (0.977*203 - 2*99)/2 = 0.1655 mm.
    expect(grid.origin[0]).toBeCloseTo(-174.4 + 0.1655, 10);
    const c0 = indexToLps(g, [203 / 2, 200 / 2, 59 / 2]);
    const c1 = indexToLps(grid, [99 / 2, 98 / 2, 89 / 2]);
    c0.forEach((x, i) => expect(Math.abs(x - c1[i])).toBeLessThan(1e-9));
    const b = ibsiGrid(g, [2, 2, 2], true); // config B: in-plane only
    expect(b.dims).toEqual([100, 99, 60]);
    expect(b.spacing[2]).toBe(3);
    expect(b.origin[2]).toBe(-100.4);
  });

  it("ceil is robust to floating-point noise (0.6*5/0.3 = 10 voxels) and follows flipped directions", () => {
    const g = makeVolume(new Uint8Array(5), {
      dims: [5, 1, 1],
      spacing: [0.6, 1, 1],
      direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1],
    });
    const grid = ibsiGrid(g, [0.3, 1, 1]);
    expect(grid.dims[0]).toBe(10);
    // Grid centred: new voxel 0 is 0.15 mm before old voxel 0 along the axis, i.e. at +0.15 in x for direction -x.
    expect(grid.origin[0]).toBeCloseTo(0.15, 12);
  });
});

describe("sampling matches scipy.ndimage.map_coordinates(mode='nearest') on the IBSI grid", () => {
  const vol = makeVolume(Float64Array.from(fixture.data), { dims: fixture.dims, spacing: fixture.spacing });
  for (const method of ["nearest", "linear", "bspline"] as ImageInterpolation[]) {
    it(`${method}: all ${fixture.newDims.join("x")} values within 1e-9`, () => {
      const grid = ibsiGrid(vol, fixture.newSpacing);
      expect(grid.dims).toEqual(fixture.newDims);
      const got = sampleFloat64(vol, grid, method);
      const want = fixture[method];
      expect(got.length).toBe(want.length);
      let maxErr = 0;
      for (let i = 0; i < want.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i] - want[i]));
      expect(maxErr).toBeLessThan(1e-9);
    });
  }

  it("a permuted/flipped target grid (general, non-separable path) gives the same samples", () => {
    const grid = ibsiGrid(vol, fixture.newSpacing);
    const [nx, ny, nz] = grid.dims;
    // Same physical points, axes reordered (y, -x, z): target voxel (a, b, c) = source-grid voxel (nx-1-b, a, c).
    const d = grid.direction;
    const permuted = {
      dims: [ny, nx, nz] as Vec3,
      spacing: [grid.spacing[1], grid.spacing[0], grid.spacing[2]] as Vec3,
      origin: indexToLps(grid, [nx - 1, 0, 0]),
      direction: [d[3], d[4], d[5], -d[0], -d[1], -d[2], d[6], d[7], d[8]] as Volume["direction"],
    };
    for (const method of ["linear", "bspline"] as ImageInterpolation[]) {
      const ref = sampleFloat64(vol, grid, method);
      const got = sampleFloat64(vol, permuted, method);
      let maxErr = 0;
      for (let c = 0; c < nz; c++)
        for (let b = 0; b < nx; b++)
          for (let a = 0; a < ny; a++) {
            const g = got[a + b * ny + c * ny * nx];
            const r = ref[nx - 1 - b + a * nx + c * nx * ny];
            maxErr = Math.max(maxErr, Math.abs(g - r));
          }
      expect(maxErr).toBeLessThan(1e-9);
    }
  });

  it("bspline interpolates: sampling on the original grid returns the original values", () => {
    const got = sampleFloat64(vol, vol, "bspline");
    got.forEach((x, i) => expect(Math.abs(x - fixture.data[i])).toBeLessThan(1e-9));
    const shifted = { ...vol, origin: [1e-3, 0, 0] as Vec3 }; // forces the prefilter on x
    const g2 = sampleFloat64(vol, shifted, "bspline");
    expect(Math.abs(g2[3] - fixture.data[3])).toBeLessThan(5);
  });

  it("nearest keeps the voxel type, linear/bspline give Float32, roundIntensities rounds half to even", () => {
    const v = makeVolume(new Int16Array([0, 1, 2, 3]), { dims: [4, 1, 1], spacing: [2, 1, 1] });
    expect(resampleVolume(v, { spacing: [1, 1, 1], method: "nearest" }).data).toBeInstanceOf(Int16Array);
    const lin = resampleVolume(v, { spacing: [1, 1, 1], method: "linear" });
    expect(lin.data).toBeInstanceOf(Float32Array);
    // 8 new voxels centred on the 4 old: old index of new m is (m - 0.5) / 2 -> values clamp(-0.25..3.25).
    expect(Array.from(lin.data)).toEqual([0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]);
    const r = resampleVolume(v, { spacing: [1, 1, 1], method: "linear", roundIntensities: true });
    expect(Array.from(r.data)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });
});

describe("resampleMask", () => {
  it("linear + threshold 0.5 on a hand case; nearest onto a reference grid", () => {
    const m = makeVolume(new Uint8Array([0, 1, 1, 0]), { dims: [4, 1, 1], spacing: [2, 1, 1] }) as Mask;
    // Fractions on the 1 mm grid: [0, 0.25, 0.75, 1, 1, 0.75, 0.25, 0] -> >= 0.5 keeps 4 voxels.
    const r = resampleMask(m, { spacing: [1, 1, 1], method: "linear" });
    expect(Array.from(r.data)).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    const r2 = resampleMask(m, { spacing: [1, 1, 1], method: "linear", threshold: 0.75 });
    expect(Array.from(r2.data)).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    const r3 = resampleMask(m, { spacing: [1, 1, 1], method: "linear", threshold: 0.8 });
    expect(Array.from(r3.data)).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
    const ref = {
      dims: [2, 1, 1] as Vec3,
      spacing: [4, 1, 1] as Vec3,
      origin: [1, 0, 0] as Vec3,
      direction: m.direction,
    };
    expect(Array.from(resampleMask(m, { referenceGeometry: ref, method: "nearest" }).data)).toEqual([1, 0]);
  });

  it("keeps several labels apart", () => {
    const m = makeVolume(new Uint8Array([2, 2, 3, 3]), { dims: [4, 1, 1], spacing: [2, 1, 1] }) as Mask;
    const r = resampleMask(m, { spacing: [1, 1, 1], method: "linear" });
    expect(Array.from(r.data)).toEqual([2, 2, 2, 2, 3, 3, 3, 3]);
  });

  it("the ROI-block shortcut equals sampling the whole grid (random masks touching borders, flipped and permuted grids)", () => {
    let seed = 5;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    let checked = 0;
    for (let t = 0; t < 12; t++) {
      const dims: Vec3 = [9, 8, 6];
      const m = makeVolume(new Uint8Array(432), { dims, spacing: [0.7, 0.8, 2], origin: [3, -2, 1] }) as Mask;
      const lo = [Math.floor(rnd() * 4), Math.floor(rnd() * 4), Math.floor(rnd() * 3)];
      for (let k = lo[2]; k < Math.min(6, lo[2] + 3); k++)
        for (let j = lo[1]; j < Math.min(8, lo[1] + 5); j++)
          for (let i = lo[0]; i < Math.min(9, lo[0] + 6); i++)
            if (rnd() < 0.7) m.data[i + j * 9 + k * 72] = rnd() < 0.8 ? 1 : 2;
      const grids = [
        ibsiGrid(m, [0.5, 0.45, 1.1]),
        ibsiGrid(m, [1.3, 1.1, 3]),
        // Same extent, x flipped: negative scale in the index map.
        {
          ...ibsiGrid(m, [0.5, 0.5, 1]),
          origin: indexToLps(ibsiGrid(m, [0.5, 0.5, 1]), [ibsiGrid(m, [0.5, 0.5, 1]).dims[0] - 1, 0, 0]),
          direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] as Volume["direction"],
        },
        // Axes swapped: non-separable path.
        {
          dims: [10, 12, 9] as Vec3,
          spacing: [0.6, 0.55, 1.5] as Vec3,
          origin: [2, -3, 0.5] as Vec3,
          direction: [0, 1, 0, 1, 0, 0, 0, 0, 1] as Volume["direction"],
        },
      ];
      for (const grid of grids) {
        for (const method of ["nearest", "linear"] as const) {
          const got = resampleMask(m, { referenceGeometry: grid, method, threshold: 0.5 });
          // Reference: every label's indicator sampled on the whole grid.
          const n = grid.dims[0] * grid.dims[1] * grid.dims[2];
          const want = new Uint8Array(n),
            best = new Float64Array(n);
          for (const label of [1, 2]) {
            const ind = makeVolume(
              Uint8Array.from(m.data, (v) => (v === label ? 1 : 0)),
              m,
            );
            const f = sampleFloat64(ind, grid, method);
            for (let i = 0; i < n; i++)
              if (f[i] >= (method === "nearest" ? 1 : 0.5) - 1e-9 && f[i] > best[i]) {
                best[i] = f[i];
                want[i] = label;
              }
          }
          expect(Array.from(got.data)).toEqual(Array.from(want));
          checked += n;
        }
      }
    }
    expect(checked).toBeGreaterThan(50000);
  });

  it("rejects both or neither target", () => {
    const m = makeVolume(new Uint8Array(1), { dims: [1, 1, 1] }) as Mask;
    expect(() => resampleMask(m, { method: "nearest" })).toThrow(expect.objectContaining({ code: "SETTINGS_INVALID" }));
  });
});

const ct = path.resolve(import.meta.dirname, "../../../shared/data/ibsi/ct_phantom/nifti");
const haveCt = existsSync(ct);
if (!haveCt) console.warn(`IBSI CT phantom absent at ${ct}: skipping the IBSI interpolation diagnostics`);

describe.skipIf(!haveCt)("IBSI CT phantom interpolation diagnostics (configs B, C, E)", () => {
  // Reference rows of ../shared/data/ibsi/reference_values/ibsi_1_chest_config_{b,c,e}.csv (value, tolerance).
  const cases = [
    {
      cfg: "B",
      method: "linear" as const,
      inPlaneOnly: true,
      dims: [100, 99, 60],
      count: [29842, 100],
      mean: [-47, 0.1],
      min: [-956, 1],
      max: [525, 6],
    },
    {
      cfg: "C",
      method: "linear" as const,
      inPlaneOnly: false,
      dims: [100, 99, 90],
      count: [45985, 100],
      mean: [-48.9, 0.1],
      min: [-939, 1],
      max: [521, 5],
    },
    {
      cfg: "E",
      method: "bspline" as const,
      inPlaneOnly: false,
      dims: [100, 99, 90],
      count: [45985, 100],
      mean: [-48.3, 0.1],
      min: [-966, 1],
      max: [627, 5],
    },
  ];
  const load = () => {
    const img = readNifti(new Uint8Array(readFileSync(path.join(ct, "image/phantom.nii.gz"))));
    // IBSI: convert to float and round to integers before processing.
    const data = Float32Array.from(img.data, (x) => Math.round(x));
    const mask = readNifti(new Uint8Array(readFileSync(path.join(ct, "mask/mask.nii.gz"))));
    return { img: makeVolume(data, img), mask: makeVolume(Uint8Array.from(mask.data), mask) as Mask };
  };
  for (const c of cases) {
    it(`config ${c.cfg}: dims, ROI voxel count and ROI mean/min/max within the IBSI tolerances`, () => {
      const { img, mask } = load();
      const opts = { spacing: [2, 2, 2] as Vec3, inPlaneOnly: c.inPlaneOnly };
      const ri = resampleVolume(img, { ...opts, method: c.method, roundIntensities: true });
      const rm = resampleMask(mask, { ...opts, method: "linear", threshold: 0.5 });
      expect(ri.dims).toEqual(c.dims);
      expect(rm.dims).toEqual(c.dims);
      let n = 0,
        s = 0,
        mn = Infinity,
        mx = -Infinity;
      for (let i = 0; i < rm.data.length; i++) {
        if (!rm.data[i]) continue;
        n++;
        const v = ri.data[i];
        s += v;
        mn = Math.min(mn, v);
        mx = Math.max(mx, v);
      }
      console.log(`IBSI config ${c.cfg}: count ${n}, mean ${(s / n).toFixed(3)}, min ${mn}, max ${mx}`);
      expect(Math.abs(n - c.count[0])).toBeLessThanOrEqual(c.count[1]);
      expect(Math.abs(s / n - c.mean[0])).toBeLessThanOrEqual(c.mean[1]);
      expect(Math.abs(mn - c.min[0])).toBeLessThanOrEqual(c.min[1]);
      expect(Math.abs(mx - c.max[0])).toBeLessThanOrEqual(c.max[1]);
    });
  }
});

describe("resampleToGeometry", () => {
  it("identity grid returns the same values", () => {
    const v = makeVolume(new Int16Array([5, -3, 7, 9, 1, 2, 3, 4]), { dims: [2, 2, 2], spacing: [0.5, 0.7, 3] });
    for (const m of ["nearest", "linear", "bspline"] as ImageInterpolation[]) {
      const r = resampleToGeometry(v, v, m);
      Array.from(r.data).forEach((x, i) => expect(Math.abs(x - v.data[i])).toBeLessThan(1e-4));
    }
  });
});
