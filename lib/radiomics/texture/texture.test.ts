import { describe, expect, it } from "vitest";
import { NacError } from "@/lib/errors/nac-error";
import { symmetricEigenvalues } from "./eigen";
import { glcmCounts, pyradGlcmWeight } from "./glcm";
import { identityRows } from "./levels";
import { computeTextureFamily, computeTextureMatrices, TEXTURE_FAMILIES } from "./index";
import { pyradiomicsAngles, roiBox } from "./neighbourhood";
import type { DiscretisedRoi } from "./types";

function roiFrom(
  dims: [number, number, number],
  levels: number[],
  nLevels?: number,
  morphMask?: number[],
): DiscretisedRoi {
  return {
    dims,
    spacing: [1, 1, 1],
    levels: Int32Array.from(levels),
    nLevels: nLevels ?? Math.max(...levels),
    morphMask: morphMask ? Uint8Array.from(morphMask) : undefined,
  };
}

function expectNoNaN(values: Record<string, number>) {
  for (const [k, v] of Object.entries(values)) expect(Number.isFinite(v), `${k} = ${v}`).toBe(true);
}

describe("GLCM counts", () => {
  it("reproduce pyradiomics' documented 5x5 example (0 degrees, symmetrical)", () => {
    // Rows of the image are y, columns x.
    const img = [1, 2, 5, 2, 3, 3, 2, 1, 3, 1, 1, 3, 5, 5, 2, 1, 1, 1, 1, 2, 1, 2, 4, 3, 5];
    const roi = roiFrom([5, 5, 1], img, 5);
    const c = glcmCounts(roi, Int32Array.from([1, 0, 0]), identityRows(5), 5);
    const sym = Array.from({ length: 25 }, (_, k) => c[k] + c[(k % 5) * 5 + Math.floor(k / 5)]);
    expect(sym).toEqual([6, 4, 3, 0, 0, 4, 0, 2, 1, 3, 3, 2, 0, 1, 2, 0, 1, 1, 0, 0, 0, 3, 2, 0, 2]);
  });

  it("pyradiomics' 13 angles in its order, in-plane only with force2D, none beyond a flat bounding box", () => {
    const roi = roiFrom([3, 3, 3], new Array(27).fill(1));
    const a = Array.from(pyradiomicsAngles(roiBox(roi), 1, false, false));
    expect(a.length / 3).toBe(13);
    expect(a.slice(0, 6)).toEqual([1, 1, 1, 0, 1, 1]); // (z,y,x) = (1,1,1) then (1,1,0), as [dx,dy,dz]
    expect(a.slice(36)).toEqual([1, 0, 0]); // last: (0,0,1)
    expect(pyradiomicsAngles(roiBox(roi), 1, false, true).length / 3).toBe(4);
    expect(pyradiomicsAngles(roiBox(roi), 1, true, false).length / 3).toBe(26);
    // distances [1, 2]: 13 + 49 unique offsets (5^3 - 3^3 = 98 for distance 2, halved)
    const big = roiFrom([5, 5, 5], new Array(125).fill(1));
    expect(pyradiomicsAngles(roiBox(big), [1, 2], false, false).length / 3).toBe(13 + 49);
    expect(pyradiomicsAngles(roiBox(big), 2, true, false).length / 3).toBe(98);
    const flat = roiFrom([3, 3, 1], new Array(9).fill(1));
    expect(pyradiomicsAngles(roiBox(flat), 1, false, false).length / 3).toBe(4);
  });
});

describe("pyradiomics GLCM angle weights (weightingNorm)", () => {
  it("uses the spacing-scaled offset in each norm, as glcm.py", () => {
    const o = [1, 1, 1];
    const sp = [0.5, 0.5, 3];
    expect(pyradGlcmWeight("infinity", o, sp)).toBeCloseTo(Math.exp(-9), 15);
    expect(pyradGlcmWeight("euclidean", o, sp)).toBeCloseTo(Math.exp(-9.5), 15);
    expect(pyradGlcmWeight("manhattan", o, sp)).toBeCloseTo(Math.exp(-16), 15);
    expect(pyradGlcmWeight("no_weighting", o, sp)).toBe(1);
  });
});

describe("symmetric eigenvalues", () => {
  it("recovers the spectrum of Q D Q^T", () => {
    const n = 6;
    const d = [3, -1, 0.5, 0.5, 2, 10];
    const v = [1, -2, 0.5, 3, 1, -1];
    const vv = v.reduce((s, x) => s + x * x, 0);
    const Q = (i: number, j: number) => (i === j ? 1 : 0) - (2 * v[i] * v[j]) / vv;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += Q(i, k) * d[k] * Q(j, k);
        A[i * n + j] = s;
      }
    const ev = Array.from(symmetricEigenvalues(A, n));
    const want = [...d].sort((a, b) => a - b);
    ev.forEach((e, k) => expect(e).toBeCloseTo(want[k], 12));
  });
});

