import { AsyncLocalStorage } from "node:async_hooks";
import type { PrismaClient } from "../../generated/prisma/client";

/**
 * The audit log: who did what to which patient, when, from where, and whether it worked. Append-only: nothing in the
 * product updates or deletes audit rows, and the database refuses it (trigger in prisma/migrations/0003_access).
 * Every sign-in, failed sign-in, sign-out, read of patient data and write of clinical data records one
 * (coverage: docs/SECURITY.md).
 */
export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "patient.view",
  "patient.list",
  "patient.create",
  "series.view",
  "series.images_read",
  "series.import",
  "series.role_override",
  "roi.list",
  "roi.mask_read",
  "roi.shell_read",
  "roi.export",
  "roi.save",
  "clinical.view",
  "clinical.save",
  "prediction.list",
  "prediction.create",
  "report.view",
  "report.download",
  "model.register",
  "audit.read",
  "audit.export",
  "user.create",
  "user.disable",
  "user.enable",
  "user.password_reset",
  "user.grant",
  "user.revoke_grant",
  // cohorts, outcomes and batch extraction
  "outcome.save",
  "outcome.view",
  "cohort.import",
  "cohort.view",
  "cohort.features_export",
  "extraction.start",
  // model registry and experiments
  "model.activate",
  "model.export",
  "model.track_record.view",
  "experiment.create",
  "experiment.view",
  "experiment.export",
  // PACS
  "pacs.source_save",
  "pacs.search",
  "pacs.read",
  "pacs.import",
  "pacs.store",
  // tumour board: replay of stored predictions, board sessions and presentation
  "prediction.verify",
  "board.create",
  "board.update",
  "board.view",
  "board.case_view",
  // viewer measurements
  "measurement.read",
  "measurement.save",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  action: AuditAction;
  userId?: string | null;
  username?: string | null;
  targetType?: string;
  targetId?: string;
  patientId?: string;
  outcome?: "ok" | "denied" | "failed";
  details?: Record<string, unknown>;
  sourceAddress?: string | null;
}

type AuditWriter = Pick<PrismaClient, "auditEvent">;

/**
 * The request being served (set by apiRoute): rows written deeper down (pipeline writes: import, ROI, clinical,
 * prediction) get the request's source address without every service having to pass it along.
 */
const requestContext = new AsyncLocalStorage<{ sourceAddress: string | null }>();

export function withAuditContext<T>(ctx: { sourceAddress: string | null }, fn: () => Promise<T>): Promise<T> {
  return requestContext.run(ctx, fn);
}

export async function recordAudit(db: AuditWriter, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      action: entry.action,
      userId: entry.userId ?? null,
      username: entry.username ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      patientId: entry.patientId ?? null,
      outcome: entry.outcome ?? "ok",
      details: (entry.details ?? {}) as object,
      sourceAddress: entry.sourceAddress ?? requestContext.getStore()?.sourceAddress ?? null,
    },
  });
}
