import { describe, expect, it } from "vitest";
import { bayesBalancedAccuracy, realisedBalancedAccuracy } from "./bayes";
import { Rng } from "./prng";

/** Expected balanced accuracy of "predict 1 when p > t" for known probabilities. */
function expectedBa(p: number[], t: number): number {
  const sum = p.reduce((a, b) => a + b, 0);
  let tp = 0,
    tn = 0;
  for (const x of p) {
    if (x > t) tp += x;
    else tn += 1 - x;
  }
  return (tp / sum + tn / (p.length - sum)) / 2;
}

describe("bayesBalancedAccuracy", () => {
  it("is 0.5 without information and 1 with certainty", () => {
    expect(bayesBalancedAccuracy([0.3, 0.3, 0.3, 0.3]).balancedAccuracy).toBeCloseTo(0.5, 12);
    expect(bayesBalancedAccuracy([0, 1, 1, 0, 0]).balancedAccuracy).toBeCloseTo(1, 12);
  });

  it("matches a hand-computed two-point case", () => {
    // Half the patients have p = 0.8, half p = 0.2: prevalence 0.5, TPR = 0.8, TNR = 0.8.
    const r = bayesBalancedAccuracy([0.8, 0.2, 0.8, 0.2]);
    expect(r.threshold).toBeCloseTo(0.5, 12);
    expect(r.balancedAccuracy).toBeCloseTo(0.8, 12);
  });

  it("the prevalence threshold beats every other threshold", () => {
    const rng = Rng.fromKey("bayes-test");
    const p = Array.from({ length: 4000 }, () => 1 / (1 + Math.exp(-rng.normal(-0.8, 1.5))));
    const best = bayesBalancedAccuracy(p);
    for (let t = 0.01; t < 1; t += 0.01) expect(expectedBa(p, t)).toBeLessThanOrEqual(best.balancedAccuracy + 1e-12);
    expect(expectedBa(p, best.threshold)).toBeCloseTo(best.balancedAccuracy, 12);
  });

  it("agrees with realised labels drawn from the same probabilities", () => {
    const rng = Rng.fromKey("bayes-test-2");
    const p = Array.from({ length: 50000 }, () => 1 / (1 + Math.exp(-rng.normal(-0.5, 1.2))));
    const y = p.map((x) => (rng.uniform() < x ? 1 : 0));
    const b = bayesBalancedAccuracy(p);
    // Standard error of a balanced accuracy over 50 000 patients is ~0.003.
    expect(Math.abs(realisedBalancedAccuracy(p, y, b.threshold) - b.balancedAccuracy)).toBeLessThan(0.012);
  });

  it("rejects invalid input instead of returning NaN", () => {
    expect(() => bayesBalancedAccuracy([])).toThrow(/at least one/);
    expect(() => bayesBalancedAccuracy([0.2, Number.NaN])).toThrow(/not in \[0, 1\]/);
    expect(() => bayesBalancedAccuracy([0, 0])).toThrow(/prevalence/);
  });
});
