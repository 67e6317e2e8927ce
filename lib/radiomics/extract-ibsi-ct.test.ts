/**
 * Acceptance: IBSI CT radiomics phantom, configurations A-E (ibsi_1_chest_config_*.csv), every feature with a
 * consensus value including the diagnostic rows of each processing step. The phantom is CC BY-NC and stays in
 * ../shared; without it these tests are skipped with a message.
 * Settings per the IBSI manual (benchmark chapter); the image is rounded to integers first, as the manual asks.
 */
import { describe, expect, it } from "vitest";
import path from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { readNifti } from "@/lib/imaging/nifti";
import { makeVolume, type Mask, type Volume } from "@/lib/imaging/volume";
import { extractFeatures } from "./extract";
import type { SettingsInput } from "./settings";
import { familyOf, readIbsiReference, withinIbsiTolerance } from "./testdata/ibsi-reference";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const ctDir = path.resolve(repoRoot, "../shared/data/ibsi/ct_phantom");
const refDir = path.resolve(repoRoot, "../shared/data/ibsi/reference_values");
const present = existsSync(path.join(ctDir, "nifti/image/phantom.nii.gz")) && existsSync(refDir);
if (!present) console.log(`IBSI CT phantom absent (${ctDir}): configurations A-E skipped`);

export const CT_CONFIGS: Record<string, SettingsInput> = {
  a: {
    mode: "ibsi",
    aggregation: ["2D", "2.5D"],
    resegmentRange: [-500, 400],
    discretisation: { method: "fixedBinSize", binWidth: 25, lowerBound: null },
    ivhDiscretisation: { method: "none" },
  },
  b: {
    mode: "ibsi",
    aggregation: ["2D", "2.5D"],
    resampledSpacing: [2, 2, 2],
    inPlaneOnly: true,
    interpolator: "linear",
    maskInterpolator: "linear",
    maskThreshold: 0.5,
    roundIntensities: true,
    resegmentRange: [-500, 400],
    discretisation: { method: "fixedBinNumber", binCount: 32 },
    ivhDiscretisation: { method: "none" },
  },
  c: {
    mode: "ibsi",
    aggregation: ["3D"],
    resampledSpacing: [2, 2, 2],
    interpolator: "linear",
    maskInterpolator: "linear",
    roundIntensities: true,
    resegmentRange: [-1000, 400],
    discretisation: { method: "fixedBinSize", binWidth: 25, lowerBound: null },
    ivhDiscretisation: { method: "fbs", binWidth: 2.5 },
  },
  d: {
    mode: "ibsi",
    aggregation: ["3D"],
    resampledSpacing: [2, 2, 2],
    interpolator: "linear",
    maskInterpolator: "linear",
    roundIntensities: true,
    outlierSigma: 3,
    discretisation: { method: "fixedBinNumber", binCount: 32 },
    ivhDiscretisation: { method: "none" },
  },
  // The manual's table lists [-500, 400] for E, but its consensus values (e.g. 44 484 voxels and a minimum of -743 HU
  // after re-segmentation) are only reproduced with [-1000, 400] (then outlier filtering): we use what the values say.
  e: {
    mode: "ibsi",
    aggregation: ["3D"],
    resampledSpacing: [2, 2, 2],
    interpolator: "bspline",
    maskInterpolator: "linear",
    roundIntensities: true,
    resegmentRange: [-1000, 400],
    outlierSigma: 3,
    discretisation: { method: "fixedBinNumber", binCount: 32 },
    ivhDiscretisation: { method: "fbn", binCount: 1000 },
  },
};

function load(): { image: Volume; mask: Mask } {
  const img = readNifti(new Uint8Array(readFileSync(path.join(ctDir, "nifti/image/phantom.nii.gz"))));
  const data = new Float32Array(img.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(img.data[i]);
  const m = readNifti(new Uint8Array(readFileSync(path.join(ctDir, "nifti/mask/mask.nii.gz"))));
  return {
    image: makeVolume(data, img),
    mask: makeVolume(
      Uint8Array.from(m.data, (v) => (v ? 1 : 0)),
      m,
    ),
  };
}

describe.skipIf(!present)("IBSI CT phantom configurations A-E (ibsi mode)", () => {
  const { image, mask } = present ? load() : ({} as ReturnType<typeof load>);
  it.each(Object.keys(CT_CONFIGS))("config %s: every reference value within tolerance", (c) => {
    const refs = readIbsiReference(path.join(refDir, `ibsi_1_chest_config_${c}.csv`));
    const r = extractFeatures(image, mask, CT_CONFIGS[c]);
    const all = { ...r.diagnostics, ...r.features };
    const perFamily = new Map<string, { pass: number; total: number }>();
    const failed: string[] = [];
    for (const ref of refs) {
      const fam = familyOf(ref.tag);
      const e = perFamily.get(fam) ?? { pass: 0, total: 0 };
      e.total++;
      const v = all[ref.tag];
      if (v !== undefined && withinIbsiTolerance(v, ref)) e.pass++;
      else failed.push(`${ref.tag}: got ${v ?? r.failures[ref.tag] ?? "missing"}, ref ${ref.value} ± ${ref.tolerance}`);
      perFamily.set(fam, e);
    }
    const total = [...perFamily.values()].reduce((a, e) => a + e.pass, 0);
    console.log(
      `IBSI CT config ${c.toUpperCase()}: ${total}/${refs.length} (${[...perFamily].map(([f, e]) => `${f} ${e.pass}/${e.total}`).join(", ")})`,
    );
    if (failed.length) console.log(`config ${c.toUpperCase()} failures:\n  ${failed.join("\n  ")}`);
    console.log(`config ${c.toUpperCase()} failures: ${failed.length}`);
    expect(failed).toEqual([]);
  });
});
