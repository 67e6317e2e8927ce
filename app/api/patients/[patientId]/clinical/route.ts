import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { clinicalRecordResponse } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/prisma";
import { latestClinicalRecord, saveClinicalRecord } from "@/lib/pipeline/clinical";
import { patientExistsOrThrow } from "@/lib/pipeline/exists";

export const dynamic = "force-dynamic";

const Params = z.object({ patientId: z.string().uuid() });

export const GET = apiRoute(
  { permission: "patient.read", params: Params, response: clinicalRecordResponse },
  async ({ params, audit }) => {
    const prisma = await getPrisma();
    await patientExistsOrThrow(prisma, params.patientId); // an unknown id is 404, not "no record yet"
    const record = await latestClinicalRecord(prisma, params.patientId);
    await audit({
      action: "clinical.view",
      patientId: params.patientId,
      targetType: "clinical_record",
      targetId: record?.id ?? undefined,
      details: { version: record?.version ?? null },
    });
    return { record };
  },
);

/** Save a new version of the clinical variables (validated with the same zod schema as the form). */
export const POST = apiRoute(
  {
    permission: "clinical.write",
    params: Params,
    body: z.object({ values: z.record(z.string(), z.unknown()) }),
    response: clinicalRecordResponse,
  },
  async ({ params, body, user }) => {
    return {
      record: await saveClinicalRecord(await getPrisma(), { patientId: params.patientId, values: body.values, user }),
    };
  },
);
