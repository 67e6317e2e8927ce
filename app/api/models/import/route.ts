import { apiRoute } from "@/app/_server/api-route";
import { modelImportResponse } from "@/lib/api/schemas";
import { readBodyLimited } from "@/app/_server/read-body";
import { getPrisma } from "@/lib/db/prisma";
import { importBundle } from "@/lib/pipeline/model-registry";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

const MAX_BUNDLE_BYTES = 256e6;

/** Imports a bundle file (JSON or gzip body); refused (422 MODEL_INVALID) when any part's hash does not match. */
export const POST = apiRoute({ permission: "research", response: modelImportResponse }, async ({ req, user }) => {
  const bytes = await readBodyLimited(req, MAX_BUNDLE_BYTES, "model bundle");
  return importBundle({ prisma: await getPrisma(), store: getFileStore() }, bytes, { id: user.id, username: user.username });
});
