/**
 * Acceptance: pyradiomics parity of the whole orchestrator output on brain1, brain2 and breast1, column by column
 * of pyradiomics' baseline CSVs (shape, firstorder, glcm, glrlm, glszm, gldm, ngtdm), with each column's own settings
 * read from its diagnostics_Configuration_Settings row.
 *  - columns without resampling: every feature within 1e-6 relative (0 baselines exactly);
 *  - *_resampling columns: within 3 % (our B-spline follows scipy's boundary handling, ITK's differs slightly);
 *  - *_flatRegion columns (a single grey level): a value within 1e-6, or an explicit failure with a reason;
 *  - known upstream staleness: the brain1 column's shape MeshVolume, SurfaceArea, Sphericity, SurfaceVolumeRatio were
 *    computed by an older pyradiomics marching cubes; we differ by 1.2e-4 ... 9.1e-4 there (asserted < 2e-3). The same
 *    mesh code matches brain1_resampling, brain2 and breast1 to ~1e-12, and our table reproduces pyradiomics' current
 *    per-configuration area and volume for all 254 cube configurations.
 */
import { describe, expect, it } from "vitest";
import path from "node:path";
import { readFileSync } from "node:fs";
import { readNrrd } from "@/lib/imaging/nrrd";
import type { Mask, Volume } from "@/lib/imaging/volume";
import { extractFeatures, type RadiomicsResult } from "./extract";
import { canonicalJson } from "../hash/canonical-json";
import { baselineSettings, baselineValue, readBaseline, type Baseline } from "./testdata/pyradiomics-baseline";
import type { Family } from "./settings";

const data = path.resolve(import.meta.dirname, "../testdata/pyradiomics");
const CASES = ["brain1", "brain2", "breast1"] as const;
const CLASSES: [string, Family, string][] = [
  ["shape", "morphology", "baseline"],
  ["firstorder", "intensity_statistics", "baseline"],
  ["glcm", "glcm", "baseline-matrices"],
  ["glrlm", "glrlm", "baseline-matrices"],
  ["glszm", "glszm", "baseline-matrices"],
  ["gldm", "ngldm", "baseline-matrices"],
  ["ngtdm", "ngtdm", "baseline-matrices"],
];
const STALE_BRAIN1_SHAPE = new Set(
  ["MeshVolume", "SurfaceArea", "Sphericity", "SurfaceVolumeRatio"].map((f) => `original_shape_${f}`),
);

const baselines = new Map<string, Baseline>(
  CLASSES.map(([cls, , dir]) => [cls, readBaseline(path.join(data, dir, `baseline_${cls}.csv`))]),
);
const images = new Map<string, { image: Volume; mask: Mask }>(
  CASES.map((c) => {
    const image = readNrrd(new Uint8Array(readFileSync(path.join(data, `${c}_image.nrrd`))));
    const m = readNrrd(new Uint8Array(readFileSync(path.join(data, `${c}_label.nrrd`))));
    return [c, { image, mask: { ...m, data: Uint8Array.from(m.data) } }];
  }),
);

// One extraction per (case, settings): columns with equal settings across classes share it.
const cache = new Map<string, RadiomicsResult>();
function resultFor(c: string, column: string, cls: string, family: Family): RadiomicsResult {
  const s = baselineSettings(baselines.get(cls)!, column);
  const key = `${c}|${canonicalJson(s)}`;
  let r = cache.get(key);
  if (!r) {
    const { image, mask } = images.get(c)!;
    r = extractFeatures(image, mask, { ...s, families: CLASSES.map(([, f]) => f) });
    cache.set(key, r);
  }
  expect(r.settings.families).toContain(family);
  return r;
}

interface Row {
  cls: string;
  family: Family;
  column: string;
  c: string;
}
const rows: Row[] = [];
for (const [cls, family] of CLASSES) {
  for (const column of baselines.get(cls)!.columns) {
    const c = column.split("_")[0];
    if ((CASES as readonly string[]).includes(c)) rows.push({ cls, family, column, c });
  }
}

describe("pyradiomics parity (orchestrator, all classes)", () => {
  it.each(rows.map((r) => [`${r.column} ${r.cls}`, r] as const))("%s", (_label, { cls, family, column, c }) => {
    const b = baselines.get(cls)!;
    const r = resultFor(c, column, cls, family);
    const resampled = column.endsWith("_resampling");
    const flat = column.endsWith("_flatRegion");
    const problems: string[] = [];
    let worst = 0;
    for (const name of b.rows.keys()) {
      if (!name.startsWith("original_")) continue;
      const ref = baselineValue(b, name, column);
      if (ref === undefined) continue;
      const v = r.features[name];
      if (v === undefined) {
        if (flat && name in r.failures) continue;
        problems.push(`${name}: missing (${r.failures[name] ?? "not computed"})`);
        continue;
      }
      const rel = ref === 0 ? Math.abs(v) : Math.abs(v / ref - 1);
      const tol = resampled ? 0.03 : column === "brain1" && STALE_BRAIN1_SHAPE.has(name) ? 2e-3 : 1e-6;
      if (!(rel <= tol)) problems.push(`${name}: ${v} vs ${ref} (rel ${rel.toExponential(2)} > ${tol})`);
      else worst = Math.max(worst, rel);
    }
    expect(problems).toEqual([]);
    expect(worst).toBeLessThanOrEqual(resampled ? 0.03 : 2e-3);
  });

  it("names exactly pyradiomics' 107 default features for the 7 classes", () => {
    const r = resultFor("breast1", "breast1", "firstorder", "intensity_statistics");
    const names = [...Object.keys(r.features), ...Object.keys(r.failures)];
    expect(names.length).toBe(107);
    for (const [cls] of CLASSES) {
      for (const name of baselines.get(cls)!.rows.keys())
        if (name.startsWith("original_")) expect(names).toContain(name);
    }
  });
});
