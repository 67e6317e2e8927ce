import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { ALL_ROLES } from "@/lib/auth/roles";
import { getPrisma } from "@/lib/db/prisma";
import { latestClinicalRecord, saveClinicalRecord } from "@/lib/pipeline/clinical";
import { patientExistsOrThrow } from "@/lib/pipeline/exists";

export const dynamic = "force-dynamic";

const Params = z.object({ patientId: z.string().uuid() });

export const GET = apiRoute({ roles: ALL_ROLES, params: Params }, async ({ params }) => {
  const prisma = await getPrisma();
  await patientExistsOrThrow(prisma, params.patientId); // an unknown id is 404, not "no record yet"
  return { record: await latestClinicalRecord(prisma, params.patientId) };
});

/** Save a new version of the clinical variables (validated with the same zod schema as the form). */
export const POST = apiRoute(
  { roles: ["radiologist", "oncologist", "admin"], params: Params, body: z.object({ values: z.record(z.string(), z.unknown()) }) },
  async ({ params, body, user }) => {
    return { record: await saveClinicalRecord(await getPrisma(), { patientId: params.patientId, values: body.values, user }) };
  },
);
