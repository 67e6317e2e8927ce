import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { deidSalt } from "@/app/_server/deid-salt";
import { identifiedFor } from "@/lib/auth/patient-view";
import { getPrisma } from "@/lib/db/prisma";
import { reportPdfForPrediction } from "@/lib/pipeline/report";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

/** The tumour-board report of a stored prediction as a PDF (audited as report.download). */
export const GET = apiRoute(
  { permission: "patient.read", params: z.object({ predictionId: z.string().uuid() }) },
  async ({ params, user, sourceAddress }) => {
    const view = { identified: identifiedFor(user), salt: deidSalt(), sourceAddress };
    const { pdf, data } = await reportPdfForPrediction(
      { prisma: await getPrisma(), store: getFileStore() },
      params.predictionId,
      user,
      view,
    );
    const name = `nacpredict-report-${data.patient.patientKey.replace(/[^A-Za-z0-9_-]/g, "_")}-${data.prediction.createdAt.slice(0, 10)}.pdf`;
    return new Response(Buffer.from(pdf), {
      headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${name}"` },
    });
  },
);
