import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { ALL_ROLES } from "@/lib/auth/roles";
import { getPrisma } from "@/lib/db/prisma";
import { activeShellMeasure } from "@/lib/pipeline/active-bundle";
import { gzipMask, roiShell } from "@/lib/pipeline/roi";
import { getFileStore } from "@/lib/pipeline/storage";

export const dynamic = "force-dynamic";

/**
 * The peritumoral shell (margin in mm) of an ROI, computed by lib/imaging as the feature pipeline does, measured the
 * way the active model bundle measures it.
 */
export const GET = apiRoute(
  {
    roles: ALL_ROLES,
    params: z.object({ roiId: z.string().uuid() }),
    query: z.object({ marginMm: z.coerce.number().positive().max(50).default(5) }),
  },
  async ({ params, query }) => {
    const deps = { prisma: await getPrisma(), store: getFileStore() };
    const shell = await roiShell(deps, params.roiId, query.marginMm, await activeShellMeasure(deps));
    return new Response(Buffer.from(gzipMask(shell.data)), { headers: { "content-type": "application/octet-stream", "x-dims": shell.dims.join(",") } });
  },
);
