/**
 * Acceptance: IBSI digital phantom. Every feature with a consensus value must be within tolerance; a pass count per
 * family is printed. Settings per the manual: no interpolation/re-segmentation, FBN 6 (identical to the raw levels),
 * GLCM symmetric Chebyshev 1, NGLDM alpha 0, all aggregations.
 */
import { describe, expect, it } from "vitest";
import path from "node:path";
import { readFileSync } from "node:fs";
import { readNifti } from "@/lib/imaging/nifti";
import type { Mask } from "@/lib/imaging/volume";
import { extractFeatures } from "./extract";
import { familyOf, readIbsiReference, withinIbsiTolerance } from "./testdata/ibsi-reference";

const root = path.resolve(import.meta.dirname, "../..");
const phantom = path.join(root, "lib/testdata/ibsi-digital-phantom/nifti");
const image = readNifti(new Uint8Array(readFileSync(path.join(phantom, "image/phantom.nii.gz"))));
const maskVol = readNifti(new Uint8Array(readFileSync(path.join(phantom, "mask/mask.nii.gz"))));
const mask: Mask = { ...maskVol, data: Uint8Array.from(maskVol.data, (v) => (v ? 1 : 0)) };
const refs = readIbsiReference(path.join(root, "lib/testdata/ibsi/reference_values/ibsi_1_dig_phantom.csv"));

const result = extractFeatures(image, mask, {
  mode: "ibsi",
  discretisation: { method: "fixedBinNumber", binCount: 6 },
  ivhDiscretisation: { method: "none" },
  aggregation: ["2D", "2.5D", "3D"],
});

describe("IBSI digital phantom (ibsi mode)", () => {
  it("reports a value for every feature with a reference and stays within tolerance", () => {
    const perFamily = new Map<string, { pass: number; total: number; failed: string[] }>();
    for (const r of refs) {
      const fam = familyOf(r.tag);
      const e = perFamily.get(fam) ?? { pass: 0, total: 0, failed: [] };
      e.total++;
      const v = result.features[r.tag];
      if (v !== undefined && withinIbsiTolerance(v, r)) e.pass++;
      else e.failed.push(`${r.tag}: got ${v ?? result.failures[r.tag] ?? "missing"}, ref ${r.value} ± ${r.tolerance}`);
      perFamily.set(fam, e);
    }
    const lines = [...perFamily].map(([f, e]) => `${f}: ${e.pass}/${e.total}`);
    console.log(`IBSI digital phantom pass counts: ${lines.join(", ")}`);
    const failed = [...perFamily.values()].flatMap((e) => e.failed);
    expect(failed).toEqual([]);
  });

  it("carries settings, hash and engine version, and never a non-finite value", () => {
    expect(result.settingsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.engine.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.settings.discretisation).toEqual({ method: "fixedBinNumber", binCount: 6 });
    for (const v of Object.values(result.features)) expect(Number.isFinite(v)).toBe(true);
    for (const k of Object.keys(result.failures)) expect(k in result.features).toBe(false);
  });
});
