import Link from "next/link";
import { getPrisma } from "@/lib/db/prisma";
import { kickExperimentRunner } from "@/lib/pipeline/experiment/job";
import { listExperiments } from "@/lib/pipeline/experiment/experiments";
import { getFileStore } from "@/lib/storage/server-store";
import { NewExperimentForm } from "@/components/experiments/NewExperimentForm";

/** Experiments: the paper's comparison on a site's feature table; the list of earlier runs. */
export default async function ExperimentsPage() {
  const deps = { prisma: await getPrisma(), store: getFileStore() };
  kickExperimentRunner(deps);
  const experiments = await listExperiments(deps);
  return (
    <div className="flex max-w-6xl flex-col gap-4">
      <h1 className="text-xl font-semibold">Experiments</h1>
      <p className="text-sm text-ink-300">
        Research use only. Compares feature sets (handcrafted radiomics and MedicalNet ResNet features per modality and
        region, with and without clinical variables) for pCR and response with the paper&apos;s protocol: repeated
        stratified partitions, mRMR then RFE, XGBoost.
      </p>
      <NewExperimentForm />
      <table className="text-sm" data-testid="experiment-list">
        <thead className="text-ink-500">
          <tr>
            <th className="pr-4 text-left">Name</th>
            <th className="pr-4 text-left">Status</th>
            <th className="pr-4 text-left">Patients</th>
            <th className="pr-4 text-left">Created (UTC)</th>
            <th className="pr-4 text-left">Time</th>
          </tr>
        </thead>
        <tbody>
          {experiments.map((e) => (
            <tr key={e.id} className="border-t border-room-700">
              <td className="pr-4">
                <Link href={`/experiments/${e.id}`} className="text-accent-400 hover:underline">
                  {e.name}
                </Link>
              </td>
              <td className="pr-4">
                {e.status}
                {e.status === "running" ? ` ${Math.round(100 * e.progress)} %` : ""}
              </td>
              <td className="pr-4">{e.rows}</td>
              <td className="pr-4">{e.createdAt.slice(0, 16).replace("T", " ")}</td>
              <td className="pr-4">{e.elapsedMs !== null ? `${(e.elapsedMs / 1000).toFixed(1)} s` : ""}</td>
            </tr>
          ))}
          {!experiments.length && (
            <tr>
              <td colSpan={5} className="text-ink-500">
                No experiment yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
