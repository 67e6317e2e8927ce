/**
 * Cohort-level outputs: clinical.csv, outcomes.csv, the manifest (files, latents, planted truths) and the Bayes rates
 * of both endpoints. Pure: returns strings / objects; writing them is the caller's business (see node/write-cohort.ts).
 */
import { bayesBalancedAccuracy, realisedBalancedAccuracy, type BayesResult } from "./bayes";
import { SYNTHETIC_NOTICE } from "./dicom-series";
import type { GeneratedPatient } from "./generate-patient";
import { imageLatentsOf, imageOnlyProbabilities, ki67Distribution, type Ki67Distribution } from "./image-only-bayes";
import { OUTCOME_MODEL } from "./outcome-model";
import { patientDirectory, samplePatientTruth } from "./patient-model";
import type { SeriesRole } from "./render";
import { PROTOCOLS } from "./series-grids";

export const GENERATOR_NAME = "nacpredict-synth";
export const GENERATOR_VERSION = "1";

/** Directory of each series inside a patient folder. */
export const SERIES_DIR: Record<SeriesRole, string> = { "CE-T1": "mr_ce-t1", T2: "mr_t2", CT: "ct" };

/**
 * The model's population figures, documented in docs/SYNTHETIC_COHORT.md: populationBayes(200 000) as of generator
 * version 1. Tests re-derive them by Monte Carlo with the same code.
 */
export const DOCUMENTED_POPULATION = {
  monteCarloPatients: 200000,
  pcrRate: 0.3035,
  responseRate: 0.7062,
  pcrBayesBalancedAccuracy: 0.7762,
  responseBayesBalancedAccuracy: 0.7508,
  imageOnlyPcrBayesBalancedAccuracy: 0.683,
  imageOnlyResponseBayesBalancedAccuracy: 0.6895,
} as const;

export interface PopulationBayes {
  monteCarloPatients: number;
  pcrRate: number;
  responseRate: number;
  /** Knowing everything the outcome depends on (image latents + subtype + Ki-67). */
  pcr: BayesResult;
  response: BayesResult;
  /** Knowing only the images (E[p | image latents], see image-only-bayes.ts). */
  imageOnly: { pcr: BayesResult; response: BayesResult };
}

/**
 * Population Bayes rates by Monte Carlo over `n` patients drawn with the generator's own code (samplePatientTruth)
 * under a fixed key, so the figure characterises the model rather than one cohort. The standard error of each
 * balanced accuracy is about 0.5 / sqrt(n * prevalence * (1 - prevalence)) * spread, i.e. ~0.003 for n = 20 000.
 */
export function populationBayes(n = 20000, ki67: Ki67Distribution = ki67Distribution()): PopulationBayes {
  const pp = new Float64Array(n);
  const pr = new Float64Array(n);
  const ip = new Float64Array(n);
  const ir = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = samplePatientTruth("population-monte-carlo", i);
    pp[i] = t.probabilities.pPcr;
    pr[i] = t.probabilities.pResponse;
    const io = imageOnlyProbabilities(imageLatentsOf(t), ki67);
    ip[i] = io.pPcr;
    ir[i] = io.pResponse;
  }
  const pcr = bayesBalancedAccuracy(pp);
  const response = bayesBalancedAccuracy(pr);
  return {
    monteCarloPatients: n,
    pcrRate: pcr.threshold,
    responseRate: response.threshold,
    pcr,
    response,
    imageOnly: { pcr: bayesBalancedAccuracy(ip), response: bayesBalancedAccuracy(ir) },
  };
}

export interface CohortBayes {
  patients: number;
  observedPcrRate: number;
  observedResponseRate: number;
  /** Expected Bayes balanced accuracy of this cohort's own probabilities (threshold = their mean). */
  expectedPcr: BayesResult;
  expectedResponse: BayesResult;
  /** Balanced accuracy of "p > population prevalence" against the drawn labels (null if a class is absent). */
  realisedPcr: number | null;
  realisedResponse: number | null;
  /** The same two figures for an image-only predictor (E[p | image latents]). */
  imageOnly: {
    expectedPcr: BayesResult;
    expectedResponse: BayesResult;
    realisedPcr: number | null;
    realisedResponse: number | null;
  };
}

