import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { getJobQueue } from "@/app/_server/job-queue";
import { getPrisma } from "@/lib/db/prisma";
import { retryFailed } from "@/lib/pipeline/cohort/extraction";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

/** Puts the extraction's failed items back on the queue. */
export const POST = apiRoute(
  { permission: "research", params: z.object({ extractionId: z.string().uuid() }) },
  async ({ params }) => {
    return {
      requeued: await retryFailed(
        { prisma: await getPrisma(), store: getFileStore() },
        await getJobQueue(),
        params.extractionId,
      ),
    };
  },
);
