/**
 * pyradiomics parity on brain1, brain2, breast1 (binWidth 25, 3D, distance 1, symmetrical GLCM):
 * texture matrices against pyradiomics' baseline .npy files (absolute 1e-3, shapes exact) and texture features
 * against the baseline CSVs (relative 1e-6), plus the force2D (_2d), binCount 64 (_FBN) and weightingNorm
 * no_weighting (_combined) columns; and the _flatRegion column (binWidth 5000: a single grey level), where every
 * feature either matches or is an explicit failure whose reason states the constant pyradiomics substitutes, which
 * must be the baseline's value.
 */
import { describe, expect, it } from "vitest";
import { computeTextureFamily, computeTextureMatrices } from "./index";
import { pyradiomicsBaseline, pyradiomicsCase, readNpy, type PyradCase } from "./testdata/fixtures";
import type { TextureFamily, TextureOptions } from "./types";

const CASES: PyradCase[] = ["brain1", "brain2", "breast1"];
const CLASSES: [string, TextureFamily][] = [
  ["glcm", "glcm"],
  ["glrlm", "glrlm"],
  ["glszm", "glszm"],
  ["gldm", "ngldm"],
  ["ngtdm", "ngtdm"],
];
const rois = new Map(CASES.map((c) => [c, pyradiomicsCase(c)]));

describe.each(CASES)("pyradiomics matrices: %s", (c) => {
  it.each(CLASSES)("%s matches the baseline .npy", (cls, fam) => {
    const ref = readNpy(`pyradiomics/baseline-matrices/${c}_${cls}.npy`);
    const m = computeTextureMatrices(fam, rois.get(c)!, { mode: "pyradiomics" });
    expect(m.shape).toEqual(ref.shape);
    let maxErr = 0;
    for (let k = 0; k < ref.data.length; k++) maxErr = Math.max(maxErr, Math.abs(m.data[k] - ref.data[k]));
    expect(maxErr).toBeLessThanOrEqual(1e-3);
  });
});

const VARIANTS: [string, TextureOptions, { binCount?: number }][] = [
  ["", { mode: "pyradiomics" }, {}],
  ["_2d", { mode: "pyradiomics", force2D: true }, {}],
  ["_FBN", { mode: "pyradiomics" }, { binCount: 64 }],
  ["_combined", { mode: "pyradiomics", weightingNorm: "no_weighting" }, {}],
];

const baselines = new Map(CLASSES.map(([cls]) => [cls, pyradiomicsBaseline(cls)]));

describe.each(CASES.flatMap((c) => VARIANTS.map((v) => [`${c}${v[0]}`, c, v[1], v[2]] as const)))(
  "pyradiomics features: %s",
  (column, c, opts, disc) => {
    const roi = disc.binCount ? pyradiomicsCase(c, { binCount: disc.binCount }) : rois.get(c)!;
    // The _combined (weightingNorm) column exists for the angle-based classes only.
    const classes = column.endsWith("_combined")
      ? CLASSES.filter(([cls]) => cls === "glcm" || cls === "glrlm")
      : CLASSES;
    const rows = classes.flatMap(([cls, fam]) => {
      const base = baselines.get(cls)!;
      const r = computeTextureFamily(fam, roi, opts);
      return [...base.entries()].map(([name, cols]) => {
        if (!cols.has(column)) throw new Error(`baseline_${cls}.csv has no column ${column}`);
        return [name, cols.get(column)!, r.values[name], r.failures[name]] as const;
      });
    });
    it.each(rows)("%s", (name, ref, v, failure) => {
      expect(failure, `${name} failed: ${failure}`).toBeUndefined();
      expect(v, `${name} missing`).toBeTypeOf("number");
      if (ref === 0) expect(v).toBe(0);
      else expect(Math.abs(v / ref - 1), `${name}: ${v} vs baseline ${ref}`).toBeLessThanOrEqual(1e-6);
    });
  },
);

describe.each(CASES)("pyradiomics flat region (single grey level): %s", (c) => {
  const roi = pyradiomicsCase(c, { binWidth: 5000 });
  const rows = CLASSES.flatMap(([cls, fam]) => {
    const r = computeTextureFamily(fam, roi, { mode: "pyradiomics" });
    return [...baselines.get(cls)!.entries()].map(
      ([name, cols]) => [name, cols.get(`${c}_flatRegion`)!, r.values[name], r.failures[name]] as const,
    );
  });

  it("is a single grey level", () => {
    expect(new Set(Array.from(roi.levels).filter((l) => l > 0))).toEqual(new Set([1]));
  });

  it.each(rows)("%s", (name, ref, v, failure) => {
    expect(Number.isNaN(ref)).toBe(false);
    if (failure !== undefined) {
      expect(v).toBeUndefined();
      const m = /pyradiomics returns (\S+)/.exec(failure);
      expect(m, `${name}: reason "${failure}" names no pyradiomics constant`).not.toBeNull();
      expect(Number(m![1])).toBe(ref);
      return;
    }
    expect(v).toBeTypeOf("number");
    if (Math.abs(ref) < 1e-12) expect(Math.abs(v)).toBeLessThan(1e-12);
    else expect(Math.abs(v / ref - 1), `${name}: ${v} vs baseline ${ref}`).toBeLessThanOrEqual(1e-6);
  });
});
