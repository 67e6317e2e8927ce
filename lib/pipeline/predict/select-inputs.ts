/**
 * Which stored inputs a prediction uses: per series role the most recently imported series and its latest ROI version,
 * and the latest clinical record version; with a warning when a role has more than one series.
 */
import type { ClinicalRecord, DicomInstance, Roi, Series } from "../../../generated/prisma/client";
import { NacError } from "../../errors";
import type { CaseFeatureSpec, CaseRole } from "../case-features";
import type { PredictDeps } from "./types";
import { roleLabel } from "../../imaging/series/roles";

export type SeriesWithInstances = Series & { instances: DicomInstance[] };

/** One role's inputs: a series with an ROI, or why there is none. */
export type RoleInput = { role: CaseRole; series: SeriesWithInstances; roi: Roi } | { role: CaseRole; absent: string };

export interface PredictInputs {
  roles: RoleInput[];
  clinicalRecord: ClinicalRecord | null;
  warnings: string[];
}

export async function selectLatestInputs(
  deps: Pick<PredictDeps, "prisma">,
  spec: CaseFeatureSpec,
  patientId: string,
): Promise<PredictInputs> {
  const patient = await deps.prisma.patient.findUnique({
    where: { id: patientId },
    include: { studies: { include: { series: { include: { instances: true }, orderBy: { createdAt: "desc" } } } } },
  });
  if (!patient) throw new NacError("NOT_FOUND", `patient ${patientId} not found`);
  const allSeries = patient.studies.flatMap((s) => s.series);
  const warnings: string[] = [];
  const roles: RoleInput[] = [];
  for (const role of spec.roles) {
    const candidates = allSeries.filter((s) => s.role === role).sort((a, b) => +b.createdAt - +a.createdAt);
    if (candidates.length > 1)
      warnings.push(`${candidates.length} ${roleLabel(role)} series: the most recently imported one was used`);
    const series = candidates[0];
    if (!series) {
      roles.push({ role, absent: `no ${roleLabel(role)} series` });
      continue;
    }
    const roi = await deps.prisma.roi.findFirst({ where: { seriesId: series.id }, orderBy: { version: "desc" } });
    if (!roi) roles.push({ role, absent: `no tumour ROI on the ${roleLabel(role)} series` });
    else roles.push({ role, series, roi });
  }
  const clinicalRecord = await deps.prisma.clinicalRecord.findFirst({
    where: { patientId },
    orderBy: { version: "desc" },
  });
  return { roles, clinicalRecord, warnings };
}
