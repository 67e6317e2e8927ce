import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";
import { exportBundle } from "@/lib/pipeline/model-registry";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

const Params = z.object({ modelId: z.string().uuid() });

/** The bundle file, verified, for another site (audited). */
export const GET = apiRoute({ permission: "research", params: Params }, async ({ params, user }) => {
  const r = await exportBundle({ prisma: await getPrisma(), store: getFileStore() }, params.modelId, { id: user.id, username: user.username });
  return new Response(r.bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": "application/json", "content-disposition": `attachment; filename="${r.fileName}"` } });
});
