/**
 * Local track record: how a model's stored predictions did for the patients whose outcome is now recorded, apart from
 * its training metrics. Each patient counts once (their latest prediction by that model).
 */
import { evaluateBinary } from "../ml/metrics/evaluate";
import { calibrationBins, type CalibrationBin } from "./curves";

export interface StoredPrediction {
  patientId: string;
  createdAt: string;
  probabilities: { pcr: number; response: number };
}

export interface PatientOutcome {
  patientId: string;
  pCR?: 0 | 1;
  response?: 0 | 1;
}

export interface EndpointTrackRecord {
  endpoint: "pcr" | "response";
  n: number;
  nPositive: number;
  threshold: number;
  /** Null when fewer than one patient of each class (no balanced accuracy or AUC yet). */
  balancedAccuracy: number | null;
  sensitivity: number | null;
  specificity: number | null;
  auc: number | null;
  brier: number | null;
  calibration: CalibrationBin[];
}

export function trackRecord(
  predictions: StoredPrediction[],
  outcomes: PatientOutcome[],
  thresholds: { pcr: number; response: number },
): EndpointTrackRecord[] {
  const latest = new Map<string, StoredPrediction>();
  for (const p of predictions) {
    const prev = latest.get(p.patientId);
    if (!prev || p.createdAt > prev.createdAt) latest.set(p.patientId, p);
  }
  const byPatient = new Map(outcomes.map((o) => [o.patientId, o]));
  return (["pcr", "response"] as const).map((endpoint) => {
    const y: number[] = [];
    const p: number[] = [];
    for (const [patientId, pred] of latest) {
      const o = byPatient.get(patientId);
      const v = endpoint === "pcr" ? o?.pCR : o?.response;
      if (v !== 0 && v !== 1) continue;
      y.push(v);
      p.push(pred.probabilities[endpoint]);
    }
    const nPositive = y.reduce((a, b) => a + b, 0);
    const base = {
      endpoint,
      n: y.length,
      nPositive,
      threshold: thresholds[endpoint],
      calibration: y.length ? calibrationBins(y, p) : [],
    };
    if (!nPositive || nPositive === y.length) {
      const brier = y.length ? y.reduce((s, v, i) => s + (p[i] - v) ** 2, 0) / y.length : null;
      return { ...base, balancedAccuracy: null, sensitivity: null, specificity: null, auc: null, brier };
    }
    const m = evaluateBinary(y, p, thresholds[endpoint]);
    return {
      ...base,
      balancedAccuracy: m.balancedAccuracy,
      sensitivity: m.sensitivity,
      specificity: m.specificity,
      auc: m.auc,
      brier: m.brier,
    };
  });
}
