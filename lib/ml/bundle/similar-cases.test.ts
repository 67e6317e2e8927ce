import { describe, expect, it } from "vitest";
import { plantedSignal } from "../protocol/testdata/synthetic";
import { runProtocol } from "../protocol/run-protocol";
import { buildBundle, loadBundleOrThrow, similarCases, trainingCasesOf } from "./index";

const data = plantedSignal({ rows: 90, features: 12, informative: 3, shift: 1.2, seed: 3 });
for (let i = 4; i < data.X.data.length; i += 37) data.X.data[i] = Number.NaN;
const rowIds = Array.from({ length: data.X.rows }, (_, i) => `MRN-${1000 + i}`);
const cfg = {
  partitions: 2,
  mrmr: { k: 6 },
  rfe: { mode: "count" as const, nFeatures: 3 },
  classifier: { type: "logistic" as const },
};
const result = runProtocol({ ...data, rowIds }, cfg);
const response = Uint8Array.from(data.y, (v, i) => (i % 3 === 0 ? 1 - v : v));

function bundle(withCases: boolean) {
  return buildBundle({
    bundleId: "similar",
    bundleVersion: "1",
    modelCard: { title: "t", intendedUse: "tests", limitations: [], trainingData: "synthetic", demo: true },
    featureSpec: data.featureNames.map((name) => ({ name })),
    endpoints: { pcr: { result, X: data.X, label: "pCR" } },
    ...(withCases
      ? {
          trainingCases: trainingCasesOf(
            data.X,
            data.featureNames,
            { pcr: data.y, response },
            result.final!.selectedFeatures,
          ),
        }
      : {}),
  });
}

describe("similar cases", () => {
  it("returns the k nearest training patients with their outcomes, in the standardised selected-feature space", () => {
    const lb = loadBundleOrThrow(JSON.stringify(bundle(true)));
    const r = 17;
    const row = Object.fromEntries(data.featureNames.map((f, c) => [f, data.X.data[r * data.X.cols + c]]));
    const s = similarCases(lb, row, "pcr", 5)!;
    expect(s).toHaveLength(5);
    expect(s.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5]);
    // A training patient's own row is its nearest case, at distance 0, with its own outcomes.
    expect(s[0].distance).toBe(0);
    expect(s[0].outcomes).toEqual({ pcr: data.y[r], response: response[r] });
    for (let i = 1; i < s.length; i++) expect(s[i].distance).toBeGreaterThanOrEqual(s[i - 1].distance);
    expect(s[0].features.map((f) => f.feature)).toEqual(lb.bundle.endpoints.pcr.final.selectedFeatures);
    // Brute force: the 5th distance is the 5th smallest over all training rows (z-scores of the final preprocessor).
    const e = lb.bundle.endpoints.pcr;
    const z = (f: string, v: number) => {
      const i = e.featureNames.indexOf(f);
      return (
        ((Number.isNaN(v) ? e.final.preprocessor.medians[i] : v) - e.final.preprocessor.means[i]) /
        e.final.preprocessor.scales[i]
      );
    };
    const all = Array.from({ length: data.X.rows }, (_, q) =>
      Math.sqrt(
        e.final.selectedFeatures.reduce(
          (acc, f) => acc + (z(f, data.X.data[q * data.X.cols + data.featureNames.indexOf(f)]) - z(f, row[f])) ** 2,
          0,
        ),
      ),
    ).sort((a, b) => a - b);
    expect(s[4].distance).toBeCloseTo(all[4], 12);
  });

  it("never carries or returns a name or an identifier; rows are not in the training order", () => {
    const b = bundle(true);
    const casesJson = JSON.stringify(b.trainingCases);
    for (const id of rowIds) expect(casesJson).not.toContain(id);
    expect(Object.keys(b.trainingCases!)).toEqual(["features", "rows"]);
    for (const r of b.trainingCases!.rows) expect(Object.keys(r).sort()).toEqual(["outcomes", "values"]);
    const firstCol = data.featureNames.indexOf(b.trainingCases!.features[0]);
    const inTableOrder = b.trainingCases!.rows.every(
      (r, i) =>
        r.values[0] ===
        (Number.isNaN(data.X.data[i * data.X.cols + firstCol]) ? null : data.X.data[i * data.X.cols + firstCol]),
    );
    expect(inTableOrder).toBe(false);
    const lb = loadBundleOrThrow(JSON.stringify(b));
    const s = similarCases(lb, {}, "pcr", 3)!;
    const out = JSON.stringify(s);
    for (const id of rowIds) expect(out).not.toContain(id);
    for (const c of s) expect(Object.keys(c).sort()).toEqual(["distance", "features", "outcomes", "rank"]);
  });

  it("is off unless the bundle was built with training cases; tampered cases fail the hash check", () => {
    expect(similarCases(loadBundleOrThrow(JSON.stringify(bundle(false))), {}, "pcr")).toBeNull();
    const t = JSON.parse(JSON.stringify(bundle(true)));
    t.trainingCases.rows[0].outcomes.pcr = 1 - t.trainingCases.rows[0].outcomes.pcr;
    expect(() => loadBundleOrThrow(t)).toThrow(/part "trainingCases" was modified/);
  });
});
