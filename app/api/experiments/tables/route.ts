import { apiRoute } from "@/app/_server/api-route";
import { tableUploadResponse } from "@/lib/api/schemas";
import { readBodyLimited } from "@/app/_server/read-body";
import { parseExperimentTable } from "@/lib/experiments";
import { tableStorageKey, tableSummary } from "@/lib/pipeline/experiment/experiments";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

/** Feature tables are ~10^2 rows x ~10^4 columns (tens of MB); a cohort of thousands stays well under this. */
const MAX_TABLE_BYTES = 512e6;

/**
 * Uploads a feature table (text/csv body): validated against the CSV contract, stored by content (sha256), answered
 * with what it offers (rows, outcomes, extractors, modalities, regions) so the page can propose feature sets.
 */
export const POST = apiRoute({ permission: "research", response: tableUploadResponse }, async ({ req }) => {
  const bytes = await readBodyLimited(req, MAX_TABLE_BYTES, "feature table");
  const table = parseExperimentTable(bytes);
  const store = getFileStore();
  const key = tableStorageKey(table.sha256);
  if (!(await store.exists(key))) await store.put(key, bytes);
  return { sha256: table.sha256, summary: tableSummary(table, "upload") };
});
