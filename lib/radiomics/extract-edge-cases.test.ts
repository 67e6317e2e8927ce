/** Degenerate ROIs: every feature is a finite value or an explicit failure with a reason; nothing throws but bad input. */
import { describe, expect, it } from "vitest";
import { makeVolume, type Vec3 } from "@/lib/imaging/volume";
import { isNacError } from "@/lib/errors";
import { extractFeatures } from "./extract";

const dims: Vec3 = [8, 7, 6];
const n = dims[0] * dims[1] * dims[2];
const idx = (x: number, y: number, z: number) => x + dims[0] * (y + dims[1] * z);

function image(flat = false) {
  const d = new Int16Array(n);
  for (let i = 0; i < n; i++) d[i] = flat ? 100 : (i * 37) % 211;
  return makeVolume(d, { dims, spacing: [1, 1.2, 2.5] });
}

function maskOf(cells: [number, number, number][]) {
  const m = new Uint8Array(n);
  for (const c of cells) m[idx(...c)] = 1;
  return makeVolume(m, { dims, spacing: [1, 1.2, 2.5] });
}

const single = maskOf([[3, 3, 3]]);
const planar: [number, number, number][] = [];
for (let x = 2; x < 6; x++) for (let y = 2; y < 5; y++) planar.push([x, y, 2]);
const block: [number, number, number][] = [];
for (let x = 1; x < 6; x++) for (let y = 1; y < 6; y++) for (let z = 1; z < 5; z++) block.push([x, y, z]);

describe.each([
  ["one voxel", single, false],
  ["one slice", maskOf(planar), false],
  ["flat intensities", maskOf(block), true],
] as const)("%s", (_name, mask, flat) => {
  it.each(["ibsi", "pyradiomics"] as const)("%s mode: only finite values and explicit failures", (mode) => {
    const r = extractFeatures(image(flat), mask, {
      mode,
      aggregation: mode === "ibsi" ? ["2D", "2.5D", "3D"] : undefined,
    });
    const names = [...Object.keys(r.features), ...Object.keys(r.failures)];
    expect(names.length).toBeGreaterThan(mode === "ibsi" ? 150 : 100);
    for (const v of Object.values(r.features)) expect(Number.isFinite(v)).toBe(true);
    for (const [k, reason] of Object.entries(r.failures)) {
      expect(k in r.features).toBe(false);
      expect(reason.length).toBeGreaterThan(5);
    }
    if (flat && mode === "ibsi") expect(r.failures.stat_skew).toMatch(/zero variance/);
    if (flat && mode === "pyradiomics") expect(r.features.original_firstorder_Skewness).toBe(0);
  });
});

describe("input errors", () => {
  it("throws MASK_EMPTY for an absent label and SETTINGS_INVALID for unknown settings", () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isNacError(e) ? e.code : "other";
      }
      return "none";
    };
    expect(codeOf(() => extractFeatures(image(), single, { label: 2 }))).toBe("MASK_EMPTY");
    expect(codeOf(() => extractFeatures(image(), single, { binWidth: 25 }))).toBe("SETTINGS_INVALID");
    const other = makeVolume(new Uint8Array(n), { dims, spacing: [1, 1, 1] });
    expect(codeOf(() => extractFeatures(image(), other))).toBe("GEOMETRY_MISMATCH");
  });
  it("reports families as failures when re-segmentation empties the intensity mask", () => {
    const r = extractFeatures(image(), maskOf(block), { mode: "ibsi", resegmentRange: [5000, 6000] });
    expect(r.features.morph_volume).toBeGreaterThan(0);
    expect(r.failures["family:intensity_statistics"]).toMatch(/empty after re-segmentation/);
  });
});

describe("resampling spacing 0", () => {
  it("keeps the original spacing on that axis (pyradiomics semantics)", () => {
    const r = extractFeatures(image(), maskOf(block), {
      mode: "pyradiomics",
      resampledSpacing: [2, 2, 0],
      families: ["morphology"],
    });
    expect(r.diagnostics.vox_dim_x_interp_img).toBe(2);
    expect(r.diagnostics.vox_dim_z_interp_img).toBe(2.5);
  });
});
