/**
 * The planted truth: pCR and response (>= 30 % reduction of the longest diameter) are drawn from a latent logistic model
 * of quantities the pipeline can measure inside the tumour ROI (size, enhancement heterogeneity, T2 signal ratio) and of
 * clinical variables (HER2+, triple negative, Ki-67). Coefficients are design choices with literature-plausible signs,
 * documented in docs/SYNTHETIC_COHORT.md; intercepts are calibrated so that the population rates are ~30 % pCR and
 * ~70 % response.
 *
 * Peritumoral oedema/enhancement is rendered but deliberately NOT in the model: given the ROI quantities it carries no
 * extra information, so a pipeline that only looks inside the tumour ROI can in principle reach the Bayes rate.
 */
import type { Subtype } from "./clinical";

export interface OutcomeInputs {
  subtype: Subtype;
  ki67Percent: number;
  /** Volume-equivalent sphere diameter of the rendered tumour, mm. */
  equivalentDiameterMm: number;
  /** 0..1: necrotic-core fraction, rim enhancement and texture amplitude all grow with it. */
  heterogeneity: number;
  /** Solid-tumour T2 signal / pectoralis muscle T2 signal. */
  t2SignalRatio: number;
}

/** Standardisation of each term: (x - centre) / scale, with centres near the population means. */
export const OUTCOME_MODEL = {
  pcr: {
    intercept: -2.75,
    her2Positive: 2.2,
    tripleNegative: 1.85,
    ki67: 0.6, // per (Ki-67 - 30) / 20
    logSize: -0.7, // per ln(d / 24 mm) / 0.38
    heterogeneity: -1.0, // per (H - 0.45) / 0.2
    logT2Ratio: 0.5, // per ln(ratio / 1.9) / 0.25
  },
  /** Partial response among patients without pCR; P(response) = p_pCR + (1 - p_pCR) * q (pCR implies response). */
  partialResponse: {
    intercept: 0.32,
    her2Positive: 0.6,
    tripleNegative: 0.5,
    ki67: 0.6,
    logSize: -0.35,
    heterogeneity: -0.9,
    logT2Ratio: 0.35,
  },
} as const;

type Coefs = (typeof OUTCOME_MODEL)["pcr"] | (typeof OUTCOME_MODEL)["partialResponse"];

export function standardisedTerms(x: OutcomeInputs) {
  return {
    her2Positive: x.subtype === "HR+/HER2+" || x.subtype === "HR-/HER2+" ? 1 : 0,
    tripleNegative: x.subtype === "TNBC" ? 1 : 0,
    ki67: (x.ki67Percent - 30) / 20,
    logSize: Math.log(x.equivalentDiameterMm / 24) / 0.38,
    heterogeneity: (x.heterogeneity - 0.45) / 0.2,
    logT2Ratio: Math.log(x.t2SignalRatio / 1.9) / 0.25,
  };
}

function linearPredictor(c: Coefs, x: OutcomeInputs): number {
  const t = standardisedTerms(x);
  return (
    c.intercept +
    c.her2Positive * t.her2Positive +
    c.tripleNegative * t.tripleNegative +
    c.ki67 * t.ki67 +
    c.logSize * t.logSize +
    c.heterogeneity * t.heterogeneity +
    c.logT2Ratio * t.logT2Ratio
  );
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export interface OutcomeProbabilities {
  pPcr: number;
  pResponse: number;
}

export function outcomeProbabilities(x: OutcomeInputs): OutcomeProbabilities {
  const pPcr = sigmoid(linearPredictor(OUTCOME_MODEL.pcr, x));
  const q = sigmoid(linearPredictor(OUTCOME_MODEL.partialResponse, x));
  return { pPcr, pResponse: pPcr + (1 - pPcr) * q };
}

/**
 * Draws the outcomes from two uniforms so that pCR implies response: pCR if u1 < pPcr; otherwise response if u2 < q.
 */
export function drawOutcomes(p: OutcomeProbabilities, u1: number, u2: number): { pcr: 0 | 1; response: 0 | 1 } {
  if (u1 < p.pPcr) return { pcr: 1, response: 1 };
  const q = p.pPcr >= 1 ? 0 : (p.pResponse - p.pPcr) / (1 - p.pPcr);
  return { pcr: 0, response: u2 < q ? 1 : 0 };
}
