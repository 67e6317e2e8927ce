import { describe, expect, it } from "vitest";
import { NacError } from "../../errors";
import type { BinaryEstimator } from "../estimator";
import { makeMatrix, type Matrix } from "../matrix";
import { LogisticRegression } from "../linear/logistic";
import { mulberry32, normal } from "../../random/prng";
import { rfe, rfecv } from "./rfe";

/**
 * Estimator whose importance of a column is a fixed weight of the ORIGINAL column, identified by the value the
 * column holds in row 0 (column j of the full matrix holds j there). Lets the elimination order be computed by hand.
 */
class WeightStub implements BinaryEstimator {
  private ids: number[] | null = null;
  constructor(private readonly w: number[]) {}
  fit(X: Matrix): this {
    this.ids = Array.from({ length: X.cols }, (_, c) => X.data[c]);
    return this;
  }
  predictProba(X: Matrix): Float64Array {
    return new Float64Array(X.rows).fill(0.5);
  }
  featureImportances(): Float64Array {
    if (!this.ids) throw new NacError("NOT_FITTED", "stub");
    return Float64Array.from(this.ids, (id) => this.w[id]);
  }
  clone(): BinaryEstimator {
    return new WeightStub(this.w);
  }
}

function idMatrix(p: number, rows = 4): Matrix {
  const X = makeMatrix(rows, p);
  for (let r = 0; r < rows; r++) for (let c = 0; c < p; c++) X.data[r * p + c] = r === 0 ? c : r + c;
  return X;
}

describe("RFE (scikit-learn semantics)", () => {
  // Weights [5,1,3,1,7,2,0,4], step 2, target 3:
  //  iteration 1 (8 left): ascending 6(0), 1(1), 3(1), 5(2), ... -> drop 6, 1
  //  iteration 2 (6 left): ascending 3(1), 5(2), 2(3), ...       -> drop min(2, 6−3) = 2: 3, 5
  //  iteration 3 (4 left): drop min(2, 4−3) = 1: 2(3)
  // ranking_: selected 1; 2 -> 2; 3, 5 -> 3; 6, 1 -> 4.
  const w = [5, 1, 3, 1, 7, 2, 0, 4];
  const y = Uint8Array.from([0, 1, 0, 1]);

  it("eliminates by hand-computed order (integer step)", () => {
    const r = rfe(idMatrix(8), y, { estimator: new WeightStub(w), nFeaturesToSelect: 3, step: 2 });
    expect(r.selected).toEqual([0, 4, 7]);
    expect(r.ranking).toEqual([1, 4, 2, 3, 1, 3, 4, 1]);
  });

  it("fractional step is a fraction of the original count (0.25 · 8 = 2) and fractional target (0.375 · 8 = 3)", () => {
    const r = rfe(idMatrix(8), y, { estimator: new WeightStub(w), nFeaturesToSelect: 0.375, step: 0.25 });
    expect(r.selected).toEqual([0, 4, 7]);
    expect(r.ranking).toEqual([1, 4, 2, 3, 1, 3, 4, 1]);
  });

  it("ties: the earlier column of equal importance goes first (stable ascending argsort)", () => {
    const r = rfe(idMatrix(4), y, { estimator: new WeightStub([1, 1, 1, 1]), nFeaturesToSelect: 2, step: 1 });
    expect(r.selected).toEqual([2, 3]);
    expect(r.ranking).toEqual([3, 2, 1, 1]);
  });

  it("default target is half the columns; invalid settings throw", () => {
    expect(rfe(idMatrix(8), y, { estimator: new WeightStub(w) }).selected).toEqual([0, 2, 4, 7]);
    expect(() => rfe(idMatrix(4), y, { estimator: new WeightStub(w), nFeaturesToSelect: 5 })).toThrow(/exceeds/);
    expect(() => rfe(idMatrix(4), y, { estimator: new WeightStub(w), step: 0 })).toThrow(/step/);
  });

  // Logistic data: y depends only on columns 1 and 3 (large effects), 6 other columns are pure noise.
  function planted(n: number, seed: number): { X: Matrix; y: Uint8Array } {
    const rng = mulberry32(seed);
    const p = 8;
    const X = makeMatrix(n, p);
    const yy = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < p; c++) X.data[i * p + c] = normal(rng);
      const z = 3 * X.data[i * p + 1] - 3 * X.data[i * p + 3];
      yy[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    return { X, y: yy };
  }

  it("with logistic |coef| importances it keeps the two planted columns", () => {
    const { X, y: yy } = planted(300, 3);
    const r = rfe(X, yy, { estimator: new LogisticRegression(), nFeaturesToSelect: 2 });
    expect(r.selected).toEqual([1, 3]);
    expect(Array.from(r.estimator.featureImportances()).every((v) => v > 1.5)).toBe(true);
  });

  it("RFECV scores the whole path and keeps the planted columns", () => {
    const { X, y: yy } = planted(300, 5);
    const r = rfecv(X, yy, { estimator: new LogisticRegression(), folds: 4, seed: 1 });
    expect(r.cvScores.map((s) => s.nFeatures)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    const best = Math.max(...r.cvScores.map((s) => s.mean));
    // Ties go to fewer features: no smaller count reaches the best mean.
    expect(r.cvScores.filter((s) => s.nFeatures < r.nFeatures).every((s) => s.mean < best)).toBe(true);
    expect(r.cvScores.find((s) => s.nFeatures === r.nFeatures)!.mean).toBe(best);
    expect(r.selected).toEqual(expect.arrayContaining([1, 3]));
    expect(r.selected.length).toBe(r.nFeatures);
    // One column alone is clearly worse than the two planted ones together.
    expect(r.cvScores.find((s) => s.nFeatures === 1)!.mean).toBeLessThan(
      r.cvScores.find((s) => s.nFeatures === 2)!.mean,
    );
  });
});
