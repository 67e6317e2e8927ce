import { describe, expect, it } from "vitest";
import fixture from "./testdata/metrics-fixture.json";
import {
  aucWithCi,
  calibration,
  evaluateBinary,
  meanSd,
  selectionFrequency,
  summariseMetrics,
  thresholdMetrics,
} from "./index";

interface Case {
  name: string;
  y: number[];
  p: number[];
  threshold: number;
  expected: Record<string, number>;
}

// Expected values: scikit-learn 1.2.1 / scipy (testdata/make_metrics_fixture.py); DeLong SE from its pairwise definition.
describe("metrics against scikit-learn", () => {
  for (const c of fixture as Case[]) {
    it(c.name, () => {
      const e = c.expected;
      const m = evaluateBinary(c.y, c.p, c.threshold);
      for (const k of ["balancedAccuracy", "sensitivity", "specificity", "accuracy", "f1", "auc", "brier"] as const) {
        expect(m[k], k).toBeCloseTo(e[k], 12);
      }
      expect(m.aucCiLower).toBeCloseTo(e.aucCiLower, 8);
      expect(m.aucCiUpper).toBeCloseTo(e.aucCiUpper, 8);
      expect(aucWithCi(c.y, c.p).se).toBeCloseTo(e.aucSe, 12);
      // Optimiser tolerances on the Python side limit agreement to ~1e-6.
      expect(m.calibrationIntercept).toBeCloseTo(e.calibrationIntercept, 6);
      expect(m.calibrationSlope).not.toBeNull();
      expect(m.calibrationSlope!).toBeCloseTo(e.calibrationSlope, 5);
      expect(calibration(c.y, c.p).slopeModelIntercept!).toBeCloseTo(e.slopeModelIntercept, 5);
    });
  }
});

describe("metrics by hand", () => {
  it("confusion counts and strict threshold", () => {
    // p = 0.5 is NOT positive at threshold 0.5 (p > t), so: y=1 -> 0.9 TP, 0.5 FN; y=0 -> 0.6 FP, 0.1 TN, 0.2 TN.
    const t = thresholdMetrics([1, 1, 0, 0, 0], [0.9, 0.5, 0.6, 0.1, 0.2]);
    expect([t.tp, t.fn, t.fp, t.tn]).toEqual([1, 1, 1, 2]);
    expect(t.balancedAccuracy).toBeCloseTo((0.5 + 2 / 3) / 2, 15);
  });
  it("AUC counts ties as one half", () => {
    // pairs (pos,neg): (0.5,0.5)=0.5, (0.5,0.1)=1, (0.9,0.5)=1, (0.9,0.1)=1 -> 3.5/4
    expect(aucWithCi([1, 1, 0, 0], [0.5, 0.9, 0.5, 0.1]).auc).toBe(0.875);
  });
  it("perfect separation has no calibration slope, intercept still defined", () => {
    const c = calibration([0, 0, 1, 1], [0.2, 0.3, 0.7, 0.8]);
    expect(c.slope).toBeNull();
    expect(Number.isFinite(c.intercept)).toBe(true);
  });
  it("calibration intercept is found for confidently wrong predictions (score equation solved)", () => {
    const y = [0, 0, 0, 1, 1, 1];
    const p = [1 - 1e-15, 0.9999, 0.7, 1e-15, 0.2, 0.6];
    const c = calibration(y, p);
    const x = p.map((v) =>
      Math.log(Math.min(1 - 1e-12, Math.max(1e-12, v)) / (1 - Math.min(1 - 1e-12, Math.max(1e-12, v)))),
    );
    const score = y.reduce((s, yi, i) => s + yi - 1 / (1 + Math.exp(-(c.intercept + x[i]))), 0);
    expect(Number.isFinite(c.intercept)).toBe(true);
    expect(Math.abs(score)).toBeLessThan(1e-9);
  });
  it("rejects one-class input", () => {
    expect(() => evaluateBinary([1, 1], [0.2, 0.3])).toThrow(/both classes/);
  });
  it("mean ± SD and selection frequency", () => {
    const s = meanSd([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 15);
    expect(() => meanSd([])).toThrow();
    const f = selectionFrequency([["a", "b"], ["b", "c"], ["b"], ["a"]]);
    expect(f).toEqual([
      { feature: "b", count: 3, frequency: 0.75 },
      { feature: "a", count: 2, frequency: 0.5 },
      { feature: "c", count: 1, frequency: 0.25 },
    ]);
    const m1 = evaluateBinary([0, 1, 0, 1], [0.1, 0.9, 0.4, 0.6]);
    const summ = summariseMetrics([m1, m1]);
    expect(summ.auc!.mean).toBe(1);
    expect(summ.auc!.sd).toBe(0);
    expect(summ.calibrationSlope).toBeNull();
  });
});
