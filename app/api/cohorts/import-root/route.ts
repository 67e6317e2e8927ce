import { apiRoute } from "@/app/_server/api-route";
import { importRootResponse } from "@/lib/api/schemas";
import { cohortImportRoot, listImportFolders } from "@/lib/pipeline/cohort/import-root";

export const dynamic = "force-dynamic";

/** Cohort folders in the server-side import root (NAC_COHORT_IMPORT_ROOT); empty when the administrator set none. */
export const GET = apiRoute({ permission: "research", response: importRootResponse }, async () => {
  const root = cohortImportRoot();
  return { configured: !!root, folders: root ? await listImportFolders(root) : [] };
});
