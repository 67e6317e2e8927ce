import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { predictionVerifyResponse } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/prisma";
import { verifyPrediction } from "@/lib/pipeline/predict/verify";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";
// Recomputes every feature from the stored DICOM files without the cache: seconds to a minute.
export const maxDuration = 300;

/** Replay: recompute a stored prediction from its stored inputs; identical, or the first difference. Audited. */
export const POST = apiRoute(
  {
    permission: "prediction.verify",
    params: z.object({ predictionId: z.string().uuid() }),
    response: predictionVerifyResponse,
  },
  async ({ params, user }) => {
    const r = await verifyPrediction({ prisma: await getPrisma(), store: getFileStore() }, params.predictionId, {
      user,
    });
    return predictionVerifyResponse.parse(r);
  },
);
