import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { cohortImportJobResponse } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { cohortImportJobView } from "@/lib/pipeline/cohort/import-job";

export const dynamic = "force-dynamic";

/** Progress of a background cohort validation / import started by this user (phase, patients done, report at the end). */
export const GET = apiRoute(
  { permission: "research", params: z.object({ jobId: z.string().uuid() }), response: cohortImportJobResponse },
  async ({ params, user }) => {
    const job = await cohortImportJobView(await getPrisma(), params.jobId, user.id);
    if (!job) throw new NacError("NOT_FOUND", `import job ${params.jobId} not found`);
    return { job };
  },
);
