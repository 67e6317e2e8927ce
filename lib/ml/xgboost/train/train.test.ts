import { describe, expect, it } from "vitest";
import { Booster } from "../booster";
import { fixtureList, loadFixture } from "../fixtures/load";
import type { XGBTree } from "../model";
import { trainBooster } from "./train";

/** Reachable nodes of a tree as comparable records (ids included: XGBoost allocates children in a fixed order). */
function nodes(t: XGBTree): string[] {
  const out: string[] = [];
  const stack = [0];
  while (stack.length) {
    const n = stack.pop()!;
    if (t.left[n] === -1) out.push(`${n}:leaf`);
    else {
      out.push(`${n}:f${t.splitIndex[n]}<${t.splitCondition[n]}:dl${t.defaultLeft[n]}:L${t.left[n]}:R${t.right[n]}`);
      stack.push(t.right[n], t.left[n]);
    }
  }
  return out;
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const exact = fixtureList().filter((f) => f.config.startsWith("exact"));

describe("exact greedy training reproduces XGBoost 1.7.4", () => {
  it("covers at least three data sets with missing values and class imbalance", () => {
    const sets = new Set(exact.map((f) => f.dataset));
    expect(sets.size).toBeGreaterThanOrEqual(3);
    for (const f of exact) {
      const { X, y } = loadFixture(f.dataset, f.config);
      const pos = y.reduce((s, v) => s + v, 0);
      expect(X.data.some((v) => Number.isNaN(v))).toBe(true);
      expect(pos / y.length).toBeLessThan(0.3);
    }
  });

  for (const { dataset, config } of exact) {
    it(`${dataset} / ${config}: same trees (features, thresholds, default directions), margins within 1e-5`, () => {
      const fx = loadFixture(dataset, config);
      const ref = Booster.fromJSON(fx.modelJson).model;
      const model = trainBooster(fx.X, fx.y, fx.params);
      expect(model.trees.length).toBe(ref.trees.length);
      let splits = 0;
      for (let t = 0; t < ref.trees.length; t++) {
        expect(nodes(model.trees[t]), `tree ${t}`).toEqual(nodes(ref.trees[t]));
        // Leaf values: float32 arithmetic identical up to summation order of the gradient sums.
        for (let n = 0; n < ref.trees[t].left.length; n++)
          if (ref.trees[t].left[n] === -1) expect(Math.abs(model.trees[t].splitCondition[n] - ref.trees[t].splitCondition[n])).toBeLessThan(1e-6);
        splits += nodes(ref.trees[t]).filter((s) => !s.endsWith("leaf")).length;
      }
      expect(splits).toBeGreaterThan(ref.trees.length);
      const b = new Booster(model);
      expect(maxAbs(b.predictMargin(fx.X), fx.expected.margin)).toBeLessThan(1e-5);
      expect(maxAbs(b.predict(fx.X), fx.expected.prob)).toBeLessThan(1e-5);
      // Gain importance as get_score (keys f<i>); float32 sums in XGBoost, so relative 1e-5.
      for (const [type, exp] of [["total_gain", fx.expected.total_gain], ["gain", fx.expected.gain]] as const) {
        const got = b.getScore(type);
        expect([...got.keys()].map((k) => `f${k}`).sort()).toEqual(Object.keys(exp).sort());
        for (const [k, v] of got) expect(Math.abs(v - exp[`f${k}`]) / Math.abs(exp[`f${k}`])).toBeLessThan(1e-5);
      }
    });
  }
});
