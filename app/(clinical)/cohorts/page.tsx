import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { can } from "@/lib/auth/permissions";
import { CohortImportPanel } from "@/components/cohort/CohortImportPanel";
import { getPrisma } from "@/lib/db/prisma";

/** Research cohorts (researcher, admin): list and import. */
export default async function CohortsPage() {
  const user = await requirePageSession();
  if (!can(user, "research")) return <p className="text-ink-300">Cohorts are for researchers and administrators.</p>;
  const prisma = await getPrisma();
  const cohorts = await prisma.cohort.findMany({
    orderBy: { createdAt: "desc" },
    include: { _count: { select: { patients: true, extractions: true } } },
  });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Research cohorts</h1>
      <table className="max-w-4xl text-sm" data-testid="cohort-list">
        <thead className="text-left text-ink-500">
          <tr>
            <th className="pr-4">Cohort</th>
            <th className="pr-4">Patients</th>
            <th className="pr-4">Peritumoral shell</th>
            <th className="pr-4">Extractions</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {cohorts.map((c) => (
            <tr key={c.id} className="border-t border-room-700">
              <td className="pr-4">
                <Link className="text-accent-400 underline" href={`/cohorts/${c.id}`}>
                  {c.name}
                </Link>
              </td>
              <td className="pr-4">{c._count.patients}</td>
              <td className="pr-4">
                {c.periMarginMm} mm ({c.periShellMode})
              </td>
              <td className="pr-4">{c._count.extractions}</td>
              <td>{c.createdAt.toISOString().slice(0, 16).replace("T", " ")}</td>
            </tr>
          ))}
          {cohorts.length === 0 && (
            <tr>
              <td colSpan={5} className="text-ink-500">
                No cohort yet: import one below or with `npm run nac -- cohort import DIR --name NAME`.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <CohortImportPanel />
    </div>
  );
}
