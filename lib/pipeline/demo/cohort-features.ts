/**
 * Case features of a synthetic cohort (lib/synth), patient by patient on worker threads (Node only). Each patient's
 * features depend only on (seed, index, spec, encoder file), and every encoder session runs on one thread, so the
 * result is bit-identical whatever the number of workers.
 */
import { availableParallelism } from "node:os";
import { NacError } from "../../errors";
import { runIndexPool } from "../../jobs/node/index-pool";
import type { TumourLatents } from "../../synth/patient-model";
import type { CaseFeatureSpec, MissingFeature } from "../case-features";

export interface CohortPatientFeatures {
  index: number;
  patientId: string;
  values: Record<string, number>;
  missing: MissingFeature[];
  outcome: { pcr: 0 | 1; response: 0 | 1 };
  probabilities: { pPcr: number; pResponse: number };
  /** The generator's tumour latents (for its Bayes-rate breakdowns). */
  latent: TumourLatents;
  /** Encoder file sha256 (null without deep features). */
  modelSha256: string | null;
  /** Encoder origin ("untrained" = seeded demo weights, "medicalnet" = imported), null without deep features. */
  encoderOrigin: string | null;
  ms: number;
}

export interface CohortFeatureOptions {
  seed: string;
  patients: number;
  /** Extract patients first..patients-1 only (a cache holds the others; default 0). */
  first?: number;
  spec: CaseFeatureSpec;
  workers?: number;
  modelsDir?: string;
  onPatient?: (done: number, total: number, p: CohortPatientFeatures) => void;
}

/** Features of patients first..patients-1 (in index order). */
export async function extractCohortFeatures(o: CohortFeatureOptions): Promise<CohortPatientFeatures[]> {
  const first = o.first ?? 0;
  if (!Number.isInteger(first) || first < 0 || first >= o.patients)
    throw new NacError("BAD_REQUEST", `first patient ${first} is not below ${o.patients}`);
  const out: CohortPatientFeatures[] = new Array(o.patients - first);
  let done = 0;
  await runIndexPool<{ result: CohortPatientFeatures }>({
    url: new URL("./cohort-worker-boot.mjs", import.meta.url),
    workerData: { seed: o.seed, spec: o.spec, modelsDir: o.modelsDir ?? null },
    indices: Array.from({ length: o.patients - first }, (_, i) => first + i),
    workers: Math.min(o.workers ?? Math.min(2, availableParallelism()), o.patients - first),
    itemName: "synthetic patient",
    onResult: ({ result }) => {
      out[result.index - first] = result;
      o.onPatient?.(++done, o.patients - first, result);
    },
  });
  return out;
}
