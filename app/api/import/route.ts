import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { readServerConfig } from "@/lib/config/server-config";
import { loadOrCreateDeidSalt } from "@/lib/config/secret";
import { importDicomFiles } from "@/lib/pipeline/import-dicom";
import { deidentifyAll, expandUploads } from "@/lib/pipeline/import-upload";
import { getFileStore } from "@/lib/storage/server-store";
import { uploadLimits } from "@/lib/upload/limits";
import { receiveMultipart } from "@/lib/upload/receive-multipart";
import { withUploadDir } from "@/lib/upload/upload-dir";

export const dynamic = "force-dynamic";
export const maxDuration = 600;

/**
 * DICOM import: multipart `files` (DICOM files or zips), optional `deidentify=1`. The body streams to a temp folder
 * with its limits enforced as it arrives (413 naming the limit). Answers one result per file; nothing of a failing
 * file is stored.
 */
export const POST = apiRoute({ permission: "import" }, async ({ req, user }) => {
  const config = readServerConfig();
  const limits = uploadLimits();
  return withUploadDir(config.dataDir, async (dir) => {
    const form = await receiveMultipart(req, dir, limits);
    const uploads = form.files.filter((f) => f.field === "files");
    if (uploads.length === 0) throw new NacError("BAD_REQUEST", "no files in the `files` field");
    const expanded = await expandUploads(uploads, limits);
    let files = expanded.files;
    const errors = [...expanded.errors];
    if (form.fields.get("deidentify") === "1") {
      const d = deidentifyAll(files, loadOrCreateDeidSalt(config.dataDir));
      files = d.files;
      errors.push(...d.errors);
    }
    const report = await importDicomFiles({ prisma: await getPrisma(), store: getFileStore() }, files, {
      userId: user.id,
      username: user.username,
    });
    const counts = { ...report.counts };
    for (const e of errors) counts[e.status]++;
    return { ...report, files: [...errors, ...report.files], counts };
  });
});
