import { describe, expect, it } from "vitest";
import { makeMatrix, matrixFromRows, type Matrix } from "../matrix";
import { parseProtocolConfig } from "../protocol/config";
import { fitPipeline } from "../protocol/pipeline";
import { mulberry32, normal } from "../../random/prng";
import { fStatistic, pearsonPairwise } from "./f-statistic";
import { mrmr } from "./mrmr";
import { normalQuantile, normalScores } from "./normal-scores";
import { fPValue1, incompleteBeta } from "./p-values";

function fromColumns(cols: number[][]): Matrix {
  const n = cols[0].length;
  return matrixFromRows(Array.from({ length: n }, (_, r) => cols.map((c) => c[r])));
}

describe("normalQuantile (AS 241)", () => {
  // Reference: CPython's statistics.NormalDist().inv_cdf (an independent implementation of the same algorithm),
  // covering the central branch (|p - 0.5| <= 0.425), the near tail (r <= 5) and the far tail.
  const ref: [number, number][] = [
    [1e-300, -37.0470962993612],
    [1e-20, -9.262340089798405],
    [1e-8, -5.61200124417479],
    [0.001, -3.090232306167813],
    [0.02, -2.0537489106318225],
    [0.075, -1.4395314709384557],
    [0.3, -0.5244005127080407],
    [0.6, 0.2533471031357998],
    [0.925, 1.439531470938456],
    [0.99, 2.3263478740408408],
  ];
  it("matches reference values to ~1e-15 relative", () => {
    for (const [p, z] of ref) expect(Math.abs(normalQuantile(p) - z)).toBeLessThan(1e-14 * Math.max(1, Math.abs(z)));
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow();
  });
  it("is odd: Φ⁻¹(1 - p) = -Φ⁻¹(p)", () => {
    for (const p of [1e-6, 0.01, 0.1, 0.2, 0.4, 0.07, 0.074999])
      expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 9);
  });
});

describe("normalScores (Blom)", () => {
  it("ranks present values, averages ties, keeps NaN", () => {
    // Present: 3, 1, 2, 2, 10 -> ranks 4, 1, 2.5, 2.5, 5 of m = 5; score = Φ⁻¹((r - 3/8) / 5.25).
    const s = normalScores([3, 1, 2, 2, Number.NaN, 10]);
    const z = (r: number) => normalQuantile((r - 0.375) / 5.25);
    expect(Array.from(s.subarray(0, 4))).toEqual([z(4), z(1), z(2.5), z(2.5)]);
    expect(s[4]).toBeNaN();
    expect(s[5]).toBe(z(5));
    // scipy.stats: norm.ppf((rankdata([3,1,2,2,10]) - 0.375) / 5.25)
    expect(s[0]).toBeCloseTo(0.497200570681554, 14);
    expect(s[2]).toBeCloseTo(-0.24104039388602683, 14);
    expect(s[5]).toBeCloseTo(1.1797611176118603, 14);
  });
  it("a constant column scores 0 everywhere; any increasing transform gives identical scores", () => {
    expect(Array.from(normalScores([7, 7, 7]))).toEqual([0, 0, 0]);
    const rng = mulberry32(3);
    const x = Array.from({ length: 50 }, () => normal(rng));
    const a = normalScores(x);
    expect(Array.from(normalScores(x.map((v) => Math.exp(3 * v))))).toEqual(Array.from(a));
    expect(Array.from(normalScores(x.map((v) => v ** 3 - 5)))).toEqual(Array.from(a));
  });
});

