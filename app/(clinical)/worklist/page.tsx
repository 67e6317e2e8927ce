import Link from "next/link";
import { ImportDropzone } from "@/components/worklist/ImportDropzone";
import { PacsSearch } from "@/components/pacs/PacsSearch";
import { listPacsSources } from "@/lib/pipeline/pacs/sources";
import { ViewerWarmup } from "@/components/viewer/ViewerWarmup";
import { deidSalt } from "@/app/_server/deid-salt";
import { auditPage, requirePageSession } from "@/app/_server/session";
import { identifiedFor } from "@/lib/auth/patient-view";
import { can } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma";
import { listWorklistFor, type WorklistSort } from "@/lib/pipeline/patients";
import type { Permission } from "@/lib/auth/permissions";

const SORTS: WorklistSort[] = ["name", "key", "updated"];

export default async function WorklistPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string; sort?: string; tab?: string }>;
}) {
  const user = await requirePageSession();
  const sp = await searchParams;
  if (sp.tab === "pacs") return <PacsTab user={user} />;
  const sort = SORTS.includes(sp.sort as WorklistSort) ? (sp.sort as WorklistSort) : "name";
  const q = typeof sp.q === "string" ? sp.q.slice(0, 100) : undefined;
  const prisma = await getPrisma();
  const identified = identifiedFor(user);
  const rows = await listWorklistFor(prisma, { search: q, sort }, { identified, salt: deidSalt() });
  await auditPage(user, {
    action: "patient.list",
    details: { count: rows.length, identified, ...(q ? { search: q } : {}) },
  });
  return (
    <section aria-labelledby="worklist-title" className="flex flex-col gap-3">
      <div className="flex items-end justify-between">
        <h1 id="worklist-title" className="text-xl font-semibold">
          Worklist
        </h1>
        <WorklistTabs active="local" />
        <form className="flex gap-2" role="search">
          <input
            name="q"
            defaultValue={q}
            placeholder="Search name or ID"
            className="rounded border border-room-600 bg-room-900 px-2 py-1 text-sm"
          />
          <select
            name="sort"
            defaultValue={sort}
            className="rounded border border-room-600 bg-room-900 px-2 py-1 text-sm"
          >
            <option value="name">Sort by name</option>
            <option value="key">Sort by ID</option>
            <option value="updated">Recently updated</option>
          </select>
          <button className="rounded border border-room-600 px-2 py-1 text-sm">Apply</button>
        </form>
      </div>
      {!identified && (
        <p data-testid="pseudonymised-note" className="text-sm text-ink-300">
          Patients are shown by pseudonym: your account has no access to identities (an administrator can grant it).
        </p>
      )}
      {can(user, "import") && <ImportDropzone />}
      <ViewerWarmup />
      {rows.length === 0 ? (
        <p data-testid="worklist-empty" className="text-ink-300">
          No patients yet. Import DICOM studies to begin.
        </p>
      ) : (
        <table data-testid="worklist-table" className="w-full text-left text-sm">
          <thead className="text-ink-500">
            <tr>
              <th className="py-1">Patient</th>
              <th>ID</th>
              <th>Series</th>
              <th>ROI</th>
              <th>Clinical</th>
              <th>Last prediction</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-room-700">
                <td className="py-1">
                  <Link href={`/patients/${r.id}`} className="text-accent-400 hover:underline">
                    {r.displayName}
                  </Link>
                  {r.isSynthetic && (
                    <span className="ml-2 rounded bg-room-700 px-1 text-xs text-ink-300">synthetic</span>
                  )}
                </td>
                <td>{r.patientKey}</td>
                <td>{r.seriesRoles.join(", ") || "—"}</td>
                <td>{r.roiSeriesRoles.join(", ") || "—"}</td>
                <td>{r.clinicalComplete ? "complete" : "incomplete"}</td>
                <td>
                  {r.lastPrediction
                    ? `${r.lastPrediction.at.slice(0, 10)} (model ${r.lastPrediction.modelVersion})`
                    : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function WorklistTabs({ active }: { active: "local" | "pacs" }) {
  const cls = (on: boolean) =>
    `rounded-t border-b-2 px-3 py-1 text-sm ${on ? "border-accent-400 text-ink-100" : "border-transparent text-ink-500 hover:text-ink-100"}`;
  return (
    <nav role="tablist" aria-label="Worklist source" className="flex gap-1">
      <Link role="tab" aria-selected={active === "local"} href="/worklist" className={cls(active === "local")}>
        NACpredict
      </Link>
      <Link
        role="tab"
        aria-selected={active === "pacs"}
        href="/worklist?tab=pacs"
        className={cls(active === "pacs")}
        data-testid="tab-pacs"
      >
        PACS
      </Link>
    </nav>
  );
}

/** The PACS tab: search the configured DICOMweb source; view streamed, or import. */
async function PacsTab({ user }: { user: { permissions: readonly Permission[] } }) {
  const sources = can(user, "pacs.read") ? await listPacsSources(await getPrisma()) : [];
  return (
    <section aria-labelledby="worklist-title" className="flex flex-col gap-3">
      <div className="flex items-end gap-4">
        <h1 id="worklist-title" className="text-xl font-semibold">
          Worklist
        </h1>
        <WorklistTabs active="pacs" />
      </div>
      <PacsSearch sources={sources.map((s) => ({ id: s.id, name: s.name }))} canImport={can(user, "pacs.import")} />
    </section>
  );
}
