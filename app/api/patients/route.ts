import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { ALL_ROLES } from "@/lib/auth/roles";
import { recordAudit } from "@/lib/audit/audit-log";
import { getPrisma } from "@/lib/db/prisma";
import { listWorklist } from "@/lib/pipeline/patients";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  {
    roles: ALL_ROLES,
    query: z.object({ q: z.string().max(100).optional(), sort: z.enum(["name", "updated", "key"]).optional() }),
  },
  async ({ user, query }) => {
    const prisma = await getPrisma();
    const rows = await listWorklist(prisma, { search: query.q, sort: query.sort });
    await recordAudit(prisma, { action: "patient.list", userId: user.id, username: user.username, details: { count: rows.length } });
    return { patients: rows };
  },
);
