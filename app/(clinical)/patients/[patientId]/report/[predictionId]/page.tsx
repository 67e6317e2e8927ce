import { notFound } from "next/navigation";
import { deidSalt } from "@/app/_server/deid-salt";
import { auditPage, requirePageSession } from "@/app/_server/session";
import { identifiedFor, patientAsSeenBy } from "@/lib/auth/patient-view";
import { PrintButton } from "@/components/patient/PrintButton";
import { VerifyPredictionButton } from "@/components/patient/VerifyPredictionButton";
import { can } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma";
import { isNacError } from "@/lib/errors";
import { reportDataForPrediction } from "@/lib/pipeline/report";
import { calibrationWords } from "@/lib/report/calibration-words";
import { getFileStore } from "@/lib/storage/server-store";

const pct = (p: number) => `${(100 * p).toFixed(0)}%`;

/** Printable tumour-board page (the PDF download carries the same content). */
export default async function ReportPage({ params }: { params: Promise<{ patientId: string; predictionId: string }> }) {
  const user = await requirePageSession();
  const { patientId, predictionId } = await params;
  const prisma = await getPrisma();
  let d;
  try {
    const full = await reportDataForPrediction({ prisma, store: getFileStore() }, predictionId);
    d = { ...full, patient: patientAsSeenBy(full.patient, identifiedFor(user), deidSalt()) };
  } catch (e) {
    if (isNacError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  // The audited patient is the prediction's own, whatever the URL says.
  const owner = await prisma.prediction.findUnique({ where: { id: predictionId }, select: { patientId: true } });
  if (!owner || owner.patientId !== patientId) notFound();
  await auditPage(user, {
    action: "report.view",
    patientId: owner.patientId,
    targetType: "prediction",
    targetId: predictionId,
  });
  return (
    <article
      className="mx-auto flex max-w-3xl flex-col gap-3 bg-white p-6 text-sm text-black print:p-0"
      data-testid="report"
    >
      <div className="flex items-center justify-between print:hidden">
        <a href={`/patients/${patientId}`} className="text-blue-700 hover:underline">
          ← back to patient
        </a>
        <div className="flex gap-2">
          {can(user, "prediction.verify") && <VerifyPredictionButton predictionId={predictionId} />}
          <PrintButton />
          <a href={`/api/predictions/${predictionId}/report`} className="rounded border px-2 py-1">
            Download PDF
          </a>
          <a
            href={`/api/predictions/${predictionId}/sr`}
            className="rounded border px-2 py-1"
            data-testid="report-page-sr"
            title="DICOM Structured Report (TID 1500), as stored to the PACS"
          >
            Download DICOM SR
          </a>
        </div>
      </div>
      <p className="bg-yellow-300 px-2 py-1 text-center font-semibold">
        Research use only — not for clinical decision making
      </p>
      <h1 className="text-xl font-bold">NACpredict — tumour-board report</h1>
      <p>
        <b>{d.patient.displayName}</b> ({d.patient.patientKey}){d.patient.isSynthetic && " — synthetic demo patient"}
      </p>
      <p>
        Model <b>{d.model.name}</b>, version <b>{d.model.version}</b>
        {d.model.isDemo && ` — ${d.model.label}`}. Prediction of {d.prediction.createdAt.slice(0, 16).replace("T", " ")}{" "}
        UTC
        {d.prediction.author && ` by ${d.prediction.author}`}.
      </p>
      {!!d.inputs?.incomplete.length && (
        <p className="border-2 border-red-700 px-2 py-1 font-semibold text-red-800" data-testid="report-incomplete">
          Incomplete prediction: {d.inputs.incomplete.join("; ")}. Training medians stand in for what is missing.
        </p>
      )}
      {!!d.inputs?.outdated.length && (
        <p className="border-2 border-amber-600 px-2 py-1 font-semibold text-amber-800" data-testid="report-outdated">
          Outdated: {d.inputs.outdated.join("; ")}.
        </p>
      )}
      {d.endpoints.map((e) => (
        <section key={e.key} className="border-t pt-2">
          <h2 className="font-semibold">
            {e.label}: <span className="text-lg">{pct(e.probability)}</span>
          </h2>
          <p>
            Spread across {e.spread.n} partition models: {pct(e.spread.mean)} ± {(100 * e.spread.sd).toFixed(1)} points
            (range {pct(e.spread.min)}–{pct(e.spread.max)}).
          </p>
          {e.calibration !== undefined && (
            <p data-testid={`report-calibration-${e.key}`}>{calibrationWords(e.calibration)}</p>
          )}
          <ul className="list-disc pl-5">
            {e.contributions
              .filter((c) => c.input !== null)
              .slice(0, 6)
              .map((c) => (
                <li key={c.words}>{c.words}</li>
              ))}
          </ul>
          {e.contributions.some((c) => c.input === null) && (
            <>
              <p className="font-semibold">Imputed inputs (not this patient&apos;s values):</p>
              <ul className="list-disc pl-5">
                {e.contributions
                  .filter((c) => c.input === null)
                  .map((c) => (
                    <li key={c.words}>{c.words}</li>
                  ))}
              </ul>
            </>
          )}
        </section>
      ))}
      <p className="text-xs">
        The probability is the final model&apos;s, trained on all training patients; the spread is that of the partition
        models, each trained on one training split.
      </p>
      {d.inputs && (
        <section className="border-t pt-2" data-testid="report-inputs">
          <h2 className="font-semibold">Inputs used</h2>
          <ul className="list-disc pl-5" data-testid="report-rois">
            {d.inputs.series.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
          <p className="font-semibold">Clinical variables used</p>
          <ul className="list-disc pl-5" data-testid="report-clinical-variables">
            {d.inputs.clinical.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </section>
      )}
      {d.warnings.length > 0 && (
        <section className="border-t pt-2 text-amber-800">
          <h2 className="font-semibold">Warnings</h2>
          <ul className="list-disc pl-5">
            {d.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      )}
      {d.keyImages.length > 0 && (
        <section className="border-t pt-2">
          <h2 className="font-semibold">Key images (tumour red, peritumoral shell amber)</h2>
          <div className="flex gap-3">
            {d.keyImages.map((k) => (
              <figure key={k.title}>
                {/* eslint-disable-next-line @next/next/no-img-element -- generated data URL, not an optimisable asset */}
                <img
                  alt={k.title}
                  src={`data:image/png;base64,${Buffer.from(k.png).toString("base64")}`}
                  className="h-48 w-48 object-contain"
                />
                <figcaption className="text-xs">{k.title}</figcaption>
              </figure>
            ))}
          </div>
        </section>
      )}
      {d.readerMeasurements && d.readerMeasurements.length > 0 && (
        <section className="border-t pt-2" data-testid="report-measurements">
          <h2 className="font-semibold">Readers&apos; measurements</h2>
          {d.readerMeasurements.map((m) => (
            <div key={m.title}>
              <p>{m.title}</p>
              <ul className="list-disc pl-5">
                {m.lines.map((l, k) => (
                  <li key={k}>{l}</li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
      <section className="border-t pt-2">
        <h2 className="font-semibold">Model card (summary)</h2>
        <p>Intended use: {d.card.intendedUse}</p>
        <p>Training data: {d.card.trainingData}</p>
        {d.card.validation.map((v) => (
          <p key={v}>{v}</p>
        ))}
        <ul className="list-disc pl-5">
          {d.card.limitations.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      </section>
      <p className="text-xs text-gray-600">Provenance {d.provenanceHash}</p>
    </article>
  );
}
