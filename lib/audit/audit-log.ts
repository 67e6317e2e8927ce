import type { PrismaClient } from "../../generated/prisma/client";

/**
 * The audit log: who did what to which patient, when, and whether it worked. Append-only: nothing in the product
 * updates or deletes audit rows. Every sign-in, failed sign-in, patient view and write of clinical data records one.
 */
export type AuditAction =
  | "auth.sign_in"
  | "auth.sign_in_failed"
  | "patient.view"
  | "patient.list"
  | "patient.create"
  | "series.import"
  | "series.role_override"
  | "roi.save"
  | "clinical.save"
  | "prediction.create"
  | "report.download"
  | "model.register"
  | "user.create"
  // PACS (issue 21)
  | "pacs.source_save"
  | "pacs.search"
  | "pacs.read"
  | "pacs.import"
  | "pacs.store";

export interface AuditEntry {
  action: AuditAction;
  userId?: string | null;
  username?: string | null;
  targetType?: string;
  targetId?: string;
  patientId?: string;
  outcome?: "ok" | "denied" | "failed";
  details?: Record<string, unknown>;
}

type AuditWriter = Pick<PrismaClient, "auditEvent">;

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
    },
  });
}
