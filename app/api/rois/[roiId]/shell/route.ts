import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";
import { activeShellMeasure } from "@/lib/pipeline/active-bundle";
import { gzipMask, roiShell } from "@/lib/pipeline/roi";
import { patientOfSeries } from "@/lib/pipeline/series";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

/**
 * The peritumoral shell (margin in mm) of an ROI, computed by lib/imaging as the feature pipeline does, measured the
 * way the active model bundle measures it.
 */
export const GET = apiRoute(
  {
    permission: "patient.read",
    params: z.object({ roiId: z.string().uuid() }),
    query: z.object({ marginMm: z.coerce.number().positive().max(50).default(5) }),
  },
  async ({ params, query, audit }) => {
    const deps = { prisma: await getPrisma(), store: getFileStore() };
    const shell = await roiShell(deps, params.roiId, query.marginMm, await activeShellMeasure(deps));
    const roi = await deps.prisma.roi.findUniqueOrThrow({
      where: { id: params.roiId },
      select: { seriesId: true, version: true },
    });
    await audit({
      action: "roi.shell_read",
      patientId: await patientOfSeries(deps.prisma, roi.seriesId),
      targetType: "roi",
      targetId: params.roiId,
      details: { seriesId: roi.seriesId, version: roi.version, marginMm: query.marginMm },
    });
    return new Response(Buffer.from(gzipMask(shell.data)), {
      headers: { "content-type": "application/octet-stream", "x-dims": shell.dims.join(",") },
    });
  },
);
