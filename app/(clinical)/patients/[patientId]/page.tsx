import { notFound } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { recordAudit } from "@/lib/audit/audit-log";
import { getPrisma } from "@/lib/db/prisma";
import { isNacError } from "@/lib/errors";
import { getPatientOrThrow } from "@/lib/pipeline/patients";

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
  const series = patient.studies.flatMap((s) => s.series);
  return (
    <section className="flex flex-col gap-3">
      <h1 className="text-xl font-semibold">
        {patient.displayName} <span className="text-sm text-ink-500">{patient.patientKey}</span>
      </h1>
      <h2 className="text-sm font-semibold text-ink-300">Series</h2>
      <ul className="text-sm">
        {series.map((s) => (
          <li key={s.id}>
            {s.role} · {s.modality} · {s.description ?? "no description"} · {s.instanceCount} images
          </li>
        ))}
        {series.length === 0 && <li className="text-ink-500">No series imported.</li>}
      </ul>
    </section>
  );
}
