import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { predictionStatusResponse } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { inputChanges } from "@/lib/pipeline/predict/outdated";

export const dynamic = "force-dynamic";

/**
 * Whether a stored prediction is outdated: the inputs changed since (new ROI or clinical record version, newer series).
 * Versions only, no patient values: the prediction panel polls it, so it is not audited as a read of patient data.
 */
export const GET = apiRoute(
  {
    permission: "patient.read",
    params: z.object({ predictionId: z.string().uuid() }),
    response: predictionStatusResponse,
  },
  async ({ params }) => {
    const prisma = await getPrisma();
    const p = await prisma.prediction.findUnique({
      where: { id: params.predictionId },
      select: { id: true, patientId: true, inputs: true },
    });
    if (!p) throw new NacError("NOT_FOUND", `prediction ${params.predictionId} not found`);
    const changes = await inputChanges(prisma, p);
    return predictionStatusResponse.parse({ predictionId: p.id, outdated: changes.length > 0, changes });
  },
);
