import { describe, expect, it } from "vitest";
import { plantedSignal } from "../protocol/testdata/synthetic";
import { runProtocol } from "../protocol/run-protocol";
import { buildBundle, loadBundleOrThrow, predictWithBundle, reevaluateBundle, type ModelBundle } from "./index";

const data = plantedSignal({ rows: 160, features: 30, informative: 3, shift: 1.2, seed: 21 });
for (let i = 5; i < data.X.data.length; i += 23) data.X.data[i] = Number.NaN; // some missing values
const rowIds = Array.from({ length: data.X.rows }, (_, i) => `P${String(i).padStart(3, "0")}`);
const result = runProtocol(
  { ...data, rowIds },
  { partitions: 4, mrmr: { k: 8 }, rfe: { mode: "count", nFeatures: 3 }, classifier: { type: "logistic" } },
);

function build(): ModelBundle {
  return buildBundle({
    bundleId: "test-bundle",
    bundleVersion: "1.0.0",
    created: "2026-01-01T00:00:00.000Z",
    modelCard: {
      title: "test",
      intendedUse: "unit tests",
      limitations: ["synthetic"],
      trainingData: "plantedSignal seed 21",
      demo: true,
    },
    featureSpec: data.featureNames.map((name) => ({
      name,
      sourceRole: "CE-T1",
      region: "tumour",
      extractor: "synthetic",
      settingsHash: "0".repeat(64),
    })),
    endpoints: { pCR: { result, X: data.X, label: "pCR", positiveClass: "pathological complete response" } },
  });
}

describe("model bundle", () => {
  it("survives JSON and reproduces its validation numbers when re-evaluated", () => {
    const text = JSON.stringify(build());
    const lb = loadBundleOrThrow(text);
    const again = reevaluateBundle(lb, "pCR", { X: data.X, featureNames: data.featureNames, y: data.y, rowIds });
    expect(again).toEqual(lb.bundle.endpoints.pCR.partitions.map((p) => p.metrics));
    expect(again).toEqual(result.partitions.map((p) => p.metrics));
    // By row id with the data set's rows in another order.
    const order = rowIds.map((_, i) => rowIds.length - 1 - i);
    const Xr = { ...data.X, data: new Float64Array(data.X.data.length) };
    order.forEach((src, dst) =>
      Xr.data.set(data.X.data.subarray(src * data.X.cols, (src + 1) * data.X.cols), dst * data.X.cols),
    );
    const byId = reevaluateBundle(lb, "pCR", {
      X: Xr,
      featureNames: data.featureNames,
      y: Uint8Array.from(order, (i) => data.y[i]),
      rowIds: order.map((i) => rowIds[i]),
    });
    expect(byId).toEqual(again);
  });

  it("a tampered part fails the hash check and names the part", () => {
    const b = JSON.parse(JSON.stringify(build()));
    const coef = b.endpoints.pCR.partitions[2].pipeline.model.coefficients;
    coef[0] += 1e-9;
    expect(() => loadBundleOrThrow(b)).toThrow(/part "endpoints\.pCR\.partitions\.2" was modified/);
    const c = JSON.parse(JSON.stringify(build()));
    c.modelCard.demo = false;
    expect(() => loadBundleOrThrow(c)).toThrow(/part "modelCard" was modified/);
    const d = JSON.parse(JSON.stringify(build()));
    d.endpoints.pCR.trainingSummary.signal_0.max = 99;
    expect(() => loadBundleOrThrow(d)).toThrow(/trainingSummary/);
    const e = JSON.parse(JSON.stringify(build()));
    e.extra = 1;
    expect(() => loadBundleOrThrow(e)).toThrow(/schema/);
    expect(() => loadBundleOrThrow("{not json")).toThrow(/not valid JSON/);
  });

  it("predicts one patient: final probability, partition spread, contributions, out-of-range warnings", () => {
    const lb = loadBundleOrThrow(build());
    const r = result.partitions[1].testRows[0];
    const row: Record<string, number | null> = {};
    data.featureNames.forEach((f, c) => (row[f] = data.X.data[r * data.X.cols + c]));
    const p = predictWithBundle(lb, row);
    expect(p.endpoint).toBe("pCR");
    // The same patient through a partition model matches the protocol's own test prediction for that row.
    const part = result.partitions.findIndex((q) => q.testRows.includes(r));
    expect(part).toBeGreaterThanOrEqual(0);
    expect(p.partitionProbabilities[part]).toBe(
      result.partitions[part].testProbabilities[result.partitions[part].testRows.indexOf(r)],
    );
    expect(p.spread.min).toBe(Math.min(...p.partitionProbabilities));
    expect(p.spread.max).toBe(Math.max(...p.partitionProbabilities));
    const c = p.contributions!;
    const margin = c.bias + c.features.reduce((s, f) => s + f.contribution, 0);
    expect(1 / (1 + Math.exp(-margin))).toBeCloseTo(p.probability, 12);
    expect(c.features.map((f) => f.feature)).toEqual(lb.bundle.endpoints.pCR.final.selectedFeatures);

    const sel = lb.bundle.endpoints.pCR.final.selectedFeatures[0];
    const max = lb.bundle.endpoints.pCR.trainingSummary[sel].max;
    const q = predictWithBundle(lb, { ...row, [sel]: max + 10, noise_29: null, unknown_feature: 1 }, "pCR");
    expect(q.outOfRange).toContainEqual(
      expect.objectContaining({ feature: sel, kind: "above", value: max + 10, usedByFinalModel: true }),
    );
    expect(q.outOfRange).toContainEqual(expect.objectContaining({ feature: "noise_29", kind: "missing", value: null }));
    expect(q.ignoredFeatures).toEqual(["unknown_feature"]);
    expect(() => predictWithBundle(lb, row, "response")).toThrow(/no endpoint/);
  });

  it("refuses a result without a final model and features without specification", () => {
    const noFinal = runProtocol(data, {
      partitions: 1,
      mrmr: { k: 4 },
      rfe: { mode: "none" },
      classifier: { type: "logistic" },
      finalModel: false,
    });
    const base = {
      bundleId: "x",
      bundleVersion: "1",
      modelCard: { title: "t", intendedUse: "u", limitations: [], trainingData: "d", demo: true },
    };
    expect(() =>
      buildBundle({
        ...base,
        featureSpec: data.featureNames.map((name) => ({ name })),
        endpoints: { pCR: { result: noFinal, X: data.X, label: "pCR" } },
      }),
    ).toThrow(/final model/);
    expect(() =>
      buildBundle({
        ...base,
        featureSpec: [{ name: "signal_0" }],
        endpoints: { pCR: { result, X: data.X, label: "pCR" } },
      }),
    ).toThrow(/without specification/);
  });
});

