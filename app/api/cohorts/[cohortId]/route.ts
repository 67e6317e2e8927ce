import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { patientViewFor } from "@/app/_server/deid-salt";
import { getPrisma } from "@/lib/db/prisma";
import { cohortOverview } from "@/lib/pipeline/cohort/features";

export const dynamic = "force-dynamic";

/** A cohort's patients and what each has (series, ROIs, clinical record, outcome) and lacks. Audited; pseudonyms unless identified. */
export const GET = apiRoute(
  { permission: "research", params: z.object({ cohortId: z.string().uuid() }) },
  async ({ params, user }) => {
    return { cohort: await cohortOverview(await getPrisma(), params.cohortId, user, patientViewFor(user)) };
  },
);
