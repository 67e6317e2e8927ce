import { describe, expect, it } from "vitest";
import { makeMatrix, matrixFromRows, type Matrix } from "../matrix";
import { mulberry32, normal } from "../../random/prng";
import { discretiseMeanSd, mutualInformation } from "./discretise";
import { fStatistic, pearsonPairwise } from "./f-statistic";
import { mrmr } from "./mrmr";

/** Columns given as arrays -> row-major matrix. */
function fromColumns(cols: number[][]): Matrix {
  const n = cols[0].length;
  return matrixFromRows(Array.from({ length: n }, (_, r) => cols.map((c) => c[r])));
}

// Orthogonal ±1 vectors over 8 rows (each has squared norm 8, pairwise dot 0).
const hy = [-1, -1, -1, -1, 1, 1, 1, 1]; // the class direction; y = (hy + 1) / 2
const ha = [-1, -1, 1, 1, -1, -1, 1, 1];
const hb = [-1, 1, -1, 1, -1, 1, -1, 1];
const hc = ha.map((v, i) => v * hb[i]);
const y8 = hy.map((v) => (v + 1) / 2);
const lin = (a: number, u: number[], b: number, v: number[], c = 0, w: number[] = hy.map(() => 0)) =>
  u.map((_, i) => a * u[i] + b * v[i] + c * w[i]);

describe("FCQ (mrmr_selection's F-test / correlation quotient), computed by hand", () => {
  // With class sizes 4/4 and orthogonal ±1 patterns, F = SSB / (SSW / 6):
  // f0 = 2hy + ha:        SSB = 8·2² = 32, SSW = 8·1 = 8           -> F = 24
  // f1 = 2hy + ha + hb/2: SSB = 32, SSW = 8·(1 + 1/4) = 10        -> F = 19.2   ; r(f0,f1) = 40/√(40·42) = 0.97590
  // f2 = 1.75hy + hb:     SSB = 8·1.75² = 24.5, SSW = 8           -> F = 18.375 ; r(f0,f2) = 28/√(40·32.5) = 0.77658
  // f3 = hc:              class means equal                        -> F = 0 (not a candidate)
  // Relevance order is f0, f1, f2. Step 2 scores: f1 = 19.2/0.97590 = 19.674, f2 = 18.375/0.77658 = 23.661 -> f2.
  // Step 3 only f1 is left; f3 is never selected although k = 4.
  const f0 = lin(2, hy, 1, ha);
  const f1 = lin(2, hy, 1, ha, 0.5, hb);
  const f2 = lin(1.75, hy, 1, hb);
  const f3 = hc.slice();

  it("F statistics and correlations", () => {
    expect(fStatistic(f0, y8)).toBeCloseTo(24, 12);
    expect(fStatistic(f1, y8)).toBeCloseTo(19.2, 12);
    expect(fStatistic(f2, y8)).toBeCloseTo(18.375, 12);
    expect(fStatistic(f3, y8)).toBe(0);
    expect(pearsonPairwise(f0, f1)).toBeCloseTo(40 / Math.sqrt(40 * 42), 12);
    expect(pearsonPairwise(f0, f2)).toBeCloseTo(28 / Math.sqrt(40 * 32.5), 12);
  });

  it("selects f0, f2, f1 and drops the zero-relevance column", () => {
    const r = mrmr(fromColumns([f3, f1, f0, f2]), y8, { k: 4, method: "FCQ" });
    expect(r.selected).toEqual([2, 3, 1]);
    expect(r.scores[0]).toBeCloseTo(24, 12);
    expect(r.scores[1]).toBeCloseTo(18.375 / (28 / Math.sqrt(40 * 32.5)), 10);
    // Step 3 denominator: mean(|r(f1,f0)|, |r(f1,f2)|); r(f1,f2) = (2·1.75·8 + 0.5·8)/√(42·32.5) = 32/√1365.
    const den = (40 / Math.sqrt(40 * 42) + 32 / Math.sqrt(42 * 32.5)) / 2;
    expect(r.scores[2]).toBeCloseTo(19.2 / den, 10);
  });

  it("missing values: F and r use the rows where the values exist (pandas semantics)", () => {
    const withNa = f2.slice();
    withNa[0] = Number.NaN;
    const rows = [0, 1, 2, 3, 4, 5, 6, 7].filter((i) => i !== 0);
    expect(fStatistic(withNa, y8)).toBeCloseTo(
      fStatistic(
        rows.map((i) => f2[i]),
        rows.map((i) => y8[i]),
      ),
      12,
    );
    expect(pearsonPairwise(withNa, f0)).toBeCloseTo(
      pearsonPairwise(
        rows.map((i) => f2[i]),
        rows.map((i) => f0[i]),
      ),
      12,
    );
    const r = mrmr(fromColumns([f3, f1, f0, withNa]), y8, { k: 3, method: "FCQ" });
    expect(r.selected[0]).toBe(2);
  });
});

