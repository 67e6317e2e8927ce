import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { extractionProgressResponse } from "@/lib/api/schemas";
import { patientViewFor } from "@/app/_server/deid-salt";
import { getJobQueue } from "@/app/_server/job-queue";
import { getPrisma } from "@/lib/db/prisma";
import { extractionProgress } from "@/lib/pipeline/cohort/extraction";

export const dynamic = "force-dynamic";

/** Progress: done/total, rate, ETA, failures with their reasons (patient keys, pseudonymised unless identified: no further patient data). */
export const GET = apiRoute(
  {
    permission: "research",
    params: z.object({ extractionId: z.string().uuid() }),
    response: extractionProgressResponse,
  },
  async ({ params, user }) => {
    await getJobQueue(); // the embedded runner resumes unfinished items after a server restart
    return { progress: await extractionProgress(await getPrisma(), params.extractionId, patientViewFor(user)) };
  },
);
