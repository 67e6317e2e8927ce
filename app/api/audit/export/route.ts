import { apiRoute } from "@/app/_server/api-route";
import { auditCsv, AuditFilterSchema } from "@/lib/audit/audit-query";
import { getPrisma } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

/** The filtered audit trail as CSV (same filters as /api/audit); the export itself is audited. */
export const GET = apiRoute({ permission: "audit.read", query: AuditFilterSchema }, async ({ query, audit }) => {
  const { csv, rows, truncated } = await auditCsv(await getPrisma(), query);
  await audit({ action: "audit.export", details: { filter: { ...query }, rows, truncated } });
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="nacpredict-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      "x-truncated": String(truncated),
    },
  });
});
