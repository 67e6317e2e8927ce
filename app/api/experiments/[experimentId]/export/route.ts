import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { recordAudit } from "@/lib/audit/audit-log";
import { getPrisma } from "@/lib/db/prisma";
import { experimentCsv } from "@/lib/experiments";
import { getExperiment } from "@/lib/pipeline/experiment/experiments";
import { getFileStore } from "@/lib/storage/server-store";

export const dynamic = "force-dynamic";

const Params = z.object({ experimentId: z.string().uuid() });

/** The comparison table as CSV (every metric's mean, SD, range and 95 % interval per feature set and endpoint). */
export const GET = apiRoute({ permission: "research", params: Params }, async ({ params, user }) => {
  const prisma = await getPrisma();
  const e = await getExperiment({ prisma, store: getFileStore() }, params.experimentId, null, { audit: false });
  await recordAudit(prisma, {
    action: "experiment.export",
    userId: user.id,
    username: user.username,
    targetType: "experiment",
    targetId: e.id,
    details: { format: "csv" },
  });
  return new Response(experimentCsv(e), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="experiment-${e.id.slice(0, 8)}.csv"`,
    },
  });
});
