import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { deidSalt } from "@/app/_server/deid-salt";
import { identifiedFor } from "@/lib/auth/patient-view";
import { getPrisma } from "@/lib/db/prisma";
import { listWorklistFor } from "@/lib/pipeline/patients";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  {
    permission: "patient.read",
    query: z.object({ q: z.string().max(100).optional(), sort: z.enum(["name", "updated", "key"]).optional() }),
  },
  async ({ user, query, audit }) => {
    const identified = identifiedFor(user);
    const rows = await listWorklistFor(
      await getPrisma(),
      { search: query.q, sort: query.sort },
      { identified, salt: deidSalt() },
    );
    await audit({
      action: "patient.list",
      details: { count: rows.length, identified, ...(query.q ? { search: query.q } : {}) },
    });
    return { patients: rows };
  },
);
