import { notFound } from "next/navigation";
import { preload } from "react-dom";
import { auditPage, requirePageSession } from "@/app/_server/session";
import { listPacsSources } from "@/lib/pipeline/pacs/sources";
import { ClinicalForm } from "@/components/patient/ClinicalForm";
import { OutcomeForm, type OutcomeView } from "@/components/patient/OutcomeForm";
import { PredictPanel, type PredictionView } from "@/components/patient/PredictPanel";
import type { SeriesRoleRow } from "@/components/viewer/SeriesRoles";
import { SeriesRoles } from "@/components/viewer/SeriesRoles";
import { firstImageIndex, instanceFileUrl } from "@/components/viewer/image-urls";
import { ViewerLoader } from "@/components/viewer/ViewerLoader";
import type { ClinicalValues } from "@/lib/clinical/variables";
import { deidSalt } from "@/app/_server/deid-salt";
import { identifiedFor, patientAsSeenBy } from "@/lib/auth/patient-view";
import { can, type Permission } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma";
import { isNacError } from "@/lib/errors";
import { latestOutcome } from "@/lib/pipeline/outcomes";
import { getPatientOrThrow } from "@/lib/pipeline/patients";
import { getSeriesViewOrThrow } from "@/lib/pipeline/series";
import { modelLabel } from "@/lib/ml/bundle/model-label";
import { storedPredictionOutputsSchema, storedWarningsSchema } from "@/lib/api/schemas";
import { inputChanges } from "@/lib/pipeline/predict/outdated";

