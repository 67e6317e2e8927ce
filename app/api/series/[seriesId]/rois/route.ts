import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { roiListResponse, roiSavedResponse } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { voxelCount } from "@/lib/imaging/volume";
import { gunzipMask, saveRoi, seriesGridOrThrow } from "@/lib/pipeline/roi";
import { patientOfSeries } from "@/lib/pipeline/series";
import { seriesExistsOrThrow } from "@/lib/pipeline/exists";
import { getFileStore } from "@/lib/storage/server-store";
import { readBodyBounded, requireContentType } from "@/lib/upload/read-body";

export const dynamic = "force-dynamic";

const Params = z.object({ seriesId: z.string().uuid() });
const MAX_BODY = 64 * 1024 * 1024;

/** ROI versions of a series, newest first. */
export const GET = apiRoute(
  { permission: "patient.read", params: Params, response: roiListResponse },
  async ({ params, audit }) => {
    const prisma = await getPrisma();
    await seriesExistsOrThrow(prisma, params.seriesId); // an unknown id is 404, not an empty list
    const rois = await prisma.roi.findMany({
      where: { seriesId: params.seriesId },
      orderBy: { version: "desc" },
      include: { author: { select: { username: true, displayName: true } } },
    });
    await audit({
      action: "roi.list",
      patientId: await patientOfSeries(prisma, params.seriesId),
      targetType: "series",
      targetId: params.seriesId,
      details: { count: rois.length },
    });
    return { rois };
  },
);

/**
 * Save a drawn ROI: body = gzip of one byte per voxel of the series grid (volume order). `?source=assisted` when the
 * mask came from the one-click assisted segmentation (with or without brush corrections).
 */
export const POST = apiRoute(
  {
    permission: "roi.write",
    params: Params,
    response: roiSavedResponse,
    query: z.object({ source: z.enum(["drawn", "assisted"]).default("drawn") }),
  },
  async ({ req, params, query, user }) => {
    const prisma = await getPrisma();
    const grid = await seriesGridOrThrow(prisma, params.seriesId);
    requireContentType(
      req,
      /^application\/(octet-stream|gzip)\s*(;|$)/i,
      "the gzip-compressed mask as application/octet-stream",
    );
    const body = await readBodyBounded(req, MAX_BODY, "mask body");
    if (body.length === 0) throw new NacError("BAD_REQUEST", "empty body: send the gzip-compressed mask");
    const mask = gunzipMask(body, voxelCount(grid));
    const { roi, stats } = await saveRoi(
      { prisma, store: getFileStore() },
      { seriesId: params.seriesId, mask, source: query.source, user },
    );
    return { roi, stats };
  },
);
