import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { pacsDeps } from "@/app/_server/pacs";
import { storeRoiToPacs } from "@/lib/pipeline/pacs/writeback";

export const dynamic = "force-dynamic";

/** Store the saved ROI to the PACS as its DICOM SEG (STOW-RS), once per data source. */
export const POST = apiRoute(
  {
    permission: "pacs.store_roi",
    params: z.object({ roiId: z.string().uuid() }),
    query: z.object({ sourceId: z.string().uuid().optional() }).strict(),
  },
  async ({ params, query, user }) => ({
    stored: await storeRoiToPacs(await pacsDeps(), params.roiId, user, query.sourceId),
  }),
);
