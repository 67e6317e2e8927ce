import { describe, expect, it } from "vitest";
import { NacError } from "../../errors";
import { makeMatrix } from "../matrix";
import { XGBClassifier } from "./classifier";
import { loadFixture } from "./testdata/load";

describe("XGBClassifier (BinaryEstimator)", () => {
  const fx = loadFixture("breast", "exact_default");
  const y = Uint8Array.from(fx.y);

  it("throws NOT_FITTED before fit", () => {
    const c = new XGBClassifier({ max_depth: 3 });
    expect(c.fitted).toBe(false);
    for (const call of [() => c.predictProba(fx.X), () => c.featureImportances(), () => c.toBooster()]) {
      try {
        call();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(NacError);
        expect((e as NacError).code).toBe("NOT_FITTED");
      }
    }
  });

  it("fits like XGBoost 1.7.4 and exposes probabilities, importances, SHAP", () => {
    const c = new XGBClassifier(fx.params).fit(fx.X, y);
    const p = c.predictProba(fx.X);
    let maxErr = 0;
    for (let i = 0; i < p.length; i++) maxErr = Math.max(maxErr, Math.abs(p[i] - fx.expected.prob[i]));
    expect(maxErr).toBeLessThan(1e-5);
    const imp = c.featureImportances();
    expect(imp.length).toBe(fx.X.cols);
    for (let j = 0; j < imp.length; j++) {
      const ref = fx.expected.total_gain[`f${j}`] ?? 0;
      expect(Math.abs(imp[j] - ref)).toBeLessThanOrEqual(1e-5 * Math.max(1, ref));
    }
    const contribs = c.predictContribs(fx.X);
    const margin = c.predictMargin(fx.X);
    const C = fx.X.cols + 1;
    for (let r = 0; r < fx.X.rows; r++) {
      let s = 0;
      for (let k = 0; k < C; k++) s += contribs[r * C + k];
      expect(Math.abs(s - margin[r])).toBeLessThan(1e-5);
    }
  });

  it("clone is unfitted with the same parameters; refit is deterministic", () => {
    const c = new XGBClassifier({
      max_depth: 2,
      eta: 0.5,
      num_boost_round: 5,
      subsample: 0.8,
      colsample_bytree: 0.5,
      seed: 7,
    }).fit(fx.X, y);
    const k = c.clone();
    expect(k.fitted).toBe(false);
    expect(k.params).toEqual(c.params);
    expect(Array.from(k.fit(fx.X, y).predictProba(fx.X))).toEqual(Array.from(c.predictProba(fx.X)));
  });

  it("rejects non-binary labels, bad parameters and mismatched shapes", () => {
    expect(() => new XGBClassifier({ max_depth: 0 })).toThrow(/max_depth/);
    expect(() => new XGBClassifier({ etaa: 0.1 })).toThrow(/etaa/);
    expect(() => new XGBClassifier({ objective: "reg:squarederror" })).toThrow(/binary:logistic/);
    expect(() => new XGBClassifier().fit(makeMatrix(2, 1), Uint8Array.of(0, 2))).toThrow(/0 or 1/);
    expect(() => new XGBClassifier().fit(makeMatrix(2, 1), Uint8Array.of(0))).toThrow(/labels/);
    const c = new XGBClassifier({ num_boost_round: 2 }).fit(fx.X, y);
    expect(() => c.predictProba(makeMatrix(1, 3))).toThrow(/columns/);
  });
});
