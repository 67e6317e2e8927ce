import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { outcomeSavedResponse } from "@/lib/api/schemas";
import { recordAudit } from "@/lib/audit/audit-log";
import { getPrisma } from "@/lib/db/prisma";
import { latestOutcome, saveOutcome } from "@/lib/pipeline/outcomes";

export const dynamic = "force-dynamic";

const Params = z.object({ patientId: z.string().uuid() });

/** The latest outcome (pCR, response, diameters, date, source). Audited. */
export const GET = apiRoute({ permission: "patient.read", params: Params }, async ({ params, user }) => {
  const prisma = await getPrisma();
  const outcome = await latestOutcome(prisma, params.patientId);
  await recordAudit(prisma, {
    action: "outcome.view",
    userId: user.id,
    username: user.username,
    patientId: params.patientId,
    targetType: "patient_outcome",
    targetId: outcome?.id,
  });
  return { outcome };
});

/** Records a new outcome version after surgery (oncologist, radiologist; validated; audited with the changed fields). */
export const POST = apiRoute(
  {
    permission: "outcome.write",
    params: Params,
    body: z.object({ values: z.unknown() }).strict(),
    response: outcomeSavedResponse,
  },
  async ({ params, body, user }) => {
    return {
      outcome: await saveOutcome(await getPrisma(), { patientId: params.patientId, values: body.values, user }),
    };
  },
);
