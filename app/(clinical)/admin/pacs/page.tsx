import { redirect } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { PacsSourceForm } from "@/components/pacs/PacsSourceForm";
import { getPrisma } from "@/lib/db/prisma";
import { listPacsSources } from "@/lib/pipeline/pacs/sources";
import { can } from "@/lib/auth/permissions";

/** Admin: the DICOMweb data source (PACS) NACpredict searches, streams from, imports from and stores results to. */
export default async function AdminPacsPage() {
  const user = await requirePageSession();
  if (!can(user, "pacs.configure")) redirect("/worklist");
  const sources = await listPacsSources(await getPrisma());
  return (
    <section className="flex flex-col gap-3">
      <h1 className="text-xl font-semibold">PACS data source</h1>
      <p className="max-w-2xl text-sm text-ink-300">
        NACpredict reads studies over DICOMweb (QIDO-RS, WADO-RS) and stores ROIs (DICOM SEG) and predictions (DICOM SR)
        with STOW-RS. The password or token is kept on this server, encrypted, and is never sent to a browser.
      </p>
      <PacsSourceForm initial={sources[0] ?? null} />
    </section>
  );
}
