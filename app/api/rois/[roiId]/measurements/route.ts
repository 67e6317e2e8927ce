import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";
import { measureRoi } from "@/lib/pipeline/roi-measure";
import { patientOfSeries } from "@/lib/pipeline/series";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

/** Volume, longest 3D, axial (RECIST-like) and in-plane diameter of an ROI version, for the viewer's ROI panel. */
export const GET = apiRoute(
  { permission: "patient.read", params: z.object({ roiId: z.string().uuid() }) },
  async ({ params, audit }) => {
    const deps = { prisma: await getPrisma(), store: getFileStore() };
    const roi = await deps.prisma.roi.findUnique({
      where: { id: params.roiId },
      select: { seriesId: true, version: true, series: { select: { role: true } } },
    });
    const measurement = await measureRoi(deps, params.roiId, roi?.series.role ?? "OTHER"); // unknown id: NOT_FOUND from the loader
    await audit({
      action: "roi.mask_read",
      patientId: await patientOfSeries(deps.prisma, roi!.seriesId),
      targetType: "roi",
      targetId: params.roiId,
      details: { seriesId: roi!.seriesId, version: roi!.version, view: "measurements" },
    });
    return { measurement };
  },
);
