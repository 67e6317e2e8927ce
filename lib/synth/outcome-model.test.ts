import { describe, expect, it } from "vitest";
import { DOCUMENTED_POPULATION, populationBayes } from "./cohort";
import { drawOutcomes, outcomeProbabilities } from "./outcome-model";
import { samplePatientTruth } from "./patient-model";
import { Rng } from "./prng";

describe("planted outcome model", () => {
  it("reproduces the documented population rates and Bayes balanced accuracies (Monte Carlo, same code)", () => {
    const n = 20000;
    const r = populationBayes(n);
    // Standard errors at n = 20 000 are ~0.003 for the rates and ~0.004 for the balanced accuracies.
    expect(Math.abs(r.pcrRate - DOCUMENTED_POPULATION.pcrRate)).toBeLessThan(0.012);
    expect(Math.abs(r.responseRate - DOCUMENTED_POPULATION.responseRate)).toBeLessThan(0.012);
    expect(Math.abs(r.pcr.balancedAccuracy - DOCUMENTED_POPULATION.pcrBayesBalancedAccuracy)).toBeLessThan(0.015);
    expect(Math.abs(r.response.balancedAccuracy - DOCUMENTED_POPULATION.responseBayesBalancedAccuracy)).toBeLessThan(
      0.015,
    );
    // Literature-like rates: ~30 % pCR, ~70 % response.
    expect(r.pcrRate).toBeGreaterThan(0.27);
    expect(r.pcrRate).toBeLessThan(0.34);
    expect(r.responseRate).toBeGreaterThan(0.65);
    expect(r.responseRate).toBeLessThan(0.75);
  });

  it("draws labels at the planted probabilities, pCR always implying response", () => {
    const n = 20000;
    let pSum = 0,
      rSum = 0,
      pcr = 0,
      resp = 0,
      violations = 0;
    for (let i = 0; i < n; i++) {
      const t = samplePatientTruth("outcome-test", i);
      pSum += t.probabilities.pPcr;
      rSum += t.probabilities.pResponse;
      pcr += t.outcome.pcr;
      resp += t.outcome.response;
      if (t.outcome.pcr === 1 && t.outcome.response !== 1) violations++;
      if (t.probabilities.pResponse < t.probabilities.pPcr) violations++;
    }
    expect(violations).toBe(0);
    // Binomial standard error over 20 000 draws is < 0.0035.
    expect(Math.abs(pcr / n - pSum / n)).toBeLessThan(0.014);
    expect(Math.abs(resp / n - rSum / n)).toBeLessThan(0.014);
  });

  it("has the documented directions: HER2+/TNBC and Ki-67 raise, size and heterogeneity lower pCR", () => {
    const base = {
      subtype: "HR+/HER2-" as const,
      ki67Percent: 30,
      equivalentDiameterMm: 24,
      heterogeneity: 0.45,
      t2SignalRatio: 1.9,
    };
    const p0 = outcomeProbabilities(base).pPcr;
    expect(outcomeProbabilities({ ...base, subtype: "HR-/HER2+" }).pPcr).toBeGreaterThan(p0);
    expect(outcomeProbabilities({ ...base, subtype: "TNBC" }).pPcr).toBeGreaterThan(p0);
    expect(outcomeProbabilities({ ...base, ki67Percent: 60 }).pPcr).toBeGreaterThan(p0);
    expect(outcomeProbabilities({ ...base, equivalentDiameterMm: 40 }).pPcr).toBeLessThan(p0);
    expect(outcomeProbabilities({ ...base, heterogeneity: 0.8 }).pPcr).toBeLessThan(p0);
    expect(outcomeProbabilities({ ...base, t2SignalRatio: 2.6 }).pPcr).toBeGreaterThan(p0);
    expect(outcomeProbabilities({ ...base, heterogeneity: 0.8 }).pResponse).toBeLessThan(
      outcomeProbabilities(base).pResponse,
    );
  });

  it("drawOutcomes splits the unit square as documented", () => {
    const p = { pPcr: 0.3, pResponse: 0.65 };
    expect(drawOutcomes(p, 0.29, 0.99)).toEqual({ pcr: 1, response: 1 });
    // q = (0.65 - 0.3) / 0.7 = 0.5
    expect(drawOutcomes(p, 0.31, 0.49)).toEqual({ pcr: 0, response: 1 });
    expect(drawOutcomes(p, 0.31, 0.51)).toEqual({ pcr: 0, response: 0 });
    const rng = Rng.fromKey("draw-test");
    let r = 0;
    for (let i = 0; i < 40000; i++) r += drawOutcomes(p, rng.uniform(), rng.uniform()).response;
    expect(Math.abs(r / 40000 - 0.65)).toBeLessThan(0.01);
  });
});