export function cohortBayes(
  patients: readonly Pick<GeneratedPatient, "probabilities" | "outcome" | "latent">[],
  population: PopulationBayes,
  ki67: Ki67Distribution = ki67Distribution(),
): CohortBayes {
  const pp = patients.map((p) => p.probabilities.pPcr);
  const pr = patients.map((p) => p.probabilities.pResponse);
  const io = patients.map((p) => imageOnlyProbabilities(imageLatentsOf({ tumour: p.latent }), ki67));
  const ip = io.map((x) => x.pPcr);
  const ir = io.map((x) => x.pResponse);
  const yp: number[] = patients.map((p) => p.outcome.pcr);
  const yr: number[] = patients.map((p) => p.outcome.response);
  const both = (y: number[]) => y.includes(0) && y.includes(1);
  return {
    patients: patients.length,
    observedPcrRate: yp.reduce((a, b) => a + b, 0) / patients.length,
    observedResponseRate: yr.reduce((a, b) => a + b, 0) / patients.length,
    expectedPcr: bayesBalancedAccuracy(pp),
    expectedResponse: bayesBalancedAccuracy(pr),
    realisedPcr: both(yp) ? realisedBalancedAccuracy(pp, yp, population.pcr.threshold) : null,
    realisedResponse: both(yr) ? realisedBalancedAccuracy(pr, yr, population.response.threshold) : null,
    imageOnly: {
      expectedPcr: bayesBalancedAccuracy(ip),
      expectedResponse: bayesBalancedAccuracy(ir),
      realisedPcr: both(yp) ? realisedBalancedAccuracy(ip, yp, population.imageOnly.pcr.threshold) : null,
      realisedResponse: both(yr) ? realisedBalancedAccuracy(ir, yr, population.imageOnly.response.threshold) : null,
    },
  };
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

export const CLINICAL_COLUMNS = [
  "patient_id",
  "age",
  "menopausal_status",
  "er",
  "pr",
  "her2",
  "her2_ihc",
  "her2_ish",
  "ki67",
  "grade",
  "histology",
  "ct",
  "cn",
  "laterality",
  "subtype",
];

export function clinicalCsv(patients: readonly GeneratedPatient[]): string {
  return csv(
    CLINICAL_COLUMNS,
    patients.map((p) => {
      const c = p.clinical;
      return [
        p.patientId,
        c.ageYears,
        c.menopausalStatus,
        c.er,
        c.pr,
        c.her2,
        c.her2Ihc,
        c.her2Ish ?? "",
        c.ki67Percent,
        c.grade,
        c.histology,
        c.cT,
        c.cN,
        c.laterality,
        c.subtype,
      ];
    }),
  );
}

export function outcomesCsv(patients: readonly GeneratedPatient[]): string {
  return csv(
    ["patient_id", "pcr", "response"],
    patients.map((p) => [p.patientId, p.outcome.pcr, p.outcome.response]),
  );
}

export interface ManifestSeriesEntry {
  role: SeriesRole;
  modality: string;
  seriesDescription: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  dims: number[];
  spacing: number[];
  origin: number[];
  directory: string;
  files: string[];
  maskNifti: string | null;
  maskSeg: string | null;
  tumourVoxels: number;
}

export function seriesFileNames(n: number): string[] {
  return Array.from({ length: n }, (_, k) => `IM${String(k + 1).padStart(4, "0")}.dcm`);
}

export function maskFileName(role: SeriesRole): string {
  return `masks/${SERIES_DIR[role]}_tumour.nii.gz`;
}

export function segFileName(role: SeriesRole): string {
  return `masks/${SERIES_DIR[role]}_tumour_seg.dcm`;
}

export function manifestPatientEntry(p: GeneratedPatient, ki67: Ki67Distribution) {
  return {
    patientId: p.patientId,
    patientName: p.patientName,
    index: p.index,
    directory: `patients/${patientDirectory(p.index)}`,
    studies: { MR: p.identifiers.studyInstanceUid.MR, CT: p.identifiers.studyInstanceUid.CT },
    series: p.series.map((s): ManifestSeriesEntry => ({
      role: s.role,
      modality: s.modality,
      seriesDescription: s.seriesDescription,
      seriesInstanceUid: s.seriesInstanceUid,
      frameOfReferenceUid: s.frameOfReferenceUid,
      dims: [...s.volume.dims],
      spacing: [...s.volume.spacing],
      origin: s.volume.origin.map((x) => Number(x.toFixed(6))),
      directory: SERIES_DIR[s.role],
      files: seriesFileNames(s.files.length),
      maskNifti: s.maskNiftiGz ? maskFileName(s.role) : null,
      maskSeg: s.maskSeg ? segFileName(s.role) : null,
      tumourVoxels: s.tumourVoxels,
    })),
    clinical: p.clinical,
    latent: p.latent,
    anatomy: p.anatomy,
    planted: {
      probabilities: p.probabilities,
      imageOnlyProbabilities: imageOnlyProbabilities(imageLatentsOf({ tumour: p.latent }), ki67),
      outcome: p.outcome,
    },
  };
}

export function buildManifest(
  seed: string,
  patients: readonly GeneratedPatient[],
  population: PopulationBayes,
  ki67: Ki67Distribution = ki67Distribution(),
) {
  return {
    generator: {
      name: GENERATOR_NAME,
      version: GENERATOR_VERSION,
      seed,
      patients: patients.length,
      notice: SYNTHETIC_NOTICE,
    },
    acquisition: {
      protocols: PROTOCOLS,
      note: "Unilateral breast field of view (256 x 0.7 mm) and a ~100 mm slab around the tumour; MR prone, CT supine.",
    },
    outcomeModel: OUTCOME_MODEL,
    masks: {
      format:
        "per series: NIfTI-1 .nii.gz (label 1 = tumour) and DICOM SEG (BINARY, one segment, referencing the series)",
      dicomSeg: true,
    },
    bayes: { population, cohort: cohortBayes(patients, population, ki67) },
    patients: patients.map((p) => manifestPatientEntry(p, ki67)),
  };
}
