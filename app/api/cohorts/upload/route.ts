import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { apiRoute } from "@/app/_server/api-route";
import { cohortImportAnswerResponse } from "@/lib/api/schemas";
import { patientViewFor } from "@/app/_server/deid-salt";
import { readServerConfig } from "@/lib/config/server-config";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { importCohortFolder, validateCohortFolder } from "@/lib/pipeline/cohort/import";
import { getFileStore } from "@/lib/storage/server-store";
import { uploadLimits } from "@/lib/upload/limits";
import { readZipEntries } from "@/lib/upload/read-zip";
import { receiveMultipart } from "@/lib/upload/receive-multipart";
import { withUploadDir } from "@/lib/upload/upload-dir";

export const dynamic = "force-dynamic";
export const maxDuration = 1800;

/**
 * Zip upload of a small cohort folder (multipart: `file` = the zip, `name`, `confirm` = 0|1, `acceptValid` = 0|1):
 * streamed to a private upload folder and unpacked with the import route's limits (lib/upload: request, entry size,
 * inflated total, ratio — enforced while reading), validated (and imported when confirmed) exactly like a folder of
 * the import root, then deleted. Entries that would leave the folder (absolute, ..) are refused. Larger cohorts go
 * through the server-side import root or `nac cohort import`.
 */
export const POST = apiRoute(
  { permission: "research", response: cohortImportAnswerResponse },
  async ({ req, user }) => {
    const config = readServerConfig();
    const limits = uploadLimits();
    return withUploadDir(config.dataDir, async (tmp) => {
      const form = await receiveMultipart(req, tmp, {
        maxRequestBytes: limits.maxRequestBytes,
        maxFileBytes: limits.maxRequestBytes,
        maxFiles: 1,
      });
      const zip = form.files.find((f) => f.field === "file");
      const name = form.fields.get("name") ?? "";
      if (!zip) throw new NacError("BAD_REQUEST", "no zip in the `file` field");
      if (!name) throw new NacError("BAD_REQUEST", "give the cohort a name");
      const { entries } = await readZipEntries(zip.path, zip.name, limits, { files: 0, inflatedBytes: 0 });
      const dir = path.join(tmp, "cohort");
      const names = entries.map((e) => e.name);
      // A zip of the cohort folder itself (one top folder holding clinical.csv) is unpacked one level up.
      const top =
        names.length &&
        names.every((n) => n.includes("/")) &&
        new Set(names.map((n) => n.split("/")[0])).size === 1 &&
        names.some((n) => n.split("/")[1] === "clinical.csv")
          ? names[0].split("/")[0] + "/"
          : "";
      for (const e of entries) {
        const rel = e.name.slice(top.length);
        const target = path.resolve(dir, rel);
        if (!rel || path.isAbsolute(rel) || !target.startsWith(dir + path.sep))
          throw new NacError("BAD_REQUEST", `zip entry "${e.name}" leaves the cohort folder`);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, e.bytes);
      }
      mkdirSync(dir, { recursive: true });
      const deps = { prisma: await getPrisma(), store: getFileStore(), view: patientViewFor(user) };
      const report = await validateCohortFolder(deps, dir);
      const shown = { ...report, dir: zip.name };
      if (form.fields.get("confirm") !== "1") return { report: shown, imported: null };
      const { result } = await importCohortFolder(deps, dir, {
        name,
        acceptValid: form.fields.get("acceptValid") === "1",
        user,
        validated: report,
      });
      return { report: shown, imported: result };
    });
  },
);