describe("MID / MIQ (Peng et al. 2005), computed by hand", () => {
  // Raw ±1 values: mean 0, sd = √(8/7) = 1.069, so the cuts at ±0.53 map -1 -> state 0 and +1 -> state 2.
  // A = y with rows 3 and 7 flipped: contingency with y [[3,1],[1,3]] -> I(A;y) = 1 − H(1/4) = 1 − 0.811278 = 0.188722 bits.
  // B = A (a duplicate):  I(B;y) = 0.188722, I(B;A) = H(A) = 1 bit.
  // C = y with rows 2 and 6 flipped: I(C;y) = 0.188722, and the (A,C) pairs are (0,0)x2, (0,1)x2, (1,0)x2, (1,1)x2 -> I(C;A) = 0.
  // All relevances tie, so step 1 takes the first column, A. Step 2: MID(B) = 0.1887 − 1 < MID(C) = 0.1887 − 0,
  // MIQ(C) = 0.1887 / 0 = +Infinity -> both choose C; B comes last.
  const A = [-1, -1, -1, 1, 1, 1, 1, -1];
  const B = A.slice();
  const C = [-1, -1, 1, -1, 1, 1, -1, 1];
  const relevanceBits = 1 - -(0.25 * Math.log2(0.25) + 0.75 * Math.log2(0.75));

  it("discretisation and mutual information", () => {
    expect(Array.from(discretiseMeanSd(A))).toEqual([0, 0, 0, 2, 2, 2, 2, 0]);
    // Middle state: values within mean ± sd/2 (x = [0,1,2,3,4]: mean 2, sd 1.5811, cuts 1.2094 and 2.7906).
    expect(Array.from(discretiseMeanSd([0, 1, 2, 3, 4]))).toEqual([0, 0, 1, 2, 2]);
    expect(mutualInformation(discretiseMeanSd(A), y8, 3, 2)).toBeCloseTo(relevanceBits, 12);
    expect(mutualInformation(discretiseMeanSd(C), discretiseMeanSd(A), 3, 3)).toBeCloseTo(0, 15);
    expect(mutualInformation(discretiseMeanSd(B), discretiseMeanSd(A), 3, 3)).toBeCloseTo(1, 12);
  });

  for (const method of ["MID", "MIQ"] as const) {
    it(`${method} picks A, C, B where relevance alone would pick A, B, C`, () => {
      const r = mrmr(fromColumns([A, B, C]), y8, { k: 3, method });
      expect(r.selected).toEqual([0, 2, 1]);
      expect(r.relevance[0]).toBeCloseTo(relevanceBits, 12);
      expect(r.scores[1]).toBe(method === "MID" ? r.relevance[2] : Infinity);
    });
  }

  it("incremental redundancy equals the textbook definition on random data", () => {
    // Naive O(k·p·|S|) recomputation of the same criterion, to catch bookkeeping errors in the fast path.
    const rng = mulberry32(11);
    const n = 60,
      p = 12;
    const X = makeMatrix(n, p);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      for (let c = 0; c < p; c++)
        X.data[i * p + c] = normal(rng) + (c < 4 ? (c + 1) * 0.4 * y[i] : 0) + (c >= 8 ? X.data[i * p + (c - 8)] : 0);
    }
    for (const method of ["MID", "MIQ"] as const) {
      const disc = Array.from({ length: p }, (_, c) =>
        discretiseMeanSd(Array.from({ length: n }, (_, i) => X.data[i * p + c])),
      );
      const rel = disc.map((d) => mutualInformation(d, y, 3, 2));
      const sel: number[] = [];
      const expected: number[] = [];
      for (let it = 0; it < 6; it++) {
        let best = -1,
          bestScore = -Infinity;
        for (let c = 0; c < p; c++) {
          if (sel.includes(c)) continue;
          let s = rel[c];
          if (sel.length) {
            const red = sel.reduce((a, t) => a + mutualInformation(disc[c], disc[t], 3, 3), 0) / sel.length;
            s = method === "MID" ? rel[c] - red : rel[c] / red;
          }
          if (s > bestScore) {
            bestScore = s;
            best = c;
          }
        }
        sel.push(best);
        expected.push(best);
      }
      expect(mrmr(X, y, { k: 6, method }).selected).toEqual(expected);
    }
  });
});
