import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { extractionStartedResponse } from "@/lib/api/schemas";
import { getJobQueue } from "@/app/_server/job-queue";
import {
  COHORT_EXTRACTORS,
  extractionOptionsSchema,
  extractionSpecInput,
  type CohortExtractor,
} from "@/lib/cohort/extraction-spec";
import { getPrisma } from "@/lib/db/prisma";
import { cohortByNameOrId } from "@/lib/pipeline/cohort/features";
import { startExtraction } from "@/lib/pipeline/cohort/extraction";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

const Body = z
  .object({
    extractors: z
      .array(z.enum(COHORT_EXTRACTORS as [CohortExtractor, ...CohortExtractor[]]))
      .min(1)
      .refine((a) => new Set(a).size === a.length, "an extractor is listed twice"),
    // roles, regions, shell margin and mode, handcrafted settings (defaults, IBSI, parameter file), encoder input
    ...extractionOptionsSchema.shape,
  })
  .strict();

/** Starts (or resumes, with the same settings) the cohort's extraction: one queue job per item. */
export const POST = apiRoute(
  {
    permission: "research",
    params: z.object({ cohortId: z.string().uuid() }),
    body: Body,
    response: extractionStartedResponse,
  },
  async ({ params, body, user }) => {
    const prisma = await getPrisma();
    const cohort = await cohortByNameOrId(prisma, params.cohortId);
    const { extractors, ...options } = body;
    return startExtraction({ prisma, store: getFileStore() }, await getJobQueue(), {
      cohort: cohort.name,
      extractors,
      spec: extractionSpecInput(options),
      user,
    });
  },
);
