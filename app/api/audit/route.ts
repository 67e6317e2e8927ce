import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

/** The audit trail, newest first; administrators only. */
export const GET = apiRoute(
  {
    roles: ["admin"],
    query: z.object({ patientId: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
  },
  async ({ query }) => {
    const prisma = await getPrisma();
    const events = await prisma.auditEvent.findMany({
      where: query.patientId ? { patientId: query.patientId } : undefined,
      orderBy: { at: "desc" },
      take: query.limit,
    });
    return { events };
  },
);
