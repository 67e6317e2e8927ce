import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

/** The ROI exactly as stored: a DICOM SEG referencing its source series. */
export const GET = apiRoute(
  { permission: "patient.read", params: z.object({ roiId: z.string().uuid() }) },
  async ({ params, audit }) => {
    const roi = await (
      await getPrisma()
    ).roi.findUnique({
      where: { id: params.roiId },
      include: { series: { select: { study: { select: { patientId: true } } } } },
    });
    if (!roi) throw new NacError("NOT_FOUND", `ROI ${params.roiId} not found`);
    await audit({
      action: "roi.export",
      patientId: roi.series.study.patientId,
      targetType: "roi",
      targetId: roi.id,
      details: { seriesId: roi.seriesId, version: roi.version, format: "DICOM SEG" },
    });
    const bytes = await getFileStore().get(roi.maskStorageKey, roi.maskSha256);
    return new Response(Buffer.from(bytes), {
      headers: {
        "content-type": "application/dicom",
        "content-disposition": `attachment; filename="roi-v${roi.version}-seg.dcm"`,
      },
    });
  },
);
