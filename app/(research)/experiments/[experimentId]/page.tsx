import { notFound } from "next/navigation";
import { patientViewFor } from "@/app/_server/deid-salt";
import { requirePageSession } from "@/app/_server/session";
import { getPrisma } from "@/lib/db/prisma";
import { isNacError } from "@/lib/errors";
import { getExperiment } from "@/lib/pipeline/experiment/experiments";
import { getFileStore } from "@/lib/storage/server-store";
import { ExperimentView } from "@/components/experiments/ExperimentView";

/** One experiment's results (audited: the runs name the patients of each test partition). */
export default async function ExperimentPage({ params }: { params: Promise<{ experimentId: string }> }) {
  const user = await requirePageSession();
  if (user.role !== "researcher" && user.role !== "admin") return null;
  const { experimentId } = await params;
  if (!/^[0-9a-f-]{36}$/.test(experimentId)) notFound();
  const e = await getExperiment(
    { prisma: await getPrisma(), store: getFileStore() },
    experimentId,
    { id: user.id, username: user.username },
    { view: patientViewFor(user) },
  ).catch((err: unknown) => {
    if (isNacError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  return <ExperimentView experiment={e} />;
}
