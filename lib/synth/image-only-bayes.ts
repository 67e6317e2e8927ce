/**
 * Bayes rates for a pipeline that sees only the images (no subtype, no Ki-67).
 *
 * The planted probability p depends on subtype s and Ki-67, which the images do not show directly; but the image
 * latents x = (size d, heterogeneity H, T2 ratio R, peritumoral oedema P) carry information about s. The best any
 * image-only predictor can do is the posterior
 *   p_img(x) = E[p | x] = sum_s P(s | x) E_{Ki-67 | s}[ p(s, Ki-67, x) ],
 *   P(s | x) proportional to  pi_s f(d | s) f(H | d, s) f(P | H, s) f(R | s),
 * with the generator's own densities (LATENT_MODEL; log-normal d and R, Beta H and P). Values clamped at the bounds of
 * d and R use the clamped tail mass; H and P clamping (< 0.1 % of patients) uses the density at the bound. Ki-67 given s
 * is the empirical distribution of 20 000 draws of the generator's sampler per subtype. Weak subtype information in
 * breast density / BPE (through age) is ignored. The Bayes rule is then p_img > prevalence (bayes.ts).
 */
import { SUBTYPES, SUBTYPE_WEIGHTS, sampleClinical, type Subtype } from "./clinical";
import { OUTCOME_MODEL, standardisedTerms } from "./outcome-model";
import { heterogeneityMean, LATENT_MODEL, peritumoralMean, type PatientTruth } from "./patient-model";
import { Rng } from "./prng";
import { lnGamma } from "../ml/ln-gamma";

function logBetaPdf(x: number, mean: number, concentration: number): number {
  const a = mean * concentration;
  const b = (1 - mean) * concentration;
  return (a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x) - (lnGamma(a) + lnGamma(b) - lnGamma(a + b));
}

/** Standard normal CDF from the Numerical Recipes erfc approximation (|error| < 1.2e-7). */
function normalCdf(z: number): number {
  const t = 1 / (1 + (0.5 * Math.abs(z)) / Math.SQRT2);
  const y =
    t *
    Math.exp(
      -((z * z) / 2) -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - y / 2 : y / 2;
}

/** Log-likelihood of a clamped log-normal observation (tail mass at the clamp bounds). */
function logClampedLogNormal(x: number, logMedian: number, sdLog: number, min: number, max: number): number {
  const eps = 1e-9;
  if (x <= min + eps) return Math.log(Math.max(1e-300, normalCdf((Math.log(min) - logMedian) / sdLog)));
  if (x >= max - eps) return Math.log(Math.max(1e-300, 1 - normalCdf((Math.log(max) - logMedian) / sdLog)));
  const z = (Math.log(x) - logMedian) / sdLog;
  return -0.5 * z * z - Math.log(x * sdLog * Math.sqrt(2 * Math.PI));
}

export type Ki67Distribution = Record<Subtype, Float64Array>;

/** Empirical P(Ki-67 = k | subtype), k = 0..100, from the generator's own clinical sampler. */
export function ki67Distribution(drawsPerSubtype = 20000): Ki67Distribution {
  const out = {} as Ki67Distribution;
  for (const s of SUBTYPES) {
    const pmf = new Float64Array(101);
    const rng = Rng.fromKey(`nacpredict-synth/v1/ki67-distribution/${s}`);
    for (let i = 0; i < drawsPerSubtype; i++) pmf[sampleClinical(rng, s).ki67Percent] += 1;
    for (let k = 0; k <= 100; k++) pmf[k] /= drawsPerSubtype;
    out[s] = pmf;
  }
  return out;
}

export interface ImageLatents {
  equivalentDiameterMm: number;
  heterogeneity: number;
  t2SignalRatio: number;
  peritumoral: number;
}

/** P(subtype | image latents). */
export function subtypePosterior(x: ImageLatents): Record<Subtype, number> {
  const L = LATENT_MODEL;
  const logw = SUBTYPES.map((s, k) => {
    const tn = s === "TNBC";
    const clampH = Math.min(1 - 1e-6, Math.max(1e-6, x.heterogeneity));
    const clampP = Math.min(1 - 1e-6, Math.max(1e-6, x.peritumoral));
    return (
      Math.log(SUBTYPE_WEIGHTS[k]) +
      logClampedLogNormal(
        x.equivalentDiameterMm,
        L.size.logMedianMm + (tn ? L.size.tnShift : 0),
        L.size.sdLog,
        L.size.min,
        L.size.max,
      ) +
      logBetaPdf(clampH, heterogeneityMean(s, x.equivalentDiameterMm), L.heterogeneity.concentration) +
      logBetaPdf(clampP, peritumoralMean(x.heterogeneity, tn), L.peritumoral.concentration) +
      logClampedLogNormal(
        x.t2SignalRatio,
        L.t2Ratio.logMedian + (tn ? L.t2Ratio.tnShift : 0),
        L.t2Ratio.sdLog,
        L.t2Ratio.min,
        L.t2Ratio.max,
      )
    );
  });
  const m = Math.max(...logw);
  const w = logw.map((v) => Math.exp(v - m));
  const z = w.reduce((a, b) => a + b, 0);
  const out = {} as Record<Subtype, number>;
  SUBTYPES.forEach((s, k) => (out[s] = w[k] / z));
  return out;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** E[p | image latents] for both endpoints. */
export function imageOnlyProbabilities(x: ImageLatents, ki67: Ki67Distribution): { pPcr: number; pResponse: number } {
  const post = subtypePosterior(x);
  const cp = OUTCOME_MODEL.pcr;
  const cq = OUTCOME_MODEL.partialResponse;
  let pPcr = 0;
  let pResponse = 0;
  for (const s of SUBTYPES) {
    if (post[s] < 1e-12) continue;
    // Linear predictors at Ki-67 = 30 (its term is zero there), then the Ki-67 term added per value.
    const t = standardisedTerms({ subtype: s, ki67Percent: 30, ...x });
    const rest = (c: typeof cp | typeof cq) =>
      c.intercept +
      c.her2Positive * t.her2Positive +
      c.tripleNegative * t.tripleNegative +
      c.logSize * t.logSize +
      c.heterogeneity * t.heterogeneity +
      c.logT2Ratio * t.logT2Ratio;
    const ep0 = rest(cp);
    const eq0 = rest(cq);
    const pmf = ki67[s];
    let ep = 0;
    let er = 0;
    for (let k = 0; k <= 100; k++) {
      if (pmf[k] === 0) continue;
      const kt = (k - 30) / 20;
      const p = sigmoid(ep0 + cp.ki67 * kt);
      const q = sigmoid(eq0 + cq.ki67 * kt);
      ep += pmf[k] * p;
      er += pmf[k] * (p + (1 - p) * q);
    }
    pPcr += post[s] * ep;
    pResponse += post[s] * er;
  }
  return { pPcr, pResponse };
}

export function imageLatentsOf(t: Pick<PatientTruth, "tumour">): ImageLatents {
  return {
    equivalentDiameterMm: t.tumour.equivalentDiameterMm,
    heterogeneity: t.tumour.heterogeneity,
    t2SignalRatio: t.tumour.t2SignalRatio,
    peritumoral: t.tumour.peritumoral,
  };
}
