import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { cohortImportResponse } from "@/lib/api/schemas";
import { patientViewFor } from "@/app/_server/deid-salt";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { importCohortFolder, validateCohortFolder } from "@/lib/pipeline/cohort/import";
import { startCohortImportJob } from "@/lib/pipeline/cohort/import-job";
import { cohortImportRoot, resolveImportFolder } from "@/lib/pipeline/cohort/import-root";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";
export const maxDuration = 3600;

const Body = z
  .object({
    folder: z.string().min(1).max(128),
    name: z.string().min(1).max(80),
    /** validate only (the default): the report, nothing written */
    confirm: z.boolean().default(false),
    acceptValid: z.boolean().default(false),
    /** answer at once with a job to poll (GET /api/cohorts/import/jobs/ID: phase, patients done, report at the end) */
    background: z.boolean().default(false),
  })
  .strict();

/** Validate (confirm=false) or import (confirm=true) a cohort folder of the server-side import root. */
export const POST = apiRoute(
  { permission: "research", body: Body, response: cohortImportResponse },
  async ({ body, user }) => {
    const root = cohortImportRoot();
    if (!root)
      throw new NacError(
        "NOT_FOUND",
        "no cohort import root is configured (an administrator sets NAC_COHORT_IMPORT_ROOT)",
      );
    const dir = await resolveImportFolder(root, body.folder);
    const deps = { prisma: await getPrisma(), store: getFileStore(), view: patientViewFor(user) };
    if (body.background)
      return startCohortImportJob(deps, {
        dir,
        folder: body.folder,
        name: body.name,
        confirm: body.confirm,
        acceptValid: body.acceptValid,
        user,
      });
    const report = await validateCohortFolder(deps, dir);
    const shown = { ...report, dir: body.folder };
    if (!body.confirm) return { report: shown, imported: null };
    const { result } = await importCohortFolder(deps, dir, {
      name: body.name,
      acceptValid: body.acceptValid,
      user,
      validated: report,
    });
    return { report: shown, imported: result };
  },
);
