import { describe, expect, it } from "vitest";
import { Booster } from "../booster";
import { fixtureList, loadFixture } from "../testdata/load";
import type { XGBTree } from "../model";
import { restrictSortedColumns, sortColumns, withExactScratchLimit } from "./exact";
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
const hist = fixtureList().filter((f) => f.config.startsWith("hist"));

describe("exact greedy (and hist) training reproduces XGBoost 1.7.4", () => {
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

  for (const { dataset, config } of [...exact, ...hist]) {
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
          if (ref.trees[t].left[n] === -1)
            expect(Math.abs(model.trees[t].splitCondition[n] - ref.trees[t].splitCondition[n])).toBeLessThan(1e-6);
        splits += nodes(ref.trees[t]).filter((s) => !s.endsWith("leaf")).length;
      }
      expect(splits).toBeGreaterThan(ref.trees.length);
      // Split scores use XGBoost's float arithmetic: loss_chg is bit-identical except where glibc's expf and a
      // correctly rounded exp give gradients one float ulp apart (a handful of late-round splits).
      let same = 0;
      let total = 0;
      ref.trees.forEach((rt, t) => {
        for (let n = 0; n < rt.left.length; n++) {
          if (rt.left[n] === -1) continue;
          total++;
          const a = rt.lossChange[n];
          const m = model.trees[t].lossChange[n];
          if (a === m) same++;
          expect(Math.abs(a - m)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(a)));
        }
      });
      expect(same / total).toBeGreaterThan(0.85);
      const b = new Booster(model);
      expect(maxAbs(b.predictMargin(fx.X), fx.expected.margin)).toBeLessThan(1e-5);
      expect(maxAbs(b.predict(fx.X), fx.expected.prob)).toBeLessThan(1e-5);
      // Gain importance as get_score (keys f<i>); float32 sums in XGBoost, so relative 1e-5.
      for (const [type, exp] of [
        ["total_gain", fx.expected.total_gain],
        ["gain", fx.expected.gain],
      ] as const) {
        const got = b.getScore(type);
        expect([...got.keys()].map((k) => `f${k}`).sort()).toEqual(Object.keys(exp).sort());
        for (const [k, v] of got) expect(Math.abs(v - exp[`f${k}`]) / Math.abs(exp[`f${k}`])).toBeLessThan(1e-5);
      }
    });
  }
});

