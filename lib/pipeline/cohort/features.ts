/**
 * Cohort reads: the overview (patients, what each has and lacks) and the feature table of an extraction, assembled
 * from the `feature_sets` cache rows its items point at. Every read of patient data is audited. `view`: how the reader
 * may see patients (lib/auth/patient-view.ts): a researcher without identified access gets pseudonyms, in the overview
 * and in the exported table's patient_id alike; the CLI operator's default is identified.
 */
import type { PrismaClient } from "../../../generated/prisma/client";
import { IDENTIFIED_VIEW, patientAsSeenBy, patientKeyAsSeen, type PatientView } from "../../auth/patient-view";
import { recordAudit } from "../../audit/audit-log";
import { blockFor, type ExtractionSpec } from "../../cohort/extraction-spec";
import { featureTableCsv, type FeatureTableRow } from "../../cohort/feature-table";
import { NacError } from "../../errors";
import { blockPrefix, CLINICAL_ENCODINGS, type CaseRole } from "../case-features";
import { encodeClinical } from "../../clinical/encoding";

export interface CohortPatientOverview {
  patientId: string;
  patientKey: string;
  displayName: string;
  series: { role: string; seriesId: string; instances: number }[];
  rois: { role: string; version: number }[];
  clinical: { version: number; complete: boolean } | null;
  outcome: { version: number; pcr: number | null; response: number | null; source: string } | null;
  missing: string[];
}

export interface CohortOverview {
  id: string;
  name: string;
  description: string | null;
  periMarginMm: number;
  periShellMode: string;
  createdAt: string;
  patients: CohortPatientOverview[];
  extractions: { id: string; createdAt: string; extractors: string[]; total: number }[];
}

const ROLES: { db: CaseRole; words: string }[] = [
  { db: "CE_T1", words: "CE-T1" },
  { db: "T2", words: "T2" },
  { db: "CT", words: "CT" },
];

export async function cohortByNameOrId(prisma: PrismaClient, nameOrId: string) {
  const c =
    (await prisma.cohort.findUnique({ where: { name: nameOrId } })) ??
    (/^[0-9a-f-]{36}$/.test(nameOrId) ? await prisma.cohort.findUnique({ where: { id: nameOrId } }) : null);
  if (!c) throw new NacError("NOT_FOUND", `cohort "${nameOrId}" not found`);
  return c;
}

export async function cohortOverview(
  prisma: PrismaClient,
  nameOrId: string,
  user: { id: string | null; username: string },
  view: PatientView = IDENTIFIED_VIEW,
): Promise<CohortOverview> {
  const cohort = await cohortByNameOrId(prisma, nameOrId);
  const members = await prisma.cohortPatient.findMany({ where: { cohortId: cohort.id } });
  const ids = members.map((m) => m.patientId);
  const patients = await prisma.patient.findMany({
    where: { id: { in: ids } },
    orderBy: { patientKey: "asc" },
    include: {
      studies: {
        include: {
          series: { include: { rois: { orderBy: { version: "desc" }, take: 1 } }, orderBy: { createdAt: "desc" } },
        },
      },
    },
  });
  const clinical = await prisma.clinicalRecord.findMany({
    where: { patientId: { in: ids } },
    orderBy: { version: "desc" },
    distinct: ["patientId"],
  });
  const outcomes = await prisma.patientOutcome.findMany({
    where: { patientId: { in: ids } },
    orderBy: { version: "desc" },
    distinct: ["patientId"],
  });
  const out: CohortPatientOverview[] = patients.map((p) => {
    const all = p.studies.flatMap((s) => s.series);
    const series: CohortPatientOverview["series"] = [];
    const rois: CohortPatientOverview["rois"] = [];
    const missing: string[] = [];
    for (const r of ROLES) {
      const s = all.find((x) => x.role === r.db);
      if (!s) {
        missing.push(`${r.words} series`);
        continue;
      }
      series.push({ role: r.words, seriesId: s.id, instances: s.instanceCount });
      if (s.rois[0]) rois.push({ role: r.words, version: s.rois[0].version });
      else missing.push(`${r.words} ROI`);
    }
    const c = clinical.find((x) => x.patientId === p.id);
    const o = outcomes.find((x) => x.patientId === p.id);
    if (!c) missing.push("clinical record");
    else if ((c.values as { complete?: boolean }).complete !== true) missing.push("complete clinical record");
    if (!o) missing.push("outcome");
    else {
      if (o.pcr === null) missing.push("pCR");
      if (o.response === null) missing.push("response");
    }
    const seen = patientAsSeenBy({ patientKey: p.patientKey, displayName: p.displayName }, view.identified, view.salt);
    return {
      patientId: p.id,
      patientKey: seen.patientKey,
      displayName: seen.displayName,
      series,
      rois,
      clinical: c ? { version: c.version, complete: (c.values as { complete?: boolean }).complete === true } : null,
      outcome: o ? { version: o.version, pcr: o.pcr, response: o.response, source: o.source } : null,
      missing,
    };
  });
  const extractions = await prisma.extraction.findMany({
    where: { cohortId: cohort.id },
    orderBy: { createdAt: "desc" },
  });
  await recordAudit(prisma, {
    action: "cohort.view",
    userId: user.id,
    username: user.username,
    targetType: "cohort",
    targetId: cohort.id,
    details: { name: cohort.name, patients: ids.length, identified: view.identified },
  });
  return {
    id: cohort.id,
    name: cohort.name,
    description: cohort.description,
    periMarginMm: cohort.periMarginMm,
    periShellMode: cohort.periShellMode,
    createdAt: cohort.createdAt.toISOString(),
    patients: out,
    extractions: extractions.map((e) => ({
      id: e.id,
      createdAt: e.createdAt.toISOString(),
      extractors: (e.spec as unknown as ExtractionSpec).extractors,
      total: e.total,
    })),
  };
}

