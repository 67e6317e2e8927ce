import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { pacsDeps } from "@/app/_server/pacs";
import { recordAudit } from "@/lib/audit/audit-log";
import { predictionReportSr, storePredictionToPacs } from "@/lib/pipeline/pacs/writeback";

export const dynamic = "force-dynamic";
const Params = z.object({ predictionId: z.string().uuid() });

/** The prediction as a DICOM SR (TID 1500), the same bytes that are stored to the PACS (audited as report.download). */
export const GET = apiRoute({ permission: "patient.read", params: Params }, async ({ params, user }) => {
  const deps = await pacsDeps();
  const sr = await predictionReportSr(deps, params.predictionId);
  await recordAudit(deps.prisma, {
    action: "report.download",
    userId: user.id,
    username: user.username,
    patientId: sr.patientId,
    targetType: "prediction",
    targetId: params.predictionId,
    details: { format: "dicom-sr" },
  });
  return new Response(Buffer.from(sr.bytes), {
    headers: {
      "content-type": "application/dicom",
      "content-disposition": `attachment; filename="nacpredict-prediction-${params.predictionId.slice(0, 8)}-sr.dcm"`,
    },
  });
});

/** Store the prediction's SR to the PACS, with the SEGs of the ROIs it used (STOW-RS). */
export const POST = apiRoute(
  {
    permission: "pacs.store_prediction",
    params: Params,
    query: z.object({ sourceId: z.string().uuid().optional() }).strict(),
  },
  async ({ params, query, user }) => {
    return await storePredictionToPacs(await pacsDeps(), params.predictionId, user, query.sourceId);
  },
);
