/**
 * `demo reference`: what the planted signal allows on a cohort of a given size, without any image. For generated
 * cohorts (lib/synth samplePatientTruth, ~0.1 ms a patient) it scores, on the demo protocol's own partitions (same
 * seed, split and threshold rule as `demo train`), (1) the Bayes rule: the true probabilities thresholded at the
 * prevalence, and (2) the oracle: L2 logistic regression on the generator's six true terms, fitted on each training
 * set. (1) scatters around the generator's Bayes rate; the gap (1) - (2) is the price of estimating the model from the
 * training rows alone, which no image pipeline avoids; it shrinks as the cohort grows.
 */
import { NacError } from "../../errors";
import { makeMatrix } from "../../ml/matrix";
import { evaluateBinary } from "../../ml/metrics/evaluate";
import { summariseMetrics, type MeanSd } from "../../ml/metrics/summary";
import { runProtocol } from "../../ml/protocol/run-protocol";
import { stratifiedPartitions } from "../../ml/protocol/partitions";
import { standardisedTerms } from "../../synth/outcome-model";
import { samplePatientTruth } from "../../synth/patient-model";
import { demoProtocolConfig, ORACLE_TERMS } from "./train";

export interface ReferenceRow {
  patients: number;
  endpoint: "pcr" | "response";
  prevalence: number;
  bayesRule: { balancedAccuracy: MeanSd; auc: MeanSd };
  oracle: { balancedAccuracy: MeanSd; auc: MeanSd };
}

function meanSd(x: MeanSd | null, what: string): MeanSd {
  if (!x) throw new NacError("INTERNAL", `no ${what} summary`);
  return x;
}

export function demoReference(seed: string, patients: number, partitions = 10): ReferenceRow[] {
  if (!Number.isInteger(patients) || patients < 10)
    throw new NacError("BAD_REQUEST", "demo reference needs at least 10 patients");
  const truth = Array.from({ length: patients }, (_, i) => samplePatientTruth(seed, i));
  const X = makeMatrix(patients, ORACLE_TERMS.length);
  truth.forEach((t, i) => {
    const terms = standardisedTerms({ subtype: t.clinical.subtype, ki67Percent: t.clinical.ki67Percent, ...t.tumour });
    ORACLE_TERMS.forEach((k, j) => (X.data[i * ORACLE_TERMS.length + j] = terms[k]));
  });
  const out: ReferenceRow[] = [];
  for (const endpoint of ["pcr", "response"] as const) {
    const y = Uint8Array.from(truth, (t) => t.outcome[endpoint]);
    const p = truth.map((t) => (endpoint === "pcr" ? t.probabilities.pPcr : t.probabilities.pResponse));
    const prevalence = y.reduce((a, b) => a + b, 0) / patients;
    // Exactly as demo train: threshold = prevalence rounded to 0.01, the demo's partition seed and split.
    const config = { ...demoProtocolConfig(partitions, Math.round(prevalence * 100) / 100) };
    const parts = stratifiedPartitions(y, partitions, 0.8, config.seed);
    const bayes = summariseMetrics(
      parts.map((s) =>
        evaluateBinary(
          s.test.map((i) => y[i]),
          s.test.map((i) => p[i]),
          config.threshold,
        ),
      ),
    );
    const oracle = runProtocol(
      { X, y, featureNames: [...ORACLE_TERMS] },
      {
        ...config,
        mrmr: { k: ORACLE_TERMS.length },
        rfe: { mode: "none" },
        classifier: { type: "logistic", C: 1 },
        finalModel: false,
      },
    ).summary;
    out.push({
      patients,
      endpoint,
      prevalence,
      bayesRule: {
        balancedAccuracy: meanSd(bayes.balancedAccuracy, "balanced accuracy"),
        auc: meanSd(bayes.auc, "AUC"),
      },
      oracle: {
        balancedAccuracy: meanSd(oracle.balancedAccuracy, "balanced accuracy"),
        auc: meanSd(oracle.auc, "AUC"),
      },
    });
  }
  return out;
}
