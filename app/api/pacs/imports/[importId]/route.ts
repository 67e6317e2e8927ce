import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { pacsImportResponse } from "@/lib/api/schemas";
import { pacsDeps } from "@/app/_server/pacs";
import { getPacsImport } from "@/lib/pipeline/pacs/import";

export const dynamic = "force-dynamic";

/** Progress and outcome of a PACS import. */
export const GET = apiRoute(
  { permission: "pacs.import", params: z.object({ importId: z.string().uuid() }), response: pacsImportResponse },
  async ({ params }) => {
    return { import: await getPacsImport(await pacsDeps(), params.importId) };
  },
);
