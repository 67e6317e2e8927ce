import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { unzipSync } from "fflate";
import { apiRoute } from "@/app/_server/api-route";
import { readServerConfig } from "@/lib/config/server-config";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { importCohortFolder, validateCohortFolder } from "@/lib/pipeline/cohort-import";
import { getFileStore } from "@/lib/pipeline/storage";

export const dynamic = "force-dynamic";
export const maxDuration = 1800;

/** Small cohorts only: larger ones go through the server-side import root or `nac cohort import`. */
export const MAX_COHORT_ZIP_BYTES = 512 * 1024 * 1024;
const MAX_UNZIPPED_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Zip upload of a cohort folder (multipart: `file`, `name`, `confirm` = 0|1, `acceptValid` = 0|1): unpacked into a
 * private temporary folder of the data directory, validated (and imported when confirmed) exactly like a folder of the
 * import root, then deleted. Entries that would leave the folder (absolute, ..) are refused.
 */
export const POST = apiRoute({ roles: ["researcher", "admin"] }, async ({ req, user }) => {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_COHORT_ZIP_BYTES) throw new NacError("PAYLOAD_TOO_LARGE", "cohort zip over 512 MB: use the server-side import root or `nac cohort import`");
  const form = await req.formData().catch(() => {
    throw new NacError("BAD_REQUEST", "send the cohort as multipart/form-data: file, name");
  });
  const file = form.get("file");
  const name = String(form.get("name") ?? "");
  if (!(file instanceof File)) throw new NacError("BAD_REQUEST", "no zip in the `file` field");
  if (file.size > MAX_COHORT_ZIP_BYTES) throw new NacError("PAYLOAD_TOO_LARGE", "cohort zip over 512 MB: use the server-side import root or `nac cohort import`");
  if (!name) throw new NacError("BAD_REQUEST", "give the cohort a name");
  let entries: Record<string, Uint8Array>;
  try {
    let total = 0;
    entries = unzipSync(new Uint8Array(await file.arrayBuffer()), {
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_UNZIPPED_BYTES) throw new NacError("PAYLOAD_TOO_LARGE", "the zip unpacks to more than 2 GB");
        return !f.name.endsWith("/");
      },
    });
  } catch (e) {
    if (e instanceof NacError) throw e;
    throw new NacError("UNSUPPORTED_MEDIA", `not a readable zip file: ${(e as Error).message}`);
  }
  const dir = path.join(readServerConfig().dataDir, "tmp", `cohort-upload-${randomUUID()}`);
  try {
    const names = Object.keys(entries);
    // A zip of the cohort folder itself (one top folder holding clinical.csv) is unpacked one level up.
    const top = names.every((n) => n.includes("/")) && new Set(names.map((n) => n.split("/")[0])).size === 1 && names.some((n) => n.split("/")[1] === "clinical.csv") ? names[0].split("/")[0] + "/" : "";
    for (const [n, bytes] of Object.entries(entries)) {
      const rel = n.slice(top.length);
      const target = path.resolve(dir, rel);
      if (!rel || path.isAbsolute(rel) || !target.startsWith(dir + path.sep)) throw new NacError("BAD_REQUEST", `zip entry "${n}" leaves the cohort folder`);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, bytes);
    }
    const deps = { prisma: await getPrisma(), store: getFileStore() };
    const report = await validateCohortFolder(deps, dir);
    const shown = { ...report, dir: file.name };
    if (form.get("confirm") !== "1") return { report: shown, imported: null };
    const { result } = await importCohortFolder(deps, dir, { name, acceptValid: form.get("acceptValid") === "1", user, validated: report });
    return { report: shown, imported: result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
