import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { pacsImportResponse } from "@/lib/api/schemas";
import { pacsDeps } from "@/app/_server/pacs";
import { createOrResumePacsImport, runPacsImport } from "@/lib/pipeline/pacs/import";

export const dynamic = "force-dynamic";

const Body = z
  .object({ sourceId: z.string().uuid().optional(), studyUids: z.array(z.string().max(64)).min(1).max(20) })
  .strict();

/**
 * Import PACS studies into local storage. Answers at once with the import (poll GET /api/pacs/imports/:id for
 * progress); the same studies again resume an unfinished import instead of starting another.
 */
export const POST = apiRoute(
  { permission: "pacs.import", body: Body, response: pacsImportResponse },
  async ({ body, user }) => {
    const deps = await pacsDeps();
    const view = await createOrResumePacsImport(deps, { sourceId: body.sourceId, studyUids: body.studyUids, user });
    if (view.status !== "succeeded" || view.studyUids.length) {
      // Runs in this server process; its row records progress and any failure (never an unhandled rejection).
      void runPacsImport(deps, view.id, user).catch((e) => console.error("PACS import crashed", e));
    }
    return { import: view };
  },
);