describe("mRMR with transform normalScores", () => {
  it("relevance of a perfectly separating column is the van der Waerden F, computed by hand", () => {
    // 8 distinct values, class 1 = the 4 largest: scores ±z1..±z4 (z_k = Φ⁻¹((4 + k - 3/8) / 8.25)), class means ±m,
    // m = mean(z); SSB = 8 m², SSW = 2 Σ z² - 8 m², F = SSB / (SSW / 6). The raw values are exp-spread on purpose.
    const x = [0.01, 0.3, 1, 2, 40, 900, 1e4, 1e6];
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    const z = [1, 2, 3, 4].map((k) => normalQuantile((4 + k - 0.375) / 8.25));
    const m = z.reduce((a, b) => a + b, 0) / 4;
    const ssw = 2 * z.reduce((a, b) => a + b * b, 0) - 8 * m * m;
    const F = (8 * m * m) / (ssw / 6);
    const r = mrmr(fromColumns([x]), y, { k: 1, transform: "normalScores" });
    expect(r.relevance[0]).toBeCloseTo(F, 10);
    expect(mrmr(fromColumns([x]), y, { k: 1 }).relevance[0]).toBeCloseTo(fStatistic(x, y), 12); // default: raw values
  });

  it("equals FCQ on the normal-score columns (brute force), and ignores monotone transforms of any column", () => {
    const rng = mulberry32(21);
    const n = 80,
      p = 10;
    const X = makeMatrix(n, p);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      for (let c = 0; c < p; c++)
        X.data[i * p + c] =
          normal(rng) + (c < 5 ? (c + 1) * 0.25 * y[i] : 0) + (c >= 5 ? 0.8 * X.data[i * p + c - 5] : 0);
    }
    const cols = Array.from({ length: p }, (_, c) =>
      Array.from(normalScores(Array.from({ length: n }, (_, i) => X.data[i * p + c]))),
    );
    // Naive FCQ on the score columns.
    const rel = cols.map((v) => fStatistic(v, y));
    const sel: number[] = [];
    for (let it = 0; it < 6; it++) {
      let best = -1,
        bestScore = -Infinity;
      for (let c = 0; c < p; c++) {
        if (sel.includes(c)) continue;
        const red = sel.length
          ? sel.reduce((a, t) => a + Math.max(0.001, Math.abs(pearsonPairwise(cols[c], cols[t]))), 0) / sel.length
          : 1;
        const s = rel[c] / red;
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      sel.push(best);
    }
    const r = mrmr(X, y, { k: 6, transform: "normalScores" });
    expect(r.selected).toEqual(sel);
    // Strictly increasing transforms column by column: same selection and scores.
    const T = makeMatrix(n, p);
    const f = [Math.exp, (v: number) => v ** 3, (v: number) => 2 * v + 1, Math.atan, (v: number) => Math.exp(v) ** 2];
    for (let i = 0; i < n; i++) for (let c = 0; c < p; c++) T.data[i * p + c] = f[c % f.length](X.data[i * p + c]);
    const rt = mrmr(T, y, { k: 6, transform: "normalScores" });
    expect(rt.selected).toEqual(r.selected);
    for (let j = 0; j < 6; j++) expect(rt.scores[j]).toBeCloseTo(r.scores[j], 9);
    for (const method of ["MID", "MIQ"] as const)
      expect(mrmr(T, y, { k: 6, method, transform: "normalScores" }).selected).toEqual(
        mrmr(X, y, { k: 6, method, transform: "normalScores" }).selected,
      );
  });

  it("ranks a log-normal signal above a weaker symmetric one, where raw F ranks it below (the demo's size problem)", () => {
    // y depends on g through a logistic model; A = exp(1.5 g) (log-normal, like a tumour volume), B = 0.6 g + noise.
    const rng = mulberry32(5);
    const n = 400;
    const A: number[] = [],
      B: number[] = [],
      y: number[] = [];
    for (let i = 0; i < n; i++) {
      const g = normal(rng);
      A.push(Math.exp(1.5 * g));
      B.push(0.6 * g + 0.8 * normal(rng));
      y.push(rng.next() < 1 / (1 + Math.exp(-1.2 * g)) ? 1 : 0);
    }
    const raw = mrmr(fromColumns([A, B]), y, { k: 1 });
    const ns = mrmr(fromColumns([A, B]), y, { k: 1, transform: "normalScores" });
    expect(raw.selected).toEqual([1]);
    expect(ns.selected).toEqual([0]);
    // The protocol passes the config's transform (and screen) to mRMR: the same choice inside fitPipeline.
    const cfg = (mrmr: object) =>
      parseProtocolConfig({ mrmr: { k: 1, ...mrmr }, rfe: { mode: "none" }, classifier: { type: "logistic" } });
    const y8 = Uint8Array.from(y);
    expect(fitPipeline(fromColumns([A, B]), y8, cfg({}), 1).mrmrColumns).toEqual([1]);
    expect(fitPipeline(fromColumns([A, B]), y8, cfg({ transform: "normalScores" }), 1).mrmrColumns).toEqual([0]);
  });

  it("protocol config: transform is optional (absent keeps the paper's mRMR and the config's bytes)", () => {
    expect("transform" in parseProtocolConfig({}).mrmr).toBe(false);
    expect(parseProtocolConfig({ mrmr: { transform: "normalScores" } }).mrmr.transform).toBe("normalScores");
    expect(() => parseProtocolConfig({ mrmr: { transform: "log" } })).toThrow();
    expect(() => mrmr(fromColumns([[1, 2, 3]]), [0, 1, 1], { k: 1, transform: "log" as never })).toThrow();
  });
});

