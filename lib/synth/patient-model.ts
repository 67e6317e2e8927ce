/**
 * Everything about one synthetic patient except the pixels: subtype, tumour latents and shape, clinical record,
 * anatomy parameters, planted outcome probabilities and drawn outcomes. Cheap (well under a millisecond), so the same
 * code serves both image generation and the large Monte Carlo that computes the Bayes rates.
 */
import {
  sampleClinical,
  sampleSubtype,
  stageTumour,
  type ClinicalCore,
  type ClinicalRecord,
  type Subtype,
} from "./clinical";
import { drawOutcomes, outcomeProbabilities, type OutcomeProbabilities } from "./outcome-model";
import { sha256Hex } from "./hash";
import { Rng } from "./prng";
import { longestDiameterMm, maxRadiusMm, sampleTumourShape, type TumourShapeParams } from "./tumour-shape";

export interface TumourLatents {
  /** Volume-equivalent sphere diameter (mm), the size term of the outcome model. */
  equivalentDiameterMm: number;
  longestDiameterMm: number;
  volumeMl: number;
  /** 0..1, drives necrotic core size, rim enhancement and internal texture amplitude. */
  heterogeneity: number;
  /** Necrotic core radius as a fraction of the local tumour radius (0 = none). */
  necrosisFraction: number;
  /** 0..1, peritumoral oedema (T2) and enhancement (CE-T1); rendered, not causal in the outcome model. */
  peritumoral: number;
  /** Solid tumour T2 signal / pectoralis muscle T2 signal. */
  t2SignalRatio: number;
  /** Solid tumour CE-T1 signal / unenhanced fibroglandular tissue signal. */
  enhancementRatio: number;
  /** Solid tumour attenuation on contrast CT, HU. */
  ctEnhancementHu: number;
  /** 0..1, margin lobulation. */
  lobulation: number;
}

export interface AnatomyParams {
  /** +1 for a left breast (LPS +x), -1 for right. */
  side: 1 | -1;
  /** Lateral offset of the breast centre from the midline, mm. */
  breastOffsetMm: number;
  /** Prone (MR) breast: half-width (x), projection from the chest wall (y), half-height (z), mm. */
  breastHalfWidthMm: number;
  breastDepthMm: number;
  breastHalfHeightMm: number;
  pectoralisThicknessMm: number;
  subcutaneousFatMm: number;
  /** Fraction of the breast volume that is fibroglandular (0.05 fatty .. 0.6 extremely dense). */
  fgtFraction: number;
  /** Background parenchymal enhancement, relative signal increase of FGT on CE-T1. */
  bpe: number;
  /** Tumour centre in normalised breast coordinates: lateral u, depth v (0 = chest wall, 1 = nipple), vertical w. */
  tumourU: number;
  tumourV: number;
  tumourW: number;
  /** Offset of the series' z centre from the tumour centre, mm (so the tumour is not always mid-stack). */
  fovZOffsetMm: number;
  /** CT (supine): flattening of the breast depth and widening of its footprint. */
  ctDepthScale: number;
  ctWidthScale: number;
}

export interface PatientModel {
  seed: string;
  index: number;
  patientId: string;
  patientName: string;
  clinical: ClinicalRecord;
  tumour: TumourLatents;
  shape: TumourShapeParams;
  anatomy: AnatomyParams;
  probabilities: OutcomeProbabilities;
  outcome: { pcr: 0 | 1; response: 0 | 1 };
}

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(p / (1 - p));

/**
 * Parameters of the tumour latents that depend on the subtype (shared by the sampler and by image-only-bayes.ts,
 * which inverts them).
 */
export const LATENT_MODEL = {
  size: { logMedianMm: Math.log(24), tnShift: 0.06, sdLog: 0.38, min: 9, max: 48 },
  heterogeneity: {
    mean: { "HR+/HER2-": 0.38, "HR+/HER2+": 0.44, "HR-/HER2+": 0.48, TNBC: 0.56 } as Record<Subtype, number>,
    sizeSlope: 0.9,
    concentration: 6,
    min: 0.02,
    max: 0.98,
  },
  peritumoral: {
    intercept: -1.1,
    hetSlope: 1.6,
    hetCentre: 0.45,
    tnShift: 0.6,
    concentration: 5,
    min: 0.01,
    max: 0.99,
  },
  t2Ratio: { logMedian: Math.log(1.9), tnShift: 0.15, sdLog: 0.22, min: 1.1, max: 4 },
} as const;

/** Mean of the (Beta) heterogeneity given subtype and size: larger and triple-negative tumours are more necrotic. */
export function heterogeneityMean(subtype: Subtype, equivalentDiameterMm: number): number {
  const h = LATENT_MODEL.heterogeneity;
  return sigmoid(logit(h.mean[subtype]) + h.sizeSlope * Math.log(equivalentDiameterMm / 24));
}

/** Mean of the (Beta) peritumoral oedema given heterogeneity and triple negativity. */
export function peritumoralMean(heterogeneity: number, tripleNegative: boolean): number {
  const p = LATENT_MODEL.peritumoral;
  return sigmoid(p.intercept + p.hetSlope * (heterogeneity - p.hetCentre) + (tripleNegative ? p.tnShift : 0));
}

export function patientKey(seed: string | number, index: number, purpose: string): string {
  return `nacpredict-synth/v1/${seed}/patient/${index}/${purpose}`;
}

export function patientLabel(index: number): string {
  return `PATIENT-${String(index + 1).padStart(3, "0")}`;
}

/** Folder of patient `index` inside a cohort directory (readable; unique within a cohort). */
export function patientDirectory(index: number): string {
  return `DEMO-${patientLabel(index)}`;
}

