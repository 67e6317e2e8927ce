import { readFile } from "node:fs/promises";
import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { roiSavedResponse } from "@/lib/api/schemas";
import { readServerConfig } from "@/lib/config/server-config";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { maskFromUpload, saveRoi, seriesGridOrThrow } from "@/lib/pipeline/roi";
import { getFileStore } from "@/lib/storage/server-store";
import { receiveMultipart } from "@/lib/upload/receive-multipart";
import { withUploadDir } from "@/lib/upload/upload-dir";

export const dynamic = "force-dynamic";

const MAX_FILE = 256 * 1024 * 1024;
const RoiChoice = z.string().min(1).max(64).optional();

/**
 * Upload a DICOM SEG, RTSTRUCT, NIfTI or NRRD mask onto a series (multipart field `file`, streamed to a temp folder
 * with its limit enforced as it arrives); refused with the reason if it does not fit. An RTSTRUCT holding several
 * contoured ROIs needs the form field `roi` (name or number): without it the answer is 409
 * RTSTRUCT_ROI_CHOICE_REQUIRED with `details.rois` ([{ number, name }]) for the client to offer.
 */
export const POST = apiRoute(
  { permission: "roi.write", params: z.object({ seriesId: z.string().uuid() }), response: roiSavedResponse },
  async ({ req, params, user }) => {
    const prisma = await getPrisma();
    const grid = await seriesGridOrThrow(prisma, params.seriesId);
    return withUploadDir(readServerConfig().dataDir, async (dir) => {
      const form = await receiveMultipart(req, dir, {
        maxRequestBytes: MAX_FILE + 1024 * 1024,
        maxFileBytes: MAX_FILE,
        maxFiles: 1,
      });
      const file = form.files.find((f) => f.field === "file");
      if (!file) throw new NacError("BAD_REQUEST", "missing `file` field");
      const choice = RoiChoice.safeParse(form.fields.get("roi"));
      if (!choice.success)
        throw new NacError("BAD_REQUEST", "`roi` must be an ROI name or number of at most 64 characters");
      const roiChoice = choice.data;
      const series = await prisma.series.findUniqueOrThrow({
        where: { id: params.seriesId },
        select: { frameOfReferenceUid: true },
      });
      const mask = await maskFromUpload(grid, file.name, new Uint8Array(await readFile(file.path)), {
        roi: roiChoice,
        frameOfReferenceUid: series.frameOfReferenceUid,
      });
      const { roi, stats } = await saveRoi(
        { prisma, store: getFileStore() },
        {
          seriesId: params.seriesId,
          mask,
          source: "uploaded",
          user,
          details: { fileName: file.name, ...(roiChoice !== undefined ? { rtstructRoi: roiChoice } : {}) },
        },
      );
      return { roi, stats };
    });
  },
);
