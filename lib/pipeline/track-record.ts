/** The active model's local track record (service): its stored predictions x recorded outcomes, audited. */
import type { PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { trackRecord, type EndpointTrackRecord, type StoredPrediction } from "../experiments/track-record";
import { loadActiveBundleOrThrow } from "./active-bundle";
import type { Actor } from "./experiment/experiments";
import { loadPatientOutcomes, type OutcomeSource } from "./patient-outcomes";
import type { FileStore } from "../storage/file-store";

export interface ModelTrackRecord {
  bundleId: string;
  version: string;
  predictions: number;
  patientsWithOutcome: number;
  endpoints: EndpointTrackRecord[];
}

export async function activeModelTrackRecord(
  deps: { prisma: PrismaClient; store: FileStore },
  actor: Actor,
  outcomes: OutcomeSource = loadPatientOutcomes,
): Promise<ModelTrackRecord> {
  const { row, lb } = await loadActiveBundleOrThrow(deps);
  const rows = await deps.prisma.prediction.findMany({
    where: { modelBundleId: row.id },
    select: { patientId: true, createdAt: true, outputs: true },
  });
  const preds: StoredPrediction[] = rows.map((r) => {
    const e = (r.outputs as { endpoints: Record<"pcr" | "response", { probability: number }> }).endpoints;
    return {
      patientId: r.patientId,
      createdAt: r.createdAt.toISOString(),
      probabilities: { pcr: e.pcr.probability, response: e.response.probability },
    };
  });
  const patientIds = [...new Set(preds.map((p) => p.patientId))];
  const known = patientIds.length ? await outcomes(deps.prisma, patientIds) : [];
  const thresholds = {
    pcr: lb.bundle.endpoints.pcr.config.threshold,
    response: lb.bundle.endpoints.response.config.threshold,
  };
  const endpoints = trackRecord(preds, known, thresholds);
  await recordAudit(deps.prisma, {
    action: "model.track_record.view",
    userId: actor.id,
    username: actor.username,
    targetType: "model_bundle",
    targetId: row.id,
    details: { patients: patientIds.length, withOutcome: known.filter((o) => patientIds.includes(o.patientId)).length },
  });
  return {
    bundleId: row.bundleId,
    version: row.version,
    predictions: rows.length,
    patientsWithOutcome: new Set(
      known.filter((o) => o.pCR !== undefined || o.response !== undefined).map((o) => o.patientId),
    ).size,
    endpoints,
  };
}
