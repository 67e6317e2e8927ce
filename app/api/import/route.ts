import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { readServerConfig } from "@/lib/config/server-config";
import { loadOrCreateDeidSalt } from "@/lib/config/secret";
import { importDicomFiles, type ImportFile } from "@/lib/pipeline/import-dicom";
import { deidentifyAll, expandUploads, MAX_UPLOAD_BYTES } from "@/lib/pipeline/import-upload";
import { getFileStore } from "@/lib/pipeline/storage";

export const dynamic = "force-dynamic";
export const maxDuration = 600;

/**
 * DICOM import: multipart `files` (DICOM files or zips), optional `deidentify=1`. Answers one result per file;
 * nothing of a failing file is stored.
 */
export const POST = apiRoute({ permission: "import" }, async ({ req, user }) => {
  const form = await req.formData().catch(() => {
    throw new NacError("BAD_REQUEST", "send the files as multipart/form-data in the `files` field");
  });
  const uploads = form.getAll("files").filter((f): f is File => f instanceof File);
  if (uploads.length === 0) throw new NacError("BAD_REQUEST", "no files in the `files` field");
  const total = uploads.reduce((a, f) => a + f.size, 0);
  if (total > MAX_UPLOAD_BYTES) throw new NacError("PAYLOAD_TOO_LARGE", "upload over 2 GB: import it in parts or with `npm run nac -- import`");
  const raw: ImportFile[] = await Promise.all(uploads.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  const expanded = await expandUploads(raw);
  let files = expanded.files;
  const errors = [...expanded.errors];
  if (form.get("deidentify") === "1") {
    const d = deidentifyAll(files, loadOrCreateDeidSalt(readServerConfig().dataDir));
    files = d.files;
    errors.push(...d.errors);
  }
  const report = await importDicomFiles({ prisma: await getPrisma(), store: getFileStore() }, files, { userId: user.id, username: user.username });
  return { ...report, files: [...errors, ...report.files], counts: { ...report.counts, error: report.counts.error + errors.length } };
});
