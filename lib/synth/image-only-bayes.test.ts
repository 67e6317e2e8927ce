import { describe, expect, it } from "vitest";
import { bayesBalancedAccuracy } from "./bayes";
import { SUBTYPES } from "./clinical";
import { DOCUMENTED_POPULATION } from "./cohort";
import { imageLatentsOf, imageOnlyProbabilities, ki67Distribution, subtypePosterior } from "./image-only-bayes";
import { outcomeProbabilities } from "./outcome-model";
import { samplePatientTruth } from "./patient-model";

const ki67 = ki67Distribution();
const N = 20000;
const truths = Array.from({ length: N }, (_, i) => samplePatientTruth("image-only-test", i));
const p = truths.map((t) => t.probabilities.pPcr);
const img = truths.map((t) => imageOnlyProbabilities(imageLatentsOf(t), ki67));

describe("image-only Bayes rates", () => {
  it("the fast path equals the brute-force posterior expectation", () => {
    for (const t of truths.slice(0, 5)) {
      const x = imageLatentsOf(t);
      const post = subtypePosterior(x);
      let ep = 0,
        er = 0;
      for (const s of SUBTYPES)
        for (let k = 0; k <= 100; k++) {
          if (!ki67[s][k]) continue;
          const o = outcomeProbabilities({ subtype: s, ki67Percent: k, ...x });
          ep += post[s] * ki67[s][k] * o.pPcr;
          er += post[s] * ki67[s][k] * o.pResponse;
        }
      const fast = imageOnlyProbabilities(x, ki67);
      expect(fast.pPcr).toBeCloseTo(ep, 12);
      expect(fast.pResponse).toBeCloseTo(er, 12);
    }
  });

  it("is calibrated: within deciles of E[p | images], the true probabilities average to it", () => {
    // E[p - p_img | any function of the image latents] = 0 holds only if the posterior is right.
    const order = img.map((_, i) => i).sort((a, b) => img[a].pPcr - img[b].pPcr);
    for (let d = 0; d < 10; d++) {
      const idx = order.slice((d * N) / 10, ((d + 1) * N) / 10);
      const meanP = idx.reduce((a, i) => a + p[i], 0) / idx.length;
      const meanImg = idx.reduce((a, i) => a + img[i].pPcr, 0) / idx.length;
      // The spread of p within a decile is <= 0.3, so the standard error of the mean over 2000 patients is < 0.007.
      expect(Math.abs(meanP - meanImg)).toBeLessThan(0.02);
    }
    // Posterior subtype probabilities are calibrated too (triple negative).
    const tnPost = truths.map((t) => subtypePosterior(imageLatentsOf(t)).TNBC);
    const tnTrue = truths.map((t) => (t.clinical.subtype === "TNBC" ? 1 : 0));
    const avgPost = tnPost.reduce((a, b) => a + b, 0) / N;
    const avgTrue = tnTrue.reduce((a: number, b) => a + b, 0) / N;
    expect(Math.abs(avgPost - avgTrue)).toBeLessThan(0.01);
  });

  it("matches the documented figures and is below the full-information Bayes rate", () => {
    const full = bayesBalancedAccuracy(p).balancedAccuracy;
    const pcr = bayesBalancedAccuracy(img.map((x) => x.pPcr)).balancedAccuracy;
    const resp = bayesBalancedAccuracy(img.map((x) => x.pResponse)).balancedAccuracy;
    expect(pcr).toBeLessThan(full);
    expect(Math.abs(pcr - DOCUMENTED_POPULATION.imageOnlyPcrBayesBalancedAccuracy)).toBeLessThan(0.015);
    expect(Math.abs(resp - DOCUMENTED_POPULATION.imageOnlyResponseBayesBalancedAccuracy)).toBeLessThan(0.015);
  });
});
