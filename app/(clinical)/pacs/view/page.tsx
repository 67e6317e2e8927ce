import Link from "next/link";
import { redirect } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { pacsDeps } from "@/app/_server/pacs";
import { PacsImportButton } from "@/components/pacs/PacsImportButton";
import { ViewerLoader } from "@/components/viewer/ViewerLoader";

import { isNacError } from "@/lib/errors";
import { assertUid } from "@/lib/pacs/dicomweb-client";
import { pacsClient } from "@/lib/pipeline/pacs/sources";
import { recordPacsRead, streamedStudyView, type StreamedStudyView } from "@/lib/pipeline/pacs/view";
import { can } from "@/lib/auth/permissions";

/**
 * PACS studies in the three-series viewer, streamed (nothing stored): geometry and roles from the PACS's metadata, the
 * pixels through the proxy route, which checks the session and role and audits every read.
 */
export default async function PacsViewPage({
  searchParams,
}: {
  searchParams: Promise<{ source?: string; study?: string | string[] }>;
}) {
  const user = await requirePageSession();
  if (!can(user, "pacs.read")) redirect("/worklist");
  const sp = await searchParams;
  const studies = (Array.isArray(sp.study) ? sp.study : sp.study ? [sp.study] : []).slice(0, 10);
  const deps = await pacsDeps();
  let view: StreamedStudyView | null = null;
  let problem: string | null = null;
  let source: { id: string; name: string } | null = null;
  try {
    if (!sp.source || !/^[0-9a-f-]{36}$/.test(sp.source) || !studies.length)
      throw new Error("choose a study from the PACS tab of the worklist");
    studies.forEach((s) => assertUid(s, "study UID"));
    const c = await pacsClient(deps, sp.source);
    source = { id: c.source.id, name: c.source.name };
    view = await streamedStudyView(c.client, studies);
    await recordPacsRead(deps.prisma, user, source.id, {
      what: "study view",
      studyInstanceUids: studies,
      patientId: view.patient.id,
      series: view.series.map((s) => s.seriesInstanceUid),
    });
  } catch (e) {
    problem = isNacError(e) || e instanceof Error ? e.message : String(e);
  }
  const canImport = can(user, "pacs.import");
  return (
    <section className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">
          {view?.patient.name ?? "PACS study"} <span className="text-sm text-ink-500">{view?.patient.id}</span>
        </h1>
        <span className="rounded bg-room-700 px-2 py-0.5 text-xs text-ink-300" data-testid="pacs-streamed-badge">
          streamed from {source?.name ?? "the PACS"} · not stored in NACpredict
        </span>
        {source && view && canImport && <PacsImportButton sourceId={source.id} studyUids={studies} />}
        <Link href="/worklist?tab=pacs" className="text-sm text-accent-400 hover:underline">
          Back to the PACS search
        </Link>
      </div>
      {problem && (
        <p role="alert" className="text-danger-400" data-testid="pacs-view-error">
          Cannot show this study: {problem}
        </p>
      )}
      {view && view.skipped.length > 0 && (
        <ul className="text-xs text-ink-500">
          {view.skipped.map((s) => (
            <li key={s.seriesInstanceUid}>
              Not shown: {s.description ?? s.seriesInstanceUid} ({s.reason})
            </li>
          ))}
        </ul>
      )}
      {view && source && (
        <ViewerLoader
          readOnlyReason="streamed from the PACS: import the study into NACpredict to draw and save an ROI"
          series={view.series.map((s) => ({
            id: s.seriesInstanceUid,
            role: s.role,
            modality: s.modality ?? "OT",
            description: s.description,
            frameOfReferenceUid: s.frameOfReferenceUid,
            dims: s.dims,
            geometry: { dims: s.dims, spacing: s.spacing, origin: s.origin, direction: s.direction },
            images: s.sopInstanceUids.map((sop) => ({ instanceId: sop, frame: 1 })),
            wado: {
              root: `/api/pacs/${source!.id}/dicom-web`,
              studyUid: s.studyInstanceUid,
              seriesUid: s.seriesInstanceUid,
            },
          }))}
        />
      )}
    </section>
  );
}