/** Feature rows of an extraction (default: the cohort's latest), from the cache rows of its finished items. */
export async function cohortFeatureRows(
  prisma: PrismaClient,
  nameOrId: string,
  o: { extractionId?: string; view?: PatientView } = {},
): Promise<{ rows: FeatureTableRow[]; extractionId: string; cohortId: string; pending: number }> {
  const cohort = await cohortByNameOrId(prisma, nameOrId);
  const extraction = o.extractionId
    ? await prisma.extraction.findFirst({ where: { id: o.extractionId, cohortId: cohort.id } })
    : await prisma.extraction.findFirst({ where: { cohortId: cohort.id }, orderBy: { createdAt: "desc" } });
  if (!extraction)
    throw new NacError(
      "NOT_FOUND",
      `cohort "${cohort.name}" has no extraction${o.extractionId ? ` ${o.extractionId}` : ""} (run \`nac extract --cohort ${cohort.name}\`)`,
    );
  const members = await prisma.cohortPatient.findMany({ where: { cohortId: cohort.id } });
  const patients = await prisma.patient.findMany({
    where: { id: { in: members.map((m) => m.patientId) } },
    select: { id: true, patientKey: true },
  });
  const items = await prisma.extractionItem.findMany({ where: { extractionId: extraction.id } });
  const setIds = items.filter((i) => i.featureSetId).map((i) => i.featureSetId!);
  const sets = new Map<string, Record<string, number>>();
  for (let i = 0; i < setIds.length; i += 1000) {
    for (const s of await prisma.featureSet.findMany({
      where: { id: { in: setIds.slice(i, i + 1000) } },
      select: { id: true, values: true },
    })) {
      sets.set(s.id, ((s.values as { values?: Record<string, number> }).values ?? {}) as Record<string, number>);
    }
  }
  const clinical = await prisma.clinicalRecord.findMany({
    where: { patientId: { in: patients.map((p) => p.id) } },
    orderBy: { version: "desc" },
    distinct: ["patientId"],
  });
  const outcomes = await prisma.patientOutcome.findMany({
    where: { patientId: { in: patients.map((p) => p.id) } },
    orderBy: { version: "desc" },
    distinct: ["patientId"],
  });
  const vars = CLINICAL_ENCODINGS.map((v) => v.name);
  const rows = patients.map((p): FeatureTableRow => {
    const values: Record<string, number> = {};
    for (const it of items.filter((i) => i.patientId === p.id && i.featureSetId)) {
      const prefix = blockPrefix(blockFor(it));
      for (const [k, v] of Object.entries(sets.get(it.featureSetId!) ?? {}))
        if (Number.isFinite(v)) values[prefix + k] = v;
    }
    const c = clinical.find((x) => x.patientId === p.id);
    Object.assign(values, encodeClinical((c?.values ?? null) as Record<string, unknown> | null, vars).values);
    const oc = outcomes.find((x) => x.patientId === p.id);
    return {
      patientId: patientKeyAsSeen(p.patientKey, o.view ?? IDENTIFIED_VIEW),
      values,
      pcr: (oc?.pcr ?? null) as 0 | 1 | null,
      response: (oc?.response ?? null) as 0 | 1 | null,
    };
  });
  const pending = items.filter((i) => i.status === "queued" || i.status === "running").length;
  return { rows, extractionId: extraction.id, cohortId: cohort.id, pending };
}

export async function cohortFeatureTable(
  prisma: PrismaClient,
  nameOrId: string,
  o: { extractionId?: string; user: { id: string | null; username: string }; view?: PatientView },
) {
  const r = await cohortFeatureRows(prisma, nameOrId, o);
  const t = featureTableCsv(r.rows);
  await recordAudit(prisma, {
    action: "cohort.features_export",
    userId: o.user.id,
    username: o.user.username,
    targetType: "extraction",
    targetId: r.extractionId,
    details: {
      cohortId: r.cohortId,
      patients: r.rows.length,
      columns: t.columns,
      pending: r.pending,
      identified: (o.view ?? IDENTIFIED_VIEW).identified,
    },
  });
  return { ...t, rows: r.rows.length, extractionId: r.extractionId, pending: r.pending };
}
