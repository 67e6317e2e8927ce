import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { deidSalt } from "@/app/_server/deid-salt";
import { identifiedFor, patientAsSeenBy } from "@/lib/auth/patient-view";
import { getPrisma } from "@/lib/db/prisma";
import { getPatientOrThrow } from "@/lib/pipeline/patients";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  { permission: "patient.read", params: z.object({ patientId: z.string().uuid() }) },
  async ({ user, params, audit }) => {
    const identified = identifiedFor(user);
    const patient = patientAsSeenBy(
      await getPatientOrThrow(await getPrisma(), params.patientId),
      identified,
      deidSalt(),
    );
    await audit({
      action: "patient.view",
      patientId: patient.id,
      targetType: "patient",
      targetId: patient.id,
      details: { identified },
    });
    return { patient };
  },
);
