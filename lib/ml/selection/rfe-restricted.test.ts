import { describe, expect, it } from "vitest";
import type { BinaryEstimator } from "../estimator";
import { selectColumns, type Matrix } from "../matrix";
import { plantedSignal } from "../protocol/testdata/synthetic";
import { modelToJsonText } from "../xgboost/model-json";
import { XGBClassifier } from "../xgboost/classifier";
import type { ParamInput } from "../xgboost/train/params";
import { rfe } from "./rfe";

const json = (c: BinaryEstimator) => modelToJsonText((c as XGBClassifier).toBooster().model);

/** The same classifier without the RFE shortcut: every step is a fresh fit. */
class NoShortcut implements BinaryEstimator {
  private inner: XGBClassifier;
  constructor(readonly params: ParamInput) {
    this.inner = new XGBClassifier(params);
  }
  fit(X: Matrix, y: Uint8Array): this {
    this.inner = new XGBClassifier(this.params).fit(X, y);
    return this;
  }
  predictProba(X: Matrix): Float64Array {
    return this.inner.predictProba(X);
  }
  featureImportances(): Float64Array {
    return this.inner.featureImportances();
  }
  clone(): NoShortcut {
    return new NoShortcut(this.params);
  }
  toBooster() {
    return this.inner.toBooster();
  }
}

/** Copies X with a share of values missing (exercises the forward scan and default directions). */
function withMissing(X: Matrix, every: number): Matrix {
  const data = X.data.slice();
  for (let i = 0; i < data.length; i += every) data[i] = NaN;
  return { ...X, data };
}

describe("XGBClassifier.refitOnColumns (RFE reuses the trees a dropped column took no part in)", () => {
  const d = plantedSignal({ rows: 90, features: 24, informative: 3, shift: 1.2, seed: 31 });
  const params = { num_boost_round: 30, max_depth: 3, eta: 0.3, tree_method: "exact" as const };

  it("equals a fresh fit on the kept columns, byte for byte, whichever column goes", () => {
    const full = new XGBClassifier(params).fit(d.X, d.y);
    const imp = full.featureImportances();
    const byImportance = [...imp.keys()].sort((a, b) => imp[b] - imp[a]);
    let partial = 0;
    // The most and least important columns, one in the middle, and two at once.
    for (const drop of [
      [byImportance[0]],
      [byImportance[23]],
      [byImportance[12]],
      [byImportance[5], byImportance[20]],
    ]) {
      const keep = [...imp.keys()].filter((j) => !drop.includes(j));
      const Xk = selectColumns(d.X, keep);
      const refit = full.refitOnColumns(keep, Xk, d.y);
      const fresh = new XGBClassifier(params).fit(Xk, d.y);
      expect(json(refit)).toBe(json(fresh));
      expect(Array.from(refit.predictProba(Xk))).toEqual(Array.from(fresh.predictProba(Xk)));
      expect(refit.reusedRounds).toBeLessThanOrEqual(30);
      if (refit.reusedRounds > 0 && refit.reusedRounds < 30) partial++;
    }
    // The most important column splits the first tree's root: nothing to reuse.
    expect(
      full.refitOnColumns(
        byImportance.slice(1).sort((a, b) => a - b),
        selectColumns(
          d.X,
          byImportance.slice(1).sort((a, b) => a - b),
        ),
        d.y,
      ).reusedRounds,
    ).toBe(0);
    expect(partial).toBeGreaterThan(0);
  });

  it("keeps a leaf's record of its best candidate below the split threshold (no tree reused past it)", () => {
    // A huge lambda leaves every gain below 1e-6: each tree is a root leaf whose loss_chg records one column's best.
    const p = { ...params, num_boost_round: 5, lambda: 1e9 };
    const full = new XGBClassifier(p).fit(d.X, d.y);
    const roots = full.toBooster().model.trees.map((t) => t.lossChange[0]);
    expect(roots.every((l) => l > 0 && l <= 1e-6)).toBe(true);
    let changed = 0;
    for (let drop = 0; drop < 24; drop++) {
      const keep = Array.from({ length: 24 }, (_, j) => j).filter((j) => j !== drop);
      const Xk = selectColumns(d.X, keep);
      const fresh = new XGBClassifier(p).fit(Xk, d.y);
      expect(json(full.refitOnColumns(keep, Xk, d.y))).toBe(json(fresh));
      if (json(fresh).replace(/"num_feature":"\d+"/, "") !== json(full).replace(/"num_feature":"\d+"/, "")) changed++;
    }
    expect(changed).toBeGreaterThan(0);
  });

  it("falls back to a fresh fit for other data, hist and column sampling", () => {
    const full = new XGBClassifier(params).fit(d.X, d.y);
    const keep = Array.from({ length: 23 }, (_, j) => j);
    const other = plantedSignal({ rows: 90, features: 23, informative: 3, shift: 1.2, seed: 32 });
    const a = full.refitOnColumns(keep, other.X, d.y);
    expect(a.reusedRounds).toBe(0);
    expect(json(a)).toBe(json(new XGBClassifier(params).fit(other.X, d.y)));
    // -0 for 0 counts as other data (the fits could differ in a threshold's sign); the same data is reused.
    const X0 = { ...d.X, data: d.X.data.slice() };
    X0.data[5] = 0;
    const z = new XGBClassifier(params).fit(X0, d.y);
    const Xneg = selectColumns(X0, keep);
    expect(z.refitOnColumns(keep, Xneg, d.y).reusedRounds).toBeGreaterThan(0);
    Xneg.data[5] = -0;
    expect(z.refitOnColumns(keep, Xneg, d.y).reusedRounds).toBe(0);
    const flipped = d.y.map((v, i) => (i === 0 ? 1 - v : v));
    expect(full.refitOnColumns(keep, selectColumns(d.X, keep), flipped).reusedRounds).toBe(0);
    for (const p of [
      { ...params, tree_method: "hist" as const },
      { ...params, colsample_bytree: 0.5 },
    ]) {
      const m = new XGBClassifier(p).fit(d.X, d.y);
      const r = m.refitOnColumns(keep, selectColumns(d.X, keep), d.y);
      expect(r.reusedRounds).toBe(0);
      expect(json(r)).toBe(json(new XGBClassifier(p).fit(selectColumns(d.X, keep), d.y)));
    }
  });

  it.each([
    ["defaults of the protocol", params, d.X],
    ["gamma pruning", { ...params, gamma: 2 }, d.X],
    ["row subsampling", { ...params, subsample: 0.7, seed: 5 }, d.X],
    ["max_delta_step and L1", { ...params, max_delta_step: 1, alpha: 0.5 }, d.X],
    ["missing values", params, withMissing(d.X, 7)],
  ])("RFE with the shortcut equals RFE refitting at every step (%s)", (_, p, X) => {
    const seenA: string[] = [],
      seenB: string[] = [];
    let reused = 0;
    const a = rfe(X, d.y, { estimator: new XGBClassifier(p), nFeaturesToSelect: 4, step: 1 }, (e, f) => {
      reused += (e as XGBClassifier).reusedRounds;
      seenA.push(`${f.join(",")}:${json(e)}`);
    });
    const b = rfe(X, d.y, { estimator: new NoShortcut(p), nFeaturesToSelect: 4, step: 1 }, (e, f) =>
      seenB.push(`${f.join(",")}:${json(e)}`),
    );
    expect(a.selected).toEqual(b.selected);
    expect(a.ranking).toEqual(b.ranking);
    expect(seenA).toEqual(seenB);
    expect(json(a.estimator)).toBe(json(b.estimator));
    expect(reused).toBeGreaterThan(0);
  });
});