describe("training semantics beyond the fixtures", () => {
  const { X, y } = loadFixture("synth_gauss", "exact_default");

  it("scale_pos_weight equals instance weight on positives; weight 2 equals a duplicated row", () => {
    const a = trainBooster(X, y, { max_depth: 3, num_boost_round: 8, scale_pos_weight: 3 });
    const b = trainBooster(
      X,
      y,
      { max_depth: 3, num_boost_round: 8 },
      { weights: Array.from(y, (v) => (v === 1 ? 3 : 1)) },
    );
    expect(maxAbs(new Booster(a).predictMargin(X), new Booster(b).predictMargin(X))).toBeLessThan(1e-6);

    const dup = { data: new Float64Array((X.rows + 1) * X.cols), rows: X.rows + 1, cols: X.cols };
    dup.data.set(X.data);
    dup.data.set(X.data.subarray(0, X.cols), X.rows * X.cols);
    const yDup = Float64Array.from([...y, y[0]]);
    const w = new Float64Array(X.rows).fill(1);
    w[0] = 2;
    const c = trainBooster(dup, yDup, { max_depth: 3, num_boost_round: 8 });
    const d = trainBooster(X, y, { max_depth: 3, num_boost_round: 8 }, { weights: w });
    expect(maxAbs(new Booster(c).predictMargin(X), new Booster(d).predictMargin(X))).toBeLessThan(1e-6);
  });

  it("subsample and colsample_bytree (XGBoost mt19937 stream): seeded, each tree uses at most int(colsample * cols) features", () => {
    const params = { max_depth: 3, num_boost_round: 15, subsample: 0.6, colsample_bytree: 0.3, seed: 11 };
    const a = trainBooster(X, y, params);
    const b = trainBooster(X, y, params);
    const c = trainBooster(X, y, { ...params, seed: 12 });
    const ma = new Booster(a).predictMargin(X);
    expect(maxAbs(ma, new Booster(b).predictMargin(X))).toBe(0);
    expect(maxAbs(ma, new Booster(c).predictMargin(X))).toBeGreaterThan(1e-3);
    for (const t of a.trees) {
      const used = new Set<number>();
      for (let n = 0; n < t.left.length; n++) if (t.left[n] !== -1) used.add(t.splitIndex[n]);
      expect(used.size).toBeLessThanOrEqual(2); // floor(0.3 * 8)
    }
    // Sampled trees' sum_hessian at the root reflects ~60 % of the rows.
    const rootH = a.trees.map((t) => t.sumHessian[0]);
    const full = trainBooster(X, y, { max_depth: 3, num_boost_round: 1 }).trees[0].sumHessian[0];
    const ratio = rootH[0] / full;
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.75);
  });

  it("rejects bad inputs with clear errors", () => {
    expect(() => trainBooster(X, y.slice(1))).toThrow(/labels for/);
    expect(() =>
      trainBooster(
        X,
        y.map((v) => v * 2),
      ),
    ).toThrow(/\[0, 1\]/);
    expect(() => trainBooster(X, y, { subsample: 0 })).toThrow(/subsample/);
    expect(() => trainBooster(X, y, { tree_method: "approx" })).toThrow(/tree_method/);
    expect(() => trainBooster(X, y, { eta: 0.1, learning_rate: 0.2 })).toThrow(/twice/);
    const inf = { ...X, data: X.data.slice() };
    inf.data[3] = Infinity;
    expect(() => trainBooster(inf, y)).toThrow(/infinite/);
  });
});

describe("restrictSortedColumns", () => {
  it("equals sorting the restricted matrix (ties by row, missing values, float32 rounding)", () => {
    const rows = 40,
      cols = 7;
    const data = new Float64Array(rows * cols);
    let s = 12345;
    for (let i = 0; i < data.length; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      // Few distinct values (ties), some values equal in float32 only, some missing.
      data[i] = s % 11 === 0 ? NaN : (s % 5) + (s % 3 === 0 ? 1e-9 : 0);
    }
    const full = sortColumns(data, rows, cols);
    const keep = [0, 2, 3, 6];
    const sub = new Float64Array(rows * keep.length);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < keep.length; j++) sub[r * keep.length + j] = data[r * cols + keep[j]];
    const direct = sortColumns(sub, rows, keep.length);
    const restricted = restrictSortedColumns(full, keep);
    expect(restricted).toEqual(direct);
    expect(Array.from(direct.hasMissing)).toContain(1);
  });
});

describe("exact training's regrouping on the scratch heap", () => {
  it("grows the same trees as without it (missing values, row subsampling, deeper trees)", () => {
    const rows = 120,
      cols = 9;
    const data = new Float64Array(rows * cols);
    const y = new Float64Array(rows);
    let s = 777;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) data[r * cols + c] = rnd() < 0.1 ? NaN : Math.round(rnd() * 50) / 10;
      y[r] = data[r * cols] + data[r * cols + 1] > 5 || rnd() < 0.2 ? 1 : 0;
    }
    const X = { rows, cols, data };
    for (const params of [
      { num_boost_round: 12, max_depth: 4, tree_method: "exact" as const },
      { num_boost_round: 12, max_depth: 3, subsample: 0.7, seed: 3, tree_method: "exact" as const },
    ]) {
      const onHeap = trainBooster(X, y, params);
      const without = withExactScratchLimit(0, () => trainBooster(X, y, params));
      expect(onHeap.trees.length).toBe(12);
      expect(onHeap.trees.some((t) => t.left.length > 7)).toBe(true); // the trees did split below the root
      expect(onHeap.trees).toEqual(without.trees);
    }
  });
});
