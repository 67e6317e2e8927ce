/**
 * The training acquisition distribution of a bundle registered from an experiment: the acquisition
 * parameters of the stored series of the cohort the experiment's feature table came from. A table from an uploaded
 * file has no stored series: null (Predict then says the acquisition check is unavailable).
 */
import type { PrismaClient } from "../../../generated/prisma/client";
import { summariseAcquisition, type AcquisitionDistribution, type AcquisitionParameters } from "../../acquisition";
import type { FileStore } from "../../storage/file-store";
import { seriesAcquisition } from "../series-acquisition";

/** The source string of a cohort feature table (cohort-table.ts): "cohort NAME extraction ID". */
const COHORT_SOURCE = /^cohort (.+) extraction \S+$/;

export async function trainingAcquisition(
  deps: { prisma: PrismaClient; store: FileStore },
  tableSource: string,
): Promise<AcquisitionDistribution | null> {
  const m = COHORT_SOURCE.exec(tableSource);
  if (!m) return null;
  const cohort = await deps.prisma.cohort.findUnique({ where: { name: m[1] }, include: { patients: true } });
  if (!cohort) return null;
  const series = await deps.prisma.series.findMany({
    where: {
      study: { patientId: { in: cohort.patients.map((p) => p.patientId) } },
      role: { in: ["CE_T1", "T2", "CT"] },
    },
    include: { instances: true },
    orderBy: { createdAt: "asc" },
  });
  const params: AcquisitionParameters[] = [];
  for (const s of series) {
    const p = await seriesAcquisition(deps.store, s);
    if (p) params.push(p);
  }
  if (!params.length) return null;
  return summariseAcquisition(
    params,
    `cohort ${cohort.name}: ${series.length} series of ${cohort.patients.length} patients`,
  );
}
