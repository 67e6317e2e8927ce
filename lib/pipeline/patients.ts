import type { PrismaClient } from "../../generated/prisma/client";
import { patientAsSeenBy } from "../auth/patient-view";
import { NacError } from "../errors";

export type WorklistSort = "name" | "updated" | "key";

export interface WorklistRow {
  id: string;
  patientKey: string;
  displayName: string;
  isSynthetic: boolean;
  seriesRoles: string[];
  roiSeriesRoles: string[];
  clinicalComplete: boolean;
  lastPrediction: { at: string; modelVersion: string } | null;
  updatedAt: string;
}

/** The worklist: every patient with what is present (series by role, ROIs, clinical record, last prediction). */
export async function listWorklist(
  prisma: PrismaClient,
  opts: { search?: string; sort?: WorklistSort } = {},
): Promise<WorklistRow[]> {
  const q = opts.search?.trim();
  const patients = await prisma.patient.findMany({
    where: q
      ? {
          OR: [
            { displayName: { contains: q, mode: "insensitive" } },
            { patientKey: { contains: q, mode: "insensitive" } },
          ],
        }
      : undefined,
    orderBy:
      opts.sort === "updated"
        ? { updatedAt: "desc" }
        : opts.sort === "key"
          ? { patientKey: "asc" }
          : { displayName: "asc" },
    include: {
      studies: { include: { series: { include: { rois: { select: { id: true }, take: 1 } } } } },
      clinicalRecords: { orderBy: { version: "desc" }, take: 1 },
      predictions: { orderBy: { createdAt: "desc" }, take: 1 },
    },
  });
  return patients.map((p) => {
    const series = p.studies.flatMap((s) => s.series);
    const latest = p.clinicalRecords[0];
    const pred = p.predictions[0];
    return {
      id: p.id,
      patientKey: p.patientKey,
      displayName: p.displayName,
      isSynthetic: p.isSynthetic,
      seriesRoles: series.map((s) => s.role).sort(),
      roiSeriesRoles: series
        .filter((s) => s.rois.length > 0)
        .map((s) => s.role)
        .sort(),
      clinicalComplete: !!latest && (latest.values as { complete?: boolean } | null)?.complete === true,
      lastPrediction: pred ? { at: pred.createdAt.toISOString(), modelVersion: pred.modelVersion } : null,
      updatedAt: p.updatedAt.toISOString(),
    };
  });
}

export async function getPatientOrThrow(prisma: PrismaClient, id: string) {
  const p = await prisma.patient.findUnique({
    where: { id },
    include: {
      studies: { include: { series: { orderBy: { role: "asc" } } } },
      clinicalRecords: { orderBy: { version: "desc" }, take: 1 },
      predictions: { orderBy: { createdAt: "desc" }, take: 5 },
    },
  });
  if (!p) throw new NacError("NOT_FOUND", `patient ${id} not found`);
  return p;
}

/**
 * The worklist as one user may see it (lib/auth/patient-view.ts): a user who may not see identities gets pseudonyms,
 * and the search and name sort apply to the pseudonym, so searching a real name finds nothing.
 */
export async function listWorklistFor(
  prisma: PrismaClient,
  opts: { search?: string; sort?: WorklistSort },
  view: { identified: boolean; salt: string },
): Promise<(WorklistRow & { pseudonymised: boolean })[]> {
  if (view.identified) return (await listWorklist(prisma, opts)).map((r) => ({ ...r, pseudonymised: false }));
  const q = opts.search?.trim().toUpperCase();
  const rows = (await listWorklist(prisma, { sort: opts.sort === "updated" ? "updated" : "key" })).map((r) =>
    patientAsSeenBy(r, false, view.salt),
  );
  const found = q ? rows.filter((r) => r.patientKey.includes(q)) : rows;
  return opts.sort === "updated" ? found : found.sort((a, b) => a.patientKey.localeCompare(b.patientKey));
}
