import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { patientViewFor } from "@/app/_server/deid-salt";
import { getPrisma } from "@/lib/db/prisma";
import { NacError } from "@/lib/errors";
import { cohortFeatureTable } from "@/lib/pipeline/cohort/features";

export const dynamic = "force-dynamic";

/** The extraction's feature table as CSV (contract in lib/cohort/feature-table.ts). Audited; pseudonyms unless identified. */
export const GET = apiRoute(
  { permission: "research", params: z.object({ extractionId: z.string().uuid() }) },
  async ({ params, user }) => {
    const prisma = await getPrisma();
    const e = await prisma.extraction.findUnique({ where: { id: params.extractionId }, include: { cohort: true } });
    if (!e) throw new NacError("NOT_FOUND", `extraction ${params.extractionId} not found`);
    const t = await cohortFeatureTable(prisma, e.cohortId, { extractionId: e.id, user, view: patientViewFor(user) });
    const file = `${e.cohort.name.replace(/[^A-Za-z0-9._-]/g, "_")}-features.csv`;
    return new Response(t.csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${file}"`,
        "cache-control": "no-store",
      },
    });
  },
);