describe("model bundle with XGBoost models", () => {
  it("reproduces validation numbers, TreeSHAP contributions sum to the margin, XGBoost JSON parts", () => {
    const d = plantedSignal({ rows: 120, features: 20, informative: 2, shift: 1.5, seed: 4 });
    const res = runProtocol(d, {
      partitions: 2,
      mrmr: { k: 5 },
      rfe: { mode: "count", nFeatures: 3 },
      classifier: { type: "xgboost", params: { num_boost_round: 20 } },
    });
    const b = buildBundle({
      bundleId: "xgb",
      bundleVersion: "0.1.0",
      modelCard: { title: "t", intendedUse: "tests", limitations: [], trainingData: "synthetic", demo: true },
      featureSpec: d.featureNames.map((name) => ({ name })),
      endpoints: { response: { result: res, X: d.X, label: "response" } },
    });
    const lb = loadBundleOrThrow(JSON.stringify(b));
    expect(lb.bundle.endpoints.response.final.model.kind).toBe("xgboost");
    expect(reevaluateBundle(lb, "response", { X: d.X, featureNames: d.featureNames, y: d.y })).toEqual(
      res.partitions.map((p) => p.metrics),
    );
    const row = Object.fromEntries(d.featureNames.map((f, c) => [f, d.X.data[3 * d.X.cols + c]]));
    const p = predictWithBundle(lb, row);
    const margin = p.contributions!.bias + p.contributions!.features.reduce((s, f) => s + f.contribution, 0);
    expect(1 / (1 + Math.exp(-margin))).toBeCloseTo(p.probability, 6); // float32 tree arithmetic
    expect(p.partitionProbabilities).toHaveLength(2);
    const t = JSON.parse(JSON.stringify(b));
    const json: string = t.endpoints.response.final.model.json;
    const at = json.indexOf('"split_conditions":[') + '"split_conditions":['.length;
    expect(at).toBeGreaterThan(100);
    t.endpoints.response.final.model.json = json.slice(0, at) + "1" + json.slice(at); // 0.25 -> 10.25 etc.
    expect(() => loadBundleOrThrow(t)).toThrow(/endpoints\.response\.final/);
  });
});
