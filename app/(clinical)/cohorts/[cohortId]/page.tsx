import Link from "next/link";
import { notFound } from "next/navigation";
import { patientViewFor } from "@/app/_server/deid-salt";
import { requirePageSession } from "@/app/_server/session";
import { can } from "@/lib/auth/permissions";
import { ExtractionPanel } from "@/components/cohort/ExtractionPanel";
import { getPrisma } from "@/lib/db/prisma";
import { isNacError } from "@/lib/errors";
import { IMAGE_ROLE_LABELS } from "@/lib/imaging/series/roles";
import { cohortOverview, type CohortOverview } from "@/lib/pipeline/cohort/features";

/** A cohort: every patient with what it has (series, ROIs, clinical record, outcome) and what is missing; extraction. */
export default async function CohortPage({ params }: { params: Promise<{ cohortId: string }> }) {
  const user = await requirePageSession();
  if (!can(user, "research")) return <p className="text-ink-300">Cohorts are for researchers and administrators.</p>;
  const { cohortId } = await params;
  if (!/^[0-9a-f-]{36}$/.test(cohortId)) notFound();
  let ov: CohortOverview;
  try {
    ov = await cohortOverview(await getPrisma(), cohortId, user, patientViewFor(user));
  } catch (e) {
    if (isNacError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  const complete = ov.patients.filter((p) => p.missing.length === 0).length;
  const mark = (ok: boolean) =>
    ok ? <span className="text-ok-400">✓</span> : <span className="text-danger-400">✗</span>;
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm">
        <Link href="/cohorts" className="text-accent-400 underline">
          Cohorts
        </Link>{" "}
        / {ov.name}
      </p>
      <h1 className="text-xl font-semibold" data-testid="cohort-title">
        {ov.name}
      </h1>
      <p className="text-sm text-ink-300">
        {ov.patients.length} patients, {complete} complete. Peritumoral shell {ov.periMarginMm} mm ({ov.periShellMode}).
      </p>
      <ExtractionPanel
        cohortId={ov.id}
        latestExtractionId={ov.extractions[0]?.id ?? null}
        periMarginMm={ov.periMarginMm}
        periShellMode={ov.periShellMode}
      />
      <table className="max-w-6xl text-sm" data-testid="cohort-patients">
        <thead className="text-left text-ink-500">
          <tr>
            <th className="pr-3">Patient</th>
            {IMAGE_ROLE_LABELS.map((r) => (
              <th key={r} className="pr-3">
                {r} series / ROI
              </th>
            ))}
            <th className="pr-3">Clinical</th>
            <th className="pr-3">pCR</th>
            <th className="pr-3">Response</th>
            <th>Missing</th>
          </tr>
        </thead>
        <tbody>
          {ov.patients.map((p) => (
            <tr key={p.patientId} className="border-t border-room-700">
              <td className="pr-3">
                <Link className="text-accent-400 underline" href={`/patients/${p.patientId}`}>
                  {p.patientKey}
                </Link>
              </td>
              {IMAGE_ROLE_LABELS.map((r) => {
                const s = p.series.find((x) => x.role === r);
                const roi = p.rois.find((x) => x.role === r);
                return (
                  <td key={r} className="pr-3">
                    {mark(!!s)} {s ? `${s.instances} img` : ""} / {mark(!!roi)} {roi ? `v${roi.version}` : ""}
                  </td>
                );
              })}
              <td className="pr-3">
                {p.clinical ? `v${p.clinical.version}${p.clinical.complete ? "" : " (incomplete)"}` : mark(false)}
              </td>
              <td className="pr-3">{p.outcome?.pcr ?? "—"}</td>
              <td className="pr-3">{p.outcome?.response ?? "—"}</td>
              <td className="text-warn-400">
                {p.missing.length ? p.missing.join(", ") : <span className="text-ok-400">nothing</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