/**
 * PatientID: readable label plus a tag of the seed, so that cohorts generated with different seeds never share a
 * PatientID (a database keyed on it would otherwise merge different synthetic patients).
 */
export function patientIdFor(seed: string | number, index: number): string {
  return `DEMO-${patientLabel(index)}-${sha256Hex(`nacpredict-synth/seed-tag/${seed}`).slice(0, 6).toUpperCase()}`;
}

/** The part of a patient that decides the planted outcome: subtype, clinical core, tumour latents, probabilities. */
export interface PatientTruth {
  clinical: ClinicalCore;
  tumour: Omit<TumourLatents, "longestDiameterMm">;
  probabilities: OutcomeProbabilities;
  outcome: { pcr: 0 | 1; response: 0 | 1 };
}

/**
 * Cheap (no tumour shape): used directly by the Bayes-rate Monte Carlo and as the first step of samplePatientModel,
 * so both run the same code.
 */
export function samplePatientTruth(seed: string | number, index: number): PatientTruth {
  const rng = (purpose: string) => Rng.fromKey(patientKey(seed, index, purpose));
  const r = rng("latents");
  const subtype = sampleSubtype(r);
  const tn = subtype === "TNBC";

  // Size: log-normal, median 24 mm volume-equivalent diameter (about 30 mm longest diameter), mostly cT2.
  const L = LATENT_MODEL;
  const equivalentDiameterMm = clamp(
    Math.exp(r.normal(L.size.logMedianMm + (tn ? L.size.tnShift : 0), L.size.sdLog)),
    L.size.min,
    L.size.max,
  );
  const heterogeneity = clamp(
    r.betaMean(heterogeneityMean(subtype, equivalentDiameterMm), L.heterogeneity.concentration),
    L.heterogeneity.min,
    L.heterogeneity.max,
  );
  const necrosisFraction = heterogeneity < 0.3 ? 0 : 0.8 * Math.pow((heterogeneity - 0.3) / 0.7, 0.8);
  const peritumoral = clamp(
    r.betaMean(peritumoralMean(heterogeneity, tn), L.peritumoral.concentration),
    L.peritumoral.min,
    L.peritumoral.max,
  );
  const t2SignalRatio = clamp(
    Math.exp(r.normal(L.t2Ratio.logMedian + (tn ? L.t2Ratio.tnShift : 0), L.t2Ratio.sdLog)),
    L.t2Ratio.min,
    L.t2Ratio.max,
  );
  const enhancementRatio = clamp(Math.exp(r.normal(Math.log(4), 0.2)), 2.2, 7);
  const ctEnhancementHu = clamp(55 + 12 * enhancementRatio + r.normal(0, 8), 60, 160);
  const lobulation = r.betaMean(0.4, 4);
  const clinical = sampleClinical(rng("clinical"), subtype);

  const probabilities = outcomeProbabilities({
    subtype,
    ki67Percent: clinical.ki67Percent,
    equivalentDiameterMm,
    heterogeneity,
    t2SignalRatio,
  });
  const o = rng("outcome");
  const outcome = drawOutcomes(probabilities, o.uniform(), o.uniform());
  return {
    clinical,
    tumour: {
      equivalentDiameterMm,
      volumeMl: ((Math.PI / 6) * equivalentDiameterMm ** 3) / 1000,
      heterogeneity,
      necrosisFraction,
      peritumoral,
      t2SignalRatio,
      enhancementRatio,
      ctEnhancementHu,
      lobulation,
    },
    probabilities,
    outcome,
  };
}

export function samplePatientModel(seed: string | number, index: number): PatientModel {
  const rng = (purpose: string) => Rng.fromKey(patientKey(seed, index, purpose));
  const truth = samplePatientTruth(seed, index);
  const shape = sampleTumourShape(rng("shape"), truth.tumour.lobulation, truth.tumour.equivalentDiameterMm);
  const ld = longestDiameterMm(shape);
  const clinical: ClinicalRecord = { ...truth.clinical, ...stageTumour(rng("staging"), truth.clinical, ld) };

  const a = rng("anatomy");
  // Large tumours get a breast large enough to hold them (the chest wall also slopes medially, hence the extra depth).
  const rMax = maxRadiusMm(shape) + 2;
  const anatomy: AnatomyParams = {
    side: clinical.laterality === "L" ? 1 : -1,
    breastOffsetMm: a.range(75, 95),
    breastHalfWidthMm: Math.max(a.range(62, 82), rMax + 34),
    breastDepthMm: Math.min(115, Math.max(a.range(50, 92), 2.5 * rMax + 24)),
    breastHalfHeightMm: Math.max(a.range(60, 78), rMax + 32),
    pectoralisThicknessMm: a.range(8, 14),
    subcutaneousFatMm: a.range(5, 11),
    // Density falls with age (ACR a-d mix; dense breasts common in women under 50).
    fgtFraction: clamp(a.betaMean(sigmoid(-0.6 - 0.05 * (clinical.ageYears - 50)), 5), 0.06, 0.65),
    bpe: clamp(a.betaMean(clinical.menopausalStatus === "pre" ? 0.35 : 0.18, 6), 0.02, 0.9),
    tumourU: a.range(-0.35, 0.35),
    tumourV: a.range(0.35, 0.6),
    tumourW: a.range(-0.3, 0.3),
    fovZOffsetMm: a.range(-10, 10),
    ctDepthScale: a.range(0.55, 0.7),
    ctWidthScale: a.range(1.1, 1.25),
  };
  const label = patientLabel(index);
  return {
    seed: String(seed),
    index,
    patientId: patientIdFor(seed, index),
    patientName: `DEMO^${label}`,
    clinical,
    tumour: { ...truth.tumour, longestDiameterMm: ld },
    shape,
    anatomy,
    probabilities: truth.probabilities,
    outcome: truth.outcome,
  };
}
