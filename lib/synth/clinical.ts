/**
 * Pre-treatment clinical variables of a synthetic NAC candidate, drawn with the correlations seen in neoadjuvant
 * cohorts (subtype drives receptor status, Ki-67, grade and histology; age drives menopausal status; tumour size drives
 * cT and, weakly, cN). Rates and their sources are documented in docs/SYNTHETIC_COHORT.md.
 */
import type { Rng } from "./prng";

export type Subtype = "HR+/HER2-" | "HR+/HER2+" | "HR-/HER2+" | "TNBC";
export const SUBTYPES: readonly Subtype[] = ["HR+/HER2-", "HR+/HER2+", "HR-/HER2+", "TNBC"];
/** Subtype mix of NAC cohorts (enriched for HER2+ and triple-negative disease compared with all breast cancer). */
export const SUBTYPE_WEIGHTS: readonly number[] = [0.4, 0.17, 0.13, 0.3];

export type ReceptorStatus = "positive" | "negative";
export type Her2Ihc = "0" | "1+" | "2+" | "3+";
export type Histology = "IDC (NST)" | "ILC" | "other";

export interface ClinicalRecord {
  ageYears: number;
  menopausalStatus: "pre" | "post";
  subtype: Subtype;
  er: ReceptorStatus;
  pr: ReceptorStatus;
  her2: ReceptorStatus;
  her2Ihc: Her2Ihc;
  /** ISH result when IHC is 2+ (equivocal), otherwise null. */
  her2Ish: "amplified" | "not amplified" | null;
  ki67Percent: number;
  grade: 1 | 2 | 3;
  histology: Histology;
  cT: "cT1" | "cT2" | "cT3" | "cT4";
  cN: "cN0" | "cN1" | "cN2" | "cN3";
  laterality: "L" | "R";
}

/** Mean Ki-67 fraction by subtype (Beta with concentration 6). */
const KI67_MEAN: Record<Subtype, number> = { "HR+/HER2-": 0.22, "HR+/HER2+": 0.32, "HR-/HER2+": 0.42, TNBC: 0.55 };
/** Location of the latent grade score by subtype; cut points at 0 (G1|G2) and 1.2 (G2|G3). */
const GRADE_BASE: Record<Subtype, number> = { "HR+/HER2-": 0.55, "HR+/HER2+": 1.1, "HR-/HER2+": 1.4, TNBC: 2.0 };
const HISTOLOGY_WEIGHTS: Record<Subtype, readonly number[]> = {
  "HR+/HER2-": [0.85, 0.11, 0.04],
  "HR+/HER2+": [0.95, 0.02, 0.03],
  "HR-/HER2+": [0.96, 0.01, 0.03],
  TNBC: [0.92, 0.005, 0.075],
};
const HISTOLOGIES: readonly Histology[] = ["IDC (NST)", "ILC", "other"];

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export type ClinicalCore = Omit<ClinicalRecord, "cT" | "cN">;

/** Draws everything but the clinical stage (which needs the rendered tumour's size, see stageTumour). */
export function sampleClinical(rng: Rng, subtype: Subtype): ClinicalCore {
  const hrPositive = subtype === "HR+/HER2-" || subtype === "HR+/HER2+";
  const her2Positive = subtype === "HR+/HER2+" || subtype === "HR-/HER2+";

  const ageYears = Math.round(clamp(rng.normal(subtype === "TNBC" ? 48 : 51, 10.5), 25, 82));
  // Natural menopause median ~51 y; a logistic transition of ~2 y scale around it.
  const pPost = 1 / (1 + Math.exp(-(ageYears - 50.5) / 2));
  const menopausalStatus = rng.bernoulli(pPost) ? "post" : "pre";

  let er: ReceptorStatus = "negative";
  let pr: ReceptorStatus = "negative";
  if (hrPositive) {
    // A few HR+ tumours are ER-/PR+; PR is lost more often in HER2+ and luminal-B-like disease.
    er = rng.bernoulli(0.97) ? "positive" : "negative";
    pr = er === "negative" ? "positive" : rng.bernoulli(subtype === "HR+/HER2-" ? 0.8 : 0.62) ? "positive" : "negative";
  }

  let her2Ihc: Her2Ihc;
  let her2Ish: ClinicalRecord["her2Ish"] = null;
  if (her2Positive) {
    her2Ihc = rng.bernoulli(0.8) ? "3+" : "2+";
    if (her2Ihc === "2+") her2Ish = "amplified";
  } else {
    const w = subtype === "TNBC" ? [0.55, 0.3, 0.15] : [0.3, 0.42, 0.28];
    her2Ihc = (["0", "1+", "2+"] as const)[rng.categorical(w)];
    if (her2Ihc === "2+") her2Ish = "not amplified";
  }

  const ki = rng.betaMean(KI67_MEAN[subtype], 6);
  const ki67Percent = Math.round(clamp(ki * 100, 1, 95));

  const histology = HISTOLOGIES[rng.categorical(HISTOLOGY_WEIGHTS[subtype])];
  // Ordinal grade from a latent score: subtype + proliferation; lobular carcinoma is mostly grade 2.
  let gScore = GRADE_BASE[subtype] + 3 * (ki67Percent / 100 - 0.3) + rng.normal(0, 0.55);
  if (histology === "ILC") gScore = 0.6 + rng.normal(0, 0.4);
  const grade: 1 | 2 | 3 = gScore < 0 ? 1 : gScore < 1.2 ? 2 : 3;

  const laterality = rng.bernoulli(0.5) ? "L" : "R";
  return {
    ageYears,
    menopausalStatus,
    subtype,
    er,
    pr,
    her2: her2Positive ? "positive" : "negative",
    her2Ihc,
    her2Ish,
    ki67Percent,
    grade,
    histology,
    laterality,
  };
}

/** Clinical T and N; `longestDiameterMm` is the imaged tumour's longest diameter so that cT agrees with the images. */
export function stageTumour(
  rng: Rng,
  core: ClinicalCore,
  longestDiameterMm: number,
): Pick<ClinicalRecord, "cT" | "cN"> {
  const grade = core.grade;
  // Clinical T from the imaged longest diameter (AJCC 8: T1 <= 20 mm, T2 <= 50 mm, T3 > 50 mm); cT4 (skin or chest-wall
  // involvement, not rendered in the images) in a few, more often in large tumours.
  const pT4 = longestDiameterMm > 50 ? 0.15 : 0.04;
  const cT: ClinicalRecord["cT"] = rng.bernoulli(pT4)
    ? "cT4"
    : longestDiameterMm <= 20
      ? "cT1"
      : longestDiameterMm <= 50
        ? "cT2"
        : "cT3";
  // Node positivity rises with tumour size and grade (about 55 % cN+ in NAC cohorts).
  const nLogit = 0.1 + 1.1 * Math.log(longestDiameterMm / 32) + 0.25 * (grade - 2) + (cT === "cT4" ? 0.8 : 0);
  let cN: ClinicalRecord["cN"] = "cN0";
  if (rng.bernoulli(1 / (1 + Math.exp(-nLogit))))
    cN = (["cN1", "cN2", "cN3"] as const)[rng.categorical([0.74, 0.16, 0.1])];

  return { cT, cN };
}

export function sampleSubtype(rng: Rng): Subtype {
  return SUBTYPES[rng.categorical(SUBTYPE_WEIGHTS)];
}
