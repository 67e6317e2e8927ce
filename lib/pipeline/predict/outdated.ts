/**
 * Is a stored prediction still about the patient's current inputs? Compares the series, ROI
 * versions and clinical record version it used with the patient's latest ones; each change is said in words. A
 * prediction with any change is shown "outdated".
 */
import type { PrismaClient } from "../../../generated/prisma/client";
import type { MissingFeature } from "../case-features";
import type { RoiUse } from "./types";

const label = (role: string) => role.replace("_", "-");

export async function inputChanges(
  prisma: PrismaClient,
  prediction: { patientId: string; inputs: unknown },
): Promise<string[]> {
  const stored = prediction.inputs as {
    rois?: RoiUse[];
    missing?: MissingFeature[];
    clinicalRecord?: { id: string; version: number } | null;
  };
  const roles = [
    ...new Set([
      ...(stored.rois ?? []).map((r) => r.role),
      ...(stored.missing ?? []).filter((m) => /^(CE_T1|T2|CT)\.\*$/.test(m.name)).map((m) => m.name.slice(0, -2)),
    ]),
  ];
  const changes: string[] = [];
  const series = await prisma.series.findMany({
    where: { study: { patientId: prediction.patientId }, role: { in: roles as never[] } },
    orderBy: { createdAt: "desc" },
    select: { id: true, role: true },
  });
  for (const role of roles) {
    const used = stored.rois?.find((r) => r.role === role);
    const latest = series.find((s) => s.role === role);
    if (!latest) {
      if (used) changes.push(`the ${label(role)} series it used is no longer the patient's ${label(role)} series`);
      continue;
    }
    if (used && latest.id !== used.seriesId) {
      changes.push(`a newer ${label(role)} series was imported after this prediction`);
      continue;
    }
    const roi = await prisma.roi.findFirst({
      where: { seriesId: latest.id },
      orderBy: { version: "desc" },
      select: { version: true },
    });
    if (!roi) continue;
    if (!used)
      changes.push(
        `${label(role)} ROI version ${roi.version} saved after this prediction (it had no ${label(role)} ROI)`,
      );
    else if (roi.version !== used.version)
      changes.push(
        `${label(role)} ROI version ${roi.version} saved after this prediction (it used version ${used.version})`,
      );
  }
  const record = await prisma.clinicalRecord.findFirst({
    where: { patientId: prediction.patientId },
    orderBy: { version: "desc" },
    select: { id: true, version: true },
  });
  if (record && !stored.clinicalRecord)
    changes.push(`clinical record version ${record.version} saved after this prediction (it had no clinical record)`);
  else if (record && record.id !== stored.clinicalRecord?.id)
    changes.push(
      `clinical record version ${record.version} saved after this prediction (it used version ${stored.clinicalRecord!.version})`,
    );
  return changes;
}
