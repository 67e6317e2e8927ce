import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { maskFromUpload, saveRoi, seriesGridOrThrow } from "@/lib/pipeline/roi";
import { getFileStore } from "@/lib/pipeline/storage";

export const dynamic = "force-dynamic";

const MAX_FILE = 256 * 1024 * 1024;

/** Upload a DICOM SEG, NIfTI or NRRD mask onto a series (multipart field `file`); refused with the reason if it does not fit. */
export const POST = apiRoute({ permission: "roi.write", params: z.object({ seriesId: z.string().uuid() }) }, async ({ req, params, user }) => {
  const form = await req.formData().catch(() => {
    throw new NacError("BAD_REQUEST", "send the mask as multipart/form-data with a `file` field");
  });
  const file = form.get("file");
  if (!(file instanceof File)) throw new NacError("BAD_REQUEST", "missing `file` field");
  if (file.size > MAX_FILE) throw new NacError("PAYLOAD_TOO_LARGE", `${file.name} is over 256 MB`);
  const prisma = await getPrisma();
  const grid = await seriesGridOrThrow(prisma, params.seriesId);
  const mask = await maskFromUpload(grid, file.name, new Uint8Array(await file.arrayBuffer()));
  const { roi, stats } = await saveRoi(
    { prisma, store: getFileStore() },
    { seriesId: params.seriesId, mask, source: "uploaded", user, details: { fileName: file.name } },
  );
  return { roi, stats };
});
