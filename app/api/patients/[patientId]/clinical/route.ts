import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { ALL_ROLES } from "@/lib/auth/roles";
import { getPrisma } from "@/lib/db/prisma";
import { latestClinicalRecord, saveClinicalRecord } from "@/lib/pipeline/clinical";

export const dynamic = "force-dynamic";

const Params = z.object({ patientId: z.string().uuid() });

export const GET = apiRoute({ roles: ALL_ROLES, params: Params }, async ({ params }) => {
  return { record: await latestClinicalRecord(await getPrisma(), params.patientId) };
});

/** Save a new version of the clinical variables (validated with the same zod schema as the form). */
export const POST = apiRoute(
  { roles: ["radiologist", "oncologist", "admin"], params: Params, body: z.object({ values: z.record(z.string(), z.unknown()) }) },
  async ({ params, body, user }) => {
    return { record: await saveClinicalRecord(await getPrisma(), { patientId: params.patientId, values: body.values, user }) };
  },
);
