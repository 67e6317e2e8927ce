import { readFile } from "node:fs/promises";
import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { readServerConfig } from "@/lib/config/server-config";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { maskFromUpload, saveRoi, seriesGridOrThrow } from "@/lib/pipeline/roi";
import { getFileStore } from "@/lib/storage/server-store";
import { receiveMultipart } from "@/lib/upload/receive-multipart";
import { withUploadDir } from "@/lib/upload/upload-dir";

export const dynamic = "force-dynamic";

const MAX_FILE = 256 * 1024 * 1024;

/**
 * Upload a DICOM SEG, NIfTI or NRRD mask onto a series (multipart field `file`, streamed to a temp folder with its
 * limit enforced as it arrives); refused with the reason if it does not fit.
 */
export const POST = apiRoute({ permission: "roi.write", params: z.object({ seriesId: z.string().uuid() }) }, async ({ req, params, user }) => {
  const prisma = await getPrisma();
  const grid = await seriesGridOrThrow(prisma, params.seriesId);
  return withUploadDir(readServerConfig().dataDir, async (dir) => {
    const form = await receiveMultipart(req, dir, { maxRequestBytes: MAX_FILE + 1024 * 1024, maxFileBytes: MAX_FILE, maxFiles: 1 });
    const file = form.files.find((f) => f.field === "file");
    if (!file) throw new NacError("BAD_REQUEST", "missing `file` field");
    const mask = await maskFromUpload(grid, file.name, new Uint8Array(await readFile(file.path)));
    const { roi, stats } = await saveRoi(
      { prisma, store: getFileStore() },
      { seriesId: params.seriesId, mask, source: "uploaded", user, details: { fileName: file.name } },
    );
    return { roi, stats };
  });
});