export default async function PatientPage({ params }: { params: Promise<{ patientId: string }> }) {
  const user = await requirePageSession();
  const { patientId } = await params;
  const prisma = await getPrisma();
  let patient;
  try {
    patient = patientAsSeenBy(await getPatientOrThrow(prisma, patientId), identifiedFor(user), deidSalt());
  } catch (e) {
    if (isNacError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  await auditPage(user, {
    action: "patient.view",
    patientId: patient.id,
    targetType: "patient",
    targetId: patient.id,
    details: { identified: !patient.pseudonymised },
  });
  const series = await Promise.all(
    patient.studies.flatMap((s) => s.series).map((s) => getSeriesViewOrThrow(prisma, s.id)),
  );
  // One row per series shown (the viewer's image reads are audited per series by the file route, not per frame).
  for (const s of series)
    await auditPage(user, {
      action: "series.view",
      patientId: patient.id,
      targetType: "series",
      targetId: s.id,
      details: { role: s.role, images: s.images.length },
    });
  if (patient.clinicalRecords[0])
    await auditPage(user, {
      action: "clinical.view",
      patientId: patient.id,
      targetType: "clinical_record",
      targetId: patient.clinicalRecords[0].id,
      details: { version: patient.clinicalRecords[0].version },
    });
  if (patient.predictions.length)
    await auditPage(user, {
      action: "prediction.list",
      patientId: patient.id,
      targetType: "patient",
      targetId: patient.id,
      details: { count: patient.predictions.length },
    });
  // Each series' first image is fetched while the viewer's JavaScript loads (the viewer requests the same URLs).
  for (const s of series) {
    const first = s.images[firstImageIndex(s.images.length)];
    if (first) preload(instanceFileUrl(first), { as: "fetch", crossOrigin: "anonymous" });
  }
  const clinical = patient.clinicalRecords[0] ?? null;
  const last = patient.predictions[0] ?? null;
  const lastBundle = last ? await prisma.modelBundle.findUnique({ where: { id: last.modelBundleId } }) : null;
  // Stored JSON is read with its schema: a row that does not match fails here, not as a wrong number on screen.
  const lastOutputs = last ? storedPredictionOutputsSchema.parse(last.outputs) : null;
  const initialPrediction: PredictionView | null =
    last && lastBundle
      ? {
          predictionId: last.id,
          createdAt: last.createdAt.toISOString(),
          model: {
            bundleId: lastBundle.bundleId,
            name: lastBundle.name,
            version: last.modelVersion,
            isDemo: lastBundle.isDemo,
            label: modelLabel(lastBundle.isDemo, lastBundle.name),
          },
          endpoints: lastOutputs!.endpoints,
          similarCases: lastOutputs!.similarCases,
          acquisition: lastOutputs!.acquisition,
          inputsUsed: lastOutputs!.inputsUsed,
          outdated: await inputChanges(prisma, last),
          warnings: storedWarningsSchema.parse(last.warnings),
        }
      : null;
  const outcomeRow = await latestOutcome(prisma, patient.id);
  if (outcomeRow)
    await auditPage(user, {
      action: "outcome.view",
      patientId: patient.id,
      targetType: "patient_outcome",
      targetId: outcomeRow.id,
      details: { version: outcomeRow.version },
    });
  const outcome: OutcomeView | null = outcomeRow && {
    version: outcomeRow.version,
    pcr: outcomeRow.pcr,
    response: outcomeRow.response,
    preDiameterMm: outcomeRow.preDiameterMm,
    postDiameterMm: outcomeRow.postDiameterMm,
    outcomeDate: outcomeRow.outcomeDate,
    source: outcomeRow.source,
    recordedAt: outcomeRow.createdAt.toISOString(),
  };
  const canEdit = can(user, "clinical.write");
  const canPredict = can(user, "predict");
  // Same permission as POST /api/series/[id]/rois (and its upload) and PATCH /api/series/[id].
  const canEditRois = can(user, "roi.write");
  const readOnlyReason = canEditRois
    ? null
    : `read-only for the ${user.role} role: only radiologists and admins edit ROIs and series roles`;
  const roleRows = await seriesRoleRows(prisma, series);
  // The PACS results can be stored to, for a user with the write-back permission (pacs.store_roi / pacs.store_prediction).
  const pacs = (await listPacsSources(prisma))[0] ?? null;
  const pacsFor = (permission: Permission) => (pacs && can(user, permission) ? pacs.name : null);
  return (
    <section className="flex flex-col gap-3">
      <h1 className="text-xl font-semibold">
        {patient.displayName} <span className="text-sm text-ink-500">{patient.patientKey}</span>
        {patient.isSynthetic && <span className="ml-2 rounded bg-room-700 px-1 text-xs text-ink-300">synthetic</span>}
      </h1>
      {series.length > 0 && <SeriesRoles series={roleRows} canOverride={canEditRois} readOnlyReason={readOnlyReason} />}
      {series.length === 0 ? (
        <p className="text-ink-500">No series imported for this patient.</p>
      ) : (
        <ViewerLoader
          readOnlyReason={readOnlyReason}
          pacsName={pacsFor("pacs.store_roi")}
          series={series.map((s) => ({
            id: s.id,
            role: s.role,
            roleSource: s.roleSource,
            modality: s.modality,
            description: s.description,
            frameOfReferenceUid: s.frameOfReferenceUid,
            dims: s.geometry.dims,
            geometry: s.geometry,
            images: s.images,
          }))}
        />
      )}
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        <ClinicalForm
          patientId={patient.id}
          initial={(clinical?.values as ClinicalValues | undefined) ?? null}
          version={clinical?.version ?? null}
          canEdit={canEdit}
        />
        <PredictPanel
          patientId={patient.id}
          canPredict={canPredict}
          initial={initialPrediction}
          pacsName={pacsFor("pacs.store_prediction")}
        />
        <OutcomeForm patientId={patient.id} initial={outcome} canEdit={can(user, "outcome.write")} />
      </div>
    </section>
  );
}

/**
 * Role rows for the series list. For a manually set role, the classifier's suggestion is the "from" of the first
 * override in the audit log (its confidence is recorded there since overrides started keeping it).
 */
async function seriesRoleRows(
  prisma: Awaited<ReturnType<typeof getPrisma>>,
  series: Awaited<ReturnType<typeof getSeriesViewOrThrow>>[],
): Promise<SeriesRoleRow[]> {
  const manual = series.filter((s) => s.roleSource === "manual").map((s) => s.id);
  const overrides = manual.length
    ? await prisma.auditEvent.findMany({
        where: { action: "series.role_override", targetId: { in: manual } },
        orderBy: { at: "asc" },
      })
    : [];
  const classifier = new Map<string, { role: string; confidence: number | null }>();
  for (const o of overrides) {
    const d = o.details as { from?: string; fromSource?: string; fromConfidence?: number };
    if (!o.targetId || classifier.has(o.targetId) || !d.from || (d.fromSource !== undefined && d.fromSource !== "auto"))
      continue;
    classifier.set(o.targetId, {
      role: d.from,
      confidence: typeof d.fromConfidence === "number" ? d.fromConfidence : null,
    });
  }
  return series.map((s) => ({
    id: s.id,
    description: s.description,
    modality: s.modality,
    imageCount: s.images.length,
    role: s.role,
    roleSource: s.roleSource,
    roleConfidence: s.roleConfidence,
    classifier: classifier.get(s.id) ?? null,
  }));
}
