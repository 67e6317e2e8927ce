import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { predictionResponse } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/prisma";
import { patientExistsOrThrow } from "@/lib/pipeline/exists";
import { predictPatient } from "@/lib/pipeline/predict";
import { predictViaQueue } from "@/lib/pipeline/predict/job";
import { getJobQueue } from "@/app/_server/job-queue";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";
// Feature extraction for three series x two regions runs in this request (seconds, not minutes); no proxy timeout here.
export const maxDuration = 300;

const Params = z.object({ patientId: z.string().uuid() });
/** `?predictAnyway=1`: the user confirmed predicting although required inputs are missing. */
const PredictQuery = z.object({ predictAnyway: z.literal("1").optional() }).strict();

/** The patient's stored predictions, newest first (each with its model version and provenance). */
export const GET = apiRoute({ permission: "patient.read", params: Params }, async ({ params, audit }) => {
  const prisma = await getPrisma();
  await patientExistsOrThrow(prisma, params.patientId); // an unknown id is 404, not an empty list
  const predictions = await prisma.prediction.findMany({
    where: { patientId: params.patientId },
    orderBy: { createdAt: "desc" },
    take: 20,
    include: { modelBundle: { select: { name: true, version: true, isDemo: true } } },
  });
  await audit({
    action: "prediction.list",
    patientId: params.patientId,
    targetType: "patient",
    targetId: params.patientId,
    details: { count: predictions.length },
  });
  return { predictions };
});

/** Compute features for the patient's series and ROIs with the active model bundle, predict, store and audit. */
export const POST = apiRoute(
  { permission: "predict", params: Params, query: PredictQuery, response: predictionResponse },
  async ({ params, query, user }) => {
    const requireComplete = query.predictAnyway !== "1";
    // NAC_PREDICT_ON_WORKERS=1 with PostgreSQL: `nac worker` processes compute, this server only waits (bounded memory).
    if (process.env.NAC_PREDICT_ON_WORKERS === "1") {
      const queue = await getJobQueue();
      if (queue.backend === "pg-boss")
        return predictViaQueue({ prisma: await getPrisma() }, queue, params.patientId, user, { requireComplete });
    }
    return predictPatient({ prisma: await getPrisma(), store: getFileStore() }, params.patientId, user, {
      requireComplete,
    });
  },
);