describe("F test p-values (screen of mRMR's relevance)", () => {
  it("match scipy.stats.f.sf(F, 1, df) and scipy.special.betainc", () => {
    // Reference values from scipy 1.17 (independent implementation, Cephes).
    const ref: [number, number, number][] = [
      [16.7, 398, 5.297191088215616e-5],
      [3.97, 398, 0.04700037531050452],
      [0.5, 5, 0.5110840804302806],
      [25, 139, 1.6992989547350482e-6],
      [100, 10, 1.5895531755964125e-6],
      [1e-3, 3, 0.9767590969181911],
      [40, 1000, 3.823107147805344e-10],
    ];
    for (const [f, df, p] of ref) expect(Math.abs(fPValue1(f, df) - p) / p).toBeLessThan(1e-10);
    expect(Math.abs(incompleteBeta(0.3, 2.5, 0.5) - 0.018927124071945658)).toBeLessThan(1e-14);
    expect(fPValue1(0, 10)).toBe(1);
    expect(fPValue1(Infinity, 10)).toBe(0);
    // F(1, df) = t²: with df = 1 the t distribution is Cauchy, P(|T| > 1) = 1/2 exactly.
    expect(fPValue1(1, 1)).toBeCloseTo(0.5, 12);
  });
});

describe("mRMR relevance screen (relevanceAlpha)", () => {
  // 400 rows: 3 columns carry the label (a shift of 0.5 SD: F ~ 25, p ~ 1e-6), 200 are pure noise. Without the screen
  // the quotient relevance / mean |r| takes noise columns (|r| with the chosen ones ~ 0.04) before a correlated
  // proxy; with it, only columns significant at 0.05 / 203 are candidates.
  const rng = mulberry32(17);
  const n = 400,
    signal = 3,
    noise = 200,
    p = signal + noise;
  const X = makeMatrix(n, p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const g = normal(rng) + 0.5 * y[i];
    for (let c = 0; c < p; c++) X.data[i * p + c] = c < signal ? g + 0.5 * normal(rng) : normal(rng);
  }

  it("candidates are exactly the columns with F p-value <= alpha / p; unscreened mRMR picks noise", () => {
    const plain = mrmr(X, y, { k: 3 });
    expect(plain.selected.some((c) => c >= signal)).toBe(true); // the failure the screen addresses
    const r = mrmr(X, y, { k: 3, relevanceAlpha: 0.05 });
    const expected = Array.from(plain.relevance, (f, c) => (fPValue1(f, n - 2) <= 0.05 / p ? c : -1)).filter(
      (c) => c >= 0,
    );
    expect(r.screened).toBe(expected.length);
    expect(expected).toEqual([0, 1, 2]); // no noise column passes at this seed
    expect(r.selected.slice().sort()).toEqual([0, 1, 2]);
  });

  it("MI methods screen by the G test; with no significant column the most relevant one is kept", () => {
    const r = mrmr(X, y, { k: 5, method: "MID", relevanceAlpha: 0.05 });
    const expected = Array.from(r.relevance, (mi, c) => (Math.exp(-n * Math.LN2 * mi) <= 0.05 / p ? c : -1)).filter(
      (c) => c >= 0,
    );
    expect(r.screened).toBe(expected.length);
    expect(r.selected.every((c) => expected.includes(c))).toBe(true);
    const yNoise = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
    const Xn = makeMatrix(40, 30);
    const rn = mulberry32(2);
    for (let i = 0; i < Xn.data.length; i++) Xn.data[i] = normal(rn);
    const s = mrmr(Xn, yNoise, { k: 5, relevanceAlpha: 0.05 });
    const best = Array.from(s.relevance).indexOf(Math.max(...s.relevance));
    expect(s.selected).toEqual([best]);
    expect(s.screened).toBe(1);
    expect(() => mrmr(Xn, yNoise, { k: 5, relevanceAlpha: 1 })).toThrow();
  });
});
