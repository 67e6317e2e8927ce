/**
 * IBSI digital phantom: every texture feature with an IBSI consensus value, for every aggregation listed.
 * The consensus values are published rounded to 3 significant digits (tolerance 0 on the phantom), so a value passes
 * when |computed - reference| <= tolerance + half a unit of the third significant digit of the reference.
 */
import { describe, expect, it } from "vitest";
import { computeTextureFamily } from "./index";
import { digitalPhantom, ibsiReference } from "./testdata/fixtures";
import type { Aggregation, TextureFamily } from "./types";

const PREFIX: Record<string, TextureFamily> = {
  cm: "glcm",
  rlm: "glrlm",
  szm: "glszm",
  dzm: "gldzm",
  ngt: "ngtdm",
  ngl: "ngldm",
};
const SUFFIX: [string, Aggregation][] = [
  ["_2D_avg", "2D_avg"],
  ["_2D_comb", "2D_smrg"],
  ["_2_5D_avg", "2.5D_dmrg"],
  ["_2_5D_comb", "2.5D_mrg"],
  ["_3D_avg", "3D_avg"],
  ["_3D_comb", "3D_mrg"],
  ["_2_5D", "2.5D"],
  ["_2D", "2D"],
  ["_3D", "3D"],
];

function roundingHalfUnit(ref: number): number {
  if (ref === 0) return 1e-12;
  return 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(ref))) - 2);
}

const reference = ibsiReference("ibsi_1_dig_phantom.csv");
const roi = digitalPhantom();

const rows = [...reference.entries()].filter(([tag]) => PREFIX[tag.split("_")[0]] !== undefined);
const wanted = new Map<TextureFamily, Set<Aggregation>>();
for (const [tag] of rows) {
  const fam = PREFIX[tag.split("_")[0]];
  const agg = SUFFIX.find(([s]) => tag.endsWith(s))![1];
  if (!wanted.has(fam)) wanted.set(fam, new Set());
  wanted.get(fam)!.add(agg);
}
const computed: Record<string, number> = {};
const failures: Record<string, string> = {};
for (const [fam, aggs] of wanted) {
  const r = computeTextureFamily(fam, roi, { mode: "ibsi", aggregation: [...aggs] });
  Object.assign(computed, r.values);
  Object.assign(failures, r.failures);
}

describe("IBSI digital phantom texture features", () => {
  it("has the phantom's geometry and grey levels", () => {
    expect(roi.dims).toEqual([5, 4, 4]);
    expect(roi.nLevels).toBe(6);
    expect(Array.from(roi.levels).filter((l) => l > 0).length).toBe(74);
  });

  it("covers every texture row of the reference table", () => {
    expect(rows.length).toBeGreaterThan(300);
  });

  it.each(rows)("%s", (tag, ref) => {
    expect(failures[tag], `failure reported for ${tag}`).toBeUndefined();
    const v = computed[tag];
    expect(v, `no value for ${tag}`).toBeTypeOf("number");
    const allowed = ref.tolerance + roundingHalfUnit(ref.value);
    expect(Math.abs(v - ref.value), `${tag}: computed ${v}, reference ${ref.text}`).toBeLessThanOrEqual(allowed);
  });
});
