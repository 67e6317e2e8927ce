import { z } from "zod";
import type { PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { responseFromDiameters } from "../cohort/clinical-csv";
import { NacError } from "../errors";

/**
 * Outcomes after surgery (pCR, response or the pre/post longest diameters it is derived from, date, source), recorded
 * on a patient by an oncologist or radiologist, or imported with a cohort. Versioned like clinical records: every save
 * is a new row, nothing is overwritten, the audit event lists the changed fields.
 */
export const outcomeInputSchema = z
  .object({
    pcr: z.union([z.literal(0), z.literal(1)]).nullable(),
    response: z.union([z.literal(0), z.literal(1)]).nullable(),
    preDiameterMm: z.number().positive().max(500).nullable(),
    postDiameterMm: z.number().min(0).max(500).nullable(),
    outcomeDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "outcomeDate must be YYYY-MM-DD")
      .nullable(),
    source: z.string().trim().min(1, "source is required (e.g. surgical pathology report)").max(200),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.preDiameterMm === null) !== (v.postDiameterMm === null))
      ctx.addIssue({ code: "custom", path: ["postDiameterMm"], message: "give both diameters or neither" });
    if (
      v.preDiameterMm !== null &&
      v.postDiameterMm !== null &&
      v.response !== null &&
      responseFromDiameters(v.preDiameterMm, v.postDiameterMm) !== v.response
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["response"],
        message: "response contradicts the diameters (>= 30 % reduction is a response)",
      });
    }
    if (v.pcr === null && v.response === null && v.preDiameterMm === null)
      ctx.addIssue({ code: "custom", path: ["pcr"], message: "give pCR, response or the diameters" });
  });
export type OutcomeInput = z.infer<typeof outcomeInputSchema>;

const FIELDS = ["pcr", "response", "preDiameterMm", "postDiameterMm", "outcomeDate", "source"] as const;

export async function latestOutcome(prisma: Pick<PrismaClient, "patientOutcome">, patientId: string) {
  return prisma.patientOutcome.findFirst({ where: { patientId }, orderBy: { version: "desc" } });
}

/** True when `v` says the same as the stored row (saving it again would add nothing). */
export function sameOutcome(row: Record<(typeof FIELDS)[number], unknown> | null, v: OutcomeInput): boolean {
  return !!row && FIELDS.every((k) => (row[k] ?? null) === (v[k] ?? null));
}

export async function saveOutcome(
  prisma: PrismaClient,
  input: {
    patientId: string;
    values: unknown;
    user: { id: string | null; username: string };
    details?: Record<string, unknown>;
  },
) {
  const parsed = outcomeInputSchema.safeParse(input.values);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new NacError("VALIDATION_FAILED", `${i.path.join(".") || "outcome"}: ${i.message}`, {
      issues: parsed.error.issues.map((x) => ({ path: x.path.join("."), message: x.message })),
    });
  }
  const v = parsed.data;
  const response =
    v.response ??
    (v.preDiameterMm !== null && v.postDiameterMm !== null
      ? responseFromDiameters(v.preDiameterMm, v.postDiameterMm)
      : null);
  const values = { ...v, response };
  return prisma.$transaction(async (tx) => {
    const patient = await tx.patient.findUnique({ where: { id: input.patientId } });
    if (!patient) throw new NacError("NOT_FOUND", `patient ${input.patientId} not found`);
    const prev = await tx.patientOutcome.findFirst({
      where: { patientId: input.patientId },
      orderBy: { version: "desc" },
    });
    const changed = FIELDS.filter((k) => (prev?.[k] ?? null) !== (values[k] ?? null));
    const row = await tx.patientOutcome.create({
      data: { patientId: input.patientId, version: (prev?.version ?? 0) + 1, ...values, authorId: input.user.id },
    });
    await tx.patient.update({ where: { id: input.patientId }, data: { updatedAt: new Date() } });
    await recordAudit(tx, {
      action: "outcome.save",
      userId: input.user.id,
      username: input.user.username,
      patientId: input.patientId,
      targetType: "patient_outcome",
      targetId: row.id,
      details: { version: row.version, changed, ...(input.details ?? {}) },
    });
    return row;
  });
}
