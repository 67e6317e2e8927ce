import { apiRoute } from "@/app/_server/api-route";
import { AuditPageSchema, queryAudit } from "@/lib/audit/audit-query";
import { getPrisma } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

/** The audit trail, newest first, filtered (user, patient, action, from, to) and paged; administrators only. */
export const GET = apiRoute({ permission: "audit.read", query: AuditPageSchema }, async ({ query, audit }) => {
  const result = await queryAudit(await getPrisma(), query);
  await audit({ action: "audit.read", details: { filter: { ...query }, total: result.total } });
  return result;
});
