import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { clinicalValuesSchema, derivedSubtype, isComplete, type ClinicalValues } from "../clinical/variables";
import { NacError } from "../errors";

/**
 * Clinical records are versioned: every save is a new row (version n+1); nothing is overwritten, and the audit event
 * lists which fields changed from the previous version.
 */
export async function saveClinicalRecord(
  prisma: PrismaClient,
  input: { patientId: string; values: unknown; user: { id: string; username: string } },
) {
  const parsed = clinicalValuesSchema.safeParse(input.values);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new NacError("VALIDATION_FAILED", i.message, {
      issues: parsed.error.issues.map((x) => ({ path: x.path.join("."), message: x.message })),
    });
  }
  const values = parsed.data as ClinicalValues;
  const stored: ClinicalValues & { complete: boolean } = {
    ...values,
    subtype: derivedSubtype(values),
    complete: isComplete(values),
  };
  return prisma.$transaction(async (tx) => {
    const patient = await tx.patient.findUnique({ where: { id: input.patientId } });
    if (!patient) throw new NacError("NOT_FOUND", `patient ${input.patientId} not found`);
    const prev = await tx.clinicalRecord.findFirst({
      where: { patientId: input.patientId },
      orderBy: { version: "desc" },
    });
    const before = (prev?.values ?? {}) as ClinicalValues;
    const changed = Object.keys(stored).filter(
      (k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(stored[k] ?? null),
    );
    const record = await tx.clinicalRecord.create({
      data: {
        patientId: input.patientId,
        version: (prev?.version ?? 0) + 1,
        values: stored as Prisma.InputJsonValue,
        authorId: input.user.id,
      },
    });
    await tx.patient.update({ where: { id: input.patientId }, data: { updatedAt: new Date() } });
    await recordAudit(tx, {
      action: "clinical.save",
      userId: input.user.id,
      username: input.user.username,
      patientId: input.patientId,
      targetType: "clinical_record",
      targetId: record.id,
      details: { version: record.version, changed },
    });
    return record;
  });
}

export async function latestClinicalRecord(prisma: PrismaClient, patientId: string) {
  return prisma.clinicalRecord.findFirst({ where: { patientId }, orderBy: { version: "desc" } });
}
