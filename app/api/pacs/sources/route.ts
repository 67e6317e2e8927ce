import { apiRoute } from "@/app/_server/api-route";
import { pacsSourceSavedResponse } from "@/lib/api/schemas";
import { pacsDeps } from "@/app/_server/pacs";
import { PacsSourceInput } from "@/lib/pacs/source-config";
import { listPacsSources, savePacsSource } from "@/lib/pipeline/pacs/sources";

export const dynamic = "force-dynamic";

/** The configured DICOMweb data sources, without their secrets. */
export const GET = apiRoute({ permission: "pacs.read" }, async () => {
  const deps = await pacsDeps();
  return { sources: await listPacsSources(deps.prisma) };
});

/** Create or update (by name) a data source; the secret is write-only (admin). */
export const POST = apiRoute(
  { permission: "pacs.configure", body: PacsSourceInput, response: pacsSourceSavedResponse },
  async ({ body, user }) => {
    return { source: await savePacsSource(await pacsDeps(), body, user) };
  },
);
