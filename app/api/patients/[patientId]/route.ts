import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { ALL_ROLES } from "@/lib/auth/roles";
import { recordAudit } from "@/lib/audit/audit-log";
import { getPrisma } from "@/lib/db/prisma";
import { getPatientOrThrow } from "@/lib/pipeline/patients";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  { roles: ALL_ROLES, params: z.object({ patientId: z.string().uuid() }) },
  async ({ user, params }) => {
    const prisma = await getPrisma();
    const patient = await getPatientOrThrow(prisma, params.patientId);
    await recordAudit(prisma, { action: "patient.view", userId: user.id, username: user.username, patientId: patient.id, targetType: "patient", targetId: patient.id });
    return { patient };
  },
);
