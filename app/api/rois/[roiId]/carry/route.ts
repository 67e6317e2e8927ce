import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { roiSavedResponse } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/prisma";
import { carryRoi } from "@/lib/pipeline/roi-carry";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

/**
 * Carry this ROI version to another series of the patient sharing its frame of reference (CE-T1 -> T2), saved as a
 * new version of that series with source "derived". Another frame of reference (CT) is 422
 * FRAME_OF_REFERENCE_MISMATCH with the reason. Audited as roi.save (details name the source ROI).
 */
export const POST = apiRoute(
  {
    permission: "roi.write",
    params: z.object({ roiId: z.string().uuid() }),
    response: roiSavedResponse,
    body: z.object({ targetSeriesId: z.string().uuid() }).strict(),
  },
  async ({ params, body, user }) => {
    const { roi, stats } = await carryRoi(
      { prisma: await getPrisma(), store: getFileStore() },
      params.roiId,
      body.targetSeriesId,
      user,
    );
    return { roi, stats };
  },
);
