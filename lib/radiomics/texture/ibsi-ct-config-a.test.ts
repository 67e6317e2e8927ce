/**
 * IBSI CT phantom, configuration A (2D; no interpolation; re-segmentation [-500, 400] HU; fixed bin size 25 HU from
 * -500): every texture feature with a reference value, within the published tolerance (plus half a unit of the
 * reference's third significant digit, as the values are rounded). The phantom is CC BY-NC and stays in ../shared:
 * skipped when absent.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readNifti } from "@/lib/imaging/nifti";
import { discretiseIbsi } from "../discretise";
import { computeTextureFamily } from "./index";
import type { Aggregation, DiscretisedRoi, TextureFamily } from "./types";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const ibsiDir = path.resolve(repoRoot, "../shared/data/ibsi");
const present = existsSync(path.join(ibsiDir, "ct_phantom/nifti/image/phantom.nii.gz"));
if (!present) console.log(`IBSI CT phantom absent (${ibsiDir}/ct_phantom): configuration A texture test skipped`);

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
  ["_2_5D", "2.5D"],
  ["_2D", "2D"],
];

function configA(): DiscretisedRoi {
  const im = readNifti(new Uint8Array(readFileSync(path.join(ibsiDir, "ct_phantom/nifti/image/phantom.nii.gz"))));
  const mk = readNifti(new Uint8Array(readFileSync(path.join(ibsiDir, "ct_phantom/nifti/mask/mask.nii.gz"))));
  const n = im.data.length;
  const values = new Float64Array(n);
  const morph = new Uint8Array(n);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    values[i] = Math.round(im.data[i]); // the manual: round CT intensities to integers
    morph[i] = mk.data[i] > 0 ? 1 : 0;
    mask[i] = morph[i] && values[i] >= -500 && values[i] <= 400 ? 1 : 0;
  }
  return discretiseIbsi(
    { dims: im.dims, spacing: im.spacing, values, mask, morphMask: morph },
    { method: "FBS", binWidth: 25, lowerBound: -500 },
  );
}

describe.skipIf(!present)("IBSI CT phantom configuration A texture features", () => {
  const lines = present
    ? readFileSync(path.join(ibsiDir, "reference_values/ibsi_1_chest_config_a.csv"), "utf8").split(/\r?\n/)
    : [];
  const rows = lines
    .map((l) => l.split(";"))
    .filter(([v, , tag]) => tag && v !== "" && PREFIX[tag.split("_")[0]] !== undefined)
    .map(([v, t, tag]) => [tag, Number(v), Number(t || 0)] as const);
  const roi = present ? configA() : null;
  const computed: Record<string, number> = {};
  const failures: Record<string, string> = {};
  if (roi) {
    const wanted = new Map<TextureFamily, Set<Aggregation>>();
    for (const [tag] of rows) {
      const fam = PREFIX[tag.split("_")[0]];
      if (!wanted.has(fam)) wanted.set(fam, new Set());
      wanted.get(fam)!.add(SUFFIX.find(([s]) => tag.endsWith(s))![1]);
    }
    for (const [fam, aggs] of wanted) {
      const r = computeTextureFamily(fam, roi, { mode: "ibsi", aggregation: [...aggs] });
      Object.assign(computed, r.values);
      Object.assign(failures, r.failures);
    }
  }

  it("has reference rows for every family", () => {
    expect(new Set(rows.map(([t]) => t.split("_")[0]))).toEqual(new Set(Object.keys(PREFIX)));
  });

  it.each(rows)("%s", (tag, ref, tol) => {
    expect(failures[tag]).toBeUndefined();
    const half = ref === 0 ? 0 : 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(ref))) - 2);
    expect(Math.abs(computed[tag] - ref), `${tag}: ${computed[tag]} vs ${ref} ± ${tol}`).toBeLessThanOrEqual(
      tol + half,
    );
  });
});
