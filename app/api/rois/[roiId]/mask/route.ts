import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { ALL_ROLES } from "@/lib/auth/roles";
import { getPrisma } from "@/lib/db/prisma";
import { gzipMask, loadRoiMask } from "@/lib/pipeline/roi";
import { getFileStore } from "@/lib/pipeline/storage";

export const dynamic = "force-dynamic";

/** The ROI mask as gzip of one byte per voxel (volume order), for the viewer. */
export const GET = apiRoute({ roles: ALL_ROLES, params: z.object({ roiId: z.string().uuid() }) }, async ({ params }) => {
  const { mask } = await loadRoiMask({ prisma: await getPrisma(), store: getFileStore() }, params.roiId);
  return new Response(Buffer.from(gzipMask(mask.data)), { headers: { "content-type": "application/octet-stream", "x-dims": mask.dims.join(",") } });
});