describe("degenerate ROIs give explicit failures, never NaN", () => {
  const flat = roiFrom([3, 3, 3], new Array(27).fill(1), 4);

  it("IBSI mode on a single grey level", () => {
    for (const fam of TEXTURE_FAMILIES) {
      const r = computeTextureFamily(fam, flat, { mode: "ibsi" });
      expectNoNaN(r.values);
      for (const k of Object.keys(r.failures)) expect(r.values[k]).toBeUndefined();
    }
    const cm = computeTextureFamily("glcm", flat, { mode: "ibsi" });
    expect(cm.failures.cm_corr_3D_avg).toMatch(/single grey level/);
    expect(cm.failures.cm_info_corr1_3D_avg).toMatch(/entropies are 0/);
    expect(cm.values.cm_joint_max_3D_avg).toBe(1);
    const ngt = computeTextureFamily("ngtdm", flat, { mode: "ibsi" });
    expect(Object.keys(ngt.failures).sort()).toEqual([
      "ngt_busyness_3D",
      "ngt_coarseness_3D",
      "ngt_contrast_3D",
      "ngt_strength_3D",
    ]);
    expect(ngt.values.ngt_complexity_3D).toBe(0);
  });

  it("pyradiomics mode on a single grey level states pyradiomics' constant", () => {
    const cm = computeTextureFamily("glcm", flat, { mode: "pyradiomics" });
    expectNoNaN(cm.values);
    expect(cm.failures.original_glcm_Correlation).toMatch(/pyradiomics returns 1$/);
    expect(cm.failures.original_glcm_MCC).toMatch(/pyradiomics returns 1$/);
    const ngt = computeTextureFamily("ngtdm", flat, { mode: "pyradiomics", imageTypePrefix: "wavelet-LLH" });
    expect(ngt.failures["wavelet-LLH_ngtdm_Coarseness"]).toMatch(/pyradiomics returns 1e6/);
  });

  it("a single voxel: no co-occurrences and no neighbourhoods", () => {
    const one = roiFrom([3, 1, 1], [0, 2, 0], 2);
    const cm = computeTextureFamily("glcm", one, { mode: "ibsi", aggregation: ["3D_avg", "2D_avg"] });
    expect(Object.keys(cm.values)).toEqual([]);
    expect(cm.failures.cm_contrast_3D_avg).toMatch(/empty/);
    const rl = computeTextureFamily("glrlm", one, { mode: "ibsi" });
    expect(rl.values.rlm_sre_3D_avg).toBe(1);
    expect(rl.values.rlm_r_perc_3D_avg).toBe(1);
    const ngt = computeTextureFamily("ngtdm", one, { mode: "ibsi" });
    expect(Object.keys(ngt.values)).toEqual([]);
    const py = computeTextureFamily("glcm", one, { mode: "pyradiomics" });
    expect(Object.keys(py.values)).toEqual([]);
    expect(py.failures.original_glcm_Contrast).toMatch(/empty/);
  });
});

describe("GLDZM distances use the morphological mask (IBSI)", () => {
  // 5x5 ROI: level 1 with a level-2 centre. 2D (4-connected) border distances: ring 1, ring 2, centre 3.
  const inner = (x: number, y: number) => x >= 1 && x <= 5 && y >= 1 && y <= 5;
  const levels: number[] = [];
  const morph: number[] = [];
  for (let y = 0; y < 7; y++)
    for (let x = 0; x < 7; x++) {
      levels.push(!inner(x, y) ? 0 : x === 3 && y === 3 ? 2 : 1);
      morph.push(1);
    }

  it("zone distance = smallest border distance of its voxels", () => {
    const r = computeTextureFamily("gldzm", roiFrom([7, 7, 1], levels, 2), { mode: "ibsi", aggregation: "2D" });
    // zones (level 1, d 1) and (level 2, d 3): large distance emphasis (1 + 9) / 2
    expect(r.values.dzm_lde_2D).toBeCloseTo(5, 14);
    expect(r.values.dzm_sde_2D).toBeCloseTo((1 + 1 / 9) / 2, 14);
  });

  it("a larger morphological mask moves the border outwards", () => {
    const r = computeTextureFamily("gldzm", roiFrom([7, 7, 1], levels, 2, morph), { mode: "ibsi", aggregation: "2D" });
    expect(r.values.dzm_lde_2D).toBeCloseTo((4 + 16) / 2, 14);
  });
});

describe("GLRLM runs", () => {
  it("runs stop at voxels outside the ROI and at level changes", () => {
    const roi = roiFrom([7, 1, 1], [1, 1, 0, 1, 2, 2, 2], 2);
    const m = computeTextureMatrices("glrlm", roi, { mode: "pyradiomics" });
    // 1 angle along x; levels 1, 2; run lengths kept: 1, 2, 3
    expect(m.shape).toEqual([2, 3, 1]);
    expect(Array.from(m.data)).toEqual([1, 1, 0, 0, 0, 1]);
  });
});

describe("options", () => {
  const roi = roiFrom([2, 2, 1], [1, 2, 2, 1]);
  it("rejects aggregations a family does not define and pyradiomics GLDZM", () => {
    expect(() => computeTextureFamily("glszm", roi, { mode: "ibsi", aggregation: "3D_avg" })).toThrow(NacError);
    expect(() => computeTextureFamily("glcm", roi, { mode: "ibsi", aggregation: "3D" })).toThrow(
      /not defined for glcm/,
    );
    expect(() => computeTextureFamily("gldzm", roi, { mode: "pyradiomics" })).toThrow(/no GLDZM/);
    expect(() => computeTextureFamily("glcm", roi, { mode: "pyradiomics", aggregation: "3D_avg" })).toThrow(NacError);
    expect(() => computeTextureFamily("glcm", roi, { mode: "ibsi", distance: 0 })).toThrow(NacError);
    expect(() => computeTextureFamily("glcm", roi, { mode: "ibsi", distance: [1, 2] })).toThrow(/one distance/);
    expect(
      computeTextureFamily("glcm", roi, { mode: "pyradiomics", distance: [1, 2] }).values.original_glcm_Contrast,
    ).toBeGreaterThan(0);
  });
  it("rejects levels above nLevels", () => {
    expect(() =>
      computeTextureFamily("glcm", { ...roi, levels: Int32Array.from([1, 3, 0, 0]), nLevels: 2 }, { mode: "ibsi" }),
    ).toThrow(/exceeds nLevels/);
  });
});
