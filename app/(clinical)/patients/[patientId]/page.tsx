import { notFound } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { ViewerLoader } from "@/components/viewer/ViewerLoader";
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
            images: s.images,
          }))}
        />
      )}
    </section>
  );
}
