import { apiRoute } from "@/app/_server/api-route";
import { getPrisma } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

/** Cohorts with their patient counts and latest extraction (no patient data). */
export const GET = apiRoute({ permission: "research" }, async () => {
  const prisma = await getPrisma();
  const rows = await prisma.cohort.findMany({
    orderBy: { createdAt: "desc" },
    include: {
      _count: { select: { patients: true } },
      extractions: { orderBy: { createdAt: "desc" }, take: 1, select: { id: true, total: true, createdAt: true } },
    },
  });
  return {
    cohorts: rows.map((r) => ({
      id: r.id,
      name: r.name,
      patients: r._count.patients,
      periMarginMm: r.periMarginMm,
      periShellMode: r.periShellMode,
      createdAt: r.createdAt,
      latestExtraction: r.extractions[0] ?? null,
    })),
  };
});
