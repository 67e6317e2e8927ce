import { z } from "zod";
import type { PrismaClient } from "../../generated/prisma/client";
import { AUDIT_ACTIONS } from "./audit-log";

/**
 * Reading the audit log: filters (user, patient, action, date range) and pages, newest first; the same filters drive
 * the admin page, `/api/audit` and its CSV export, so what is exported is what was on screen.
 */
const day = /^\d{4}-\d{2}-\d{2}$/;
const dateOrTime = z
  .string()
  .refine(
    (v) => (day.test(v) || !Number.isNaN(Date.parse(v))) && v.length <= 40,
    "a date (YYYY-MM-DD) or ISO date-time",
  );

export const AuditFilterSchema = z.object({
  /** username (exact) */
  user: z.string().min(1).max(100).optional(),
  /** patient id (uuid) or site patient key (exact) */
  patient: z.string().min(1).max(200).optional(),
  /** one action, or a family ending in "." (e.g. "auth.") */
  action: z
    .string()
    .min(1)
    .max(60)
    .refine(
      (v) => v.endsWith(".") || (AUDIT_ACTIONS as readonly string[]).includes(v),
      "a known audit action or a family like auth.",
    )
    .optional(),
  /** from this date (inclusive; a bare date means its start, UTC) */
  from: dateOrTime.optional(),
  /** up to this date (a bare date includes the whole day, UTC) */
  to: dateOrTime.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AuditPageSchema = AuditFilterSchema.extend({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function whereOf(prisma: PrismaClient, f: AuditFilter) {
  let patientId: string | undefined;
  if (f.patient) {
    if (UUID.test(f.patient)) patientId = f.patient;
    else
      patientId =
        (await prisma.patient.findUnique({ where: { patientKey: f.patient }, select: { id: true } }))?.id ??
        "no such patient";
  }
  const to = f.to
    ? day.test(f.to)
      ? new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000)
      : new Date(f.to)
    : undefined;
  const from = f.from ? new Date(day.test(f.from) ? `${f.from}T00:00:00Z` : f.from) : undefined;
  return {
    ...(f.user ? { username: f.user } : {}),
    ...(patientId ? { patientId } : {}),
    ...(f.action ? (f.action.endsWith(".") ? { action: { startsWith: f.action } } : { action: f.action }) : {}),
    ...(from || to
      ? { at: { ...(from ? { gte: from } : {}), ...(to ? { [day.test(f.to!) ? "lt" : "lte"]: to } : {}) } }
      : {}),
  };
}

export async function queryAudit(prisma: PrismaClient, q: z.infer<typeof AuditPageSchema>) {
  const where = await whereOf(prisma, q);
  const [total, events] = await Promise.all([
    prisma.auditEvent.count({ where }),
    prisma.auditEvent.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    }),
  ]);
  return { events, total, page: q.page, pageSize: q.pageSize, pages: Math.max(1, Math.ceil(total / q.pageSize)) };
}

export const CSV_MAX_ROWS = 100_000;

/** RFC 4180 CSV of the filtered log, newest first; a cell starting with = + - @ is prefixed with ' (spreadsheet formula injection). */
export async function auditCsv(
  prisma: PrismaClient,
  f: AuditFilter,
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const where = await whereOf(prisma, f);
  const events = await prisma.auditEvent.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: CSV_MAX_ROWS + 1,
  });
  const truncated = events.length > CSV_MAX_ROWS;
  const header = [
    "at",
    "username",
    "user_id",
    "action",
    "outcome",
    "patient_id",
    "target_type",
    "target_id",
    "source_address",
    "details",
  ];
  const lines = [header.join(",")];
  for (const e of events.slice(0, CSV_MAX_ROWS)) {
    lines.push(
      [
        e.at.toISOString(),
        e.username,
        e.userId,
        e.action,
        e.outcome,
        e.patientId,
        e.targetType,
        e.targetId,
        e.sourceAddress,
        JSON.stringify(e.details),
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return { csv: lines.join("\r\n") + "\r\n", rows: Math.min(events.length, CSV_MAX_ROWS), truncated };
}

export function csvCell(v: string | null | undefined): string {
  let s = v ?? "";
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
