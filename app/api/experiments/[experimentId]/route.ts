import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { experimentStatusResponse } from "@/lib/api/schemas";
import { patientViewFor } from "@/app/_server/deid-salt";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { getExperiment } from "@/lib/pipeline/experiment/experiments";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

const Params = z.object({ experimentId: z.string().uuid() });
const Query = z.object({ view: z.enum(["status", "full"]).default("full") }).strict();

/**
 * An experiment. `view=status` (polled while it runs) answers status and progress only; the full view carries every
 * run, including which patients were in each test partition, and is audited.
 */
export const GET = apiRoute(
  { permission: "research", params: Params, query: Query },
  async ({ params, query, user }) => {
    const prisma = await getPrisma();
    if (query.view === "status") {
      const e = await prisma.experiment.findUnique({
        where: { id: params.experimentId },
        select: { id: true, status: true, progress: true, progressNote: true, error: true, elapsedMs: true },
      });
      if (!e) throw new NacError("NOT_FOUND", `experiment ${params.experimentId} not found`);
      return experimentStatusResponse.parse(e);
    }
    return getExperiment(
      { prisma, store: getFileStore() },
      params.experimentId,
      { id: user.id, username: user.username },
      { view: patientViewFor(user) },
    );
  },
);
