import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { objectResponse } from "@/lib/api/schemas";

/** Override a series' role (PATCH /api/series/[id]); throws the server's message when refused. */
export async function setSeriesRole(seriesId: string, role: string): Promise<void> {
  await fetchJson(`/api/series/${seriesId}`, objectResponse, jsonBody("PATCH", { role }), "role change");
}
