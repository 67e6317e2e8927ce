import { notFound } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { ClinicalForm } from "@/components/patient/ClinicalForm";
import { PredictPanel, type PredictionView } from "@/components/patient/PredictPanel";
import { ViewerLoader } from "@/components/viewer/ViewerLoader";
import type { ClinicalValues } from "@/lib/clinical/variables";
import { recordAudit } from "@/lib/audit/audit-log";
import { getPrisma } from "@/lib/db/prisma";
import { isNacError } from "@/lib/errors";
import { getPatientOrThrow } from "@/lib/pipeline/patients";
import { getSeriesViewOrThrow } from "@/lib/pipeline/series";

export default async function PatientPage({ params }: { params: Promise<{ patientId: string }> }) {
  const user = await requirePageSession();
  const { patientId } = await params;
  const prisma = await getPrisma();
  let patient;
  try {
    patient = await getPatientOrThrow(prisma, patientId);
  } catch (e) {
    if (isNacError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  await recordAudit(prisma, { action: "patient.view", userId: user.id, username: user.username, patientId: patient.id, targetType: "patient", targetId: patient.id });
  const series = await Promise.all(patient.studies.flatMap((s) => s.series).map((s) => getSeriesViewOrThrow(prisma, s.id)));
  const clinical = patient.clinicalRecords[0] ?? null;
  const last = patient.predictions[0] ?? null;
  const lastBundle = last ? await prisma.modelBundle.findUnique({ where: { id: last.modelBundleId } }) : null;
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
            label: lastBundle.isDemo ? "demo model, synthetic data, not for clinical use" : lastBundle.name,
          },
          endpoints: (last.outputs as unknown as { endpoints: PredictionView["endpoints"] }).endpoints,
          warnings: last.warnings as unknown as string[],
        }
      : null;
  const canEdit = user.role !== "researcher";
  return (
    <section className="flex flex-col gap-3">
      <h1 className="text-xl font-semibold">
        {patient.displayName} <span className="text-sm text-ink-500">{patient.patientKey}</span>
        {patient.isSynthetic && <span className="ml-2 rounded bg-room-700 px-1 text-xs text-ink-300">synthetic</span>}
      </h1>
      {series.length === 0 ? (
        <p className="text-ink-500">No series imported for this patient.</p>
      ) : (
        <ViewerLoader
          series={series.map((s) => ({
            id: s.id,
            role: s.role,
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
        <ClinicalForm patientId={patient.id} initial={(clinical?.values as ClinicalValues | undefined) ?? null} version={clinical?.version ?? null} canEdit={canEdit} />
        <PredictPanel patientId={patient.id} canPredict={canEdit} initial={initialPrediction} />
      </div>
    </section>
  );
}
