import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";
import { gzipMask, loadRoiMask } from "@/lib/pipeline/roi";
import { patientOfSeries } from "@/lib/pipeline/series";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

/** The ROI mask as gzip of one byte per voxel (volume order), for the viewer. */
export const GET = apiRoute(
  { permission: "patient.read", params: z.object({ roiId: z.string().uuid() }) },
  async ({ params, audit }) => {
    const prisma = await getPrisma();
    const { roi, mask } = await loadRoiMask({ prisma, store: getFileStore() }, params.roiId);
    await audit({
      action: "roi.mask_read",
      patientId: await patientOfSeries(prisma, roi.seriesId),
      targetType: "roi",
      targetId: roi.id,
      details: { seriesId: roi.seriesId, version: roi.version },
    });
    return new Response(Buffer.from(gzipMask(mask.data)), {
      headers: { "content-type": "application/octet-stream", "x-dims": mask.dims.join(",") },
    });
  },
);
