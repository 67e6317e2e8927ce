import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { recordAudit } from "@/lib/audit/audit-log";
import { getPrisma } from "@/lib/db/prisma";
import { getSeriesViewOrThrow } from "@/lib/pipeline/series";
import { seriesRoleSchema } from "@/lib/imaging/series/roles";

export const dynamic = "force-dynamic";

const Params = z.object({ seriesId: z.string().uuid() });

export const GET = apiRoute({ permission: "patient.read", params: Params }, async ({ params, audit }) => {
  const series = await getSeriesViewOrThrow(await getPrisma(), params.seriesId);
  await audit({
    action: "series.view",
    patientId: series.patientId,
    targetType: "series",
    targetId: series.id,
    details: { role: series.role },
  });
  return { series };
});

/** A person overrides the series role suggested by the classifier (kept on later imports). */
export const PATCH = apiRoute(
  { permission: "roi.write", params: Params, body: z.object({ role: seriesRoleSchema }) },
  async ({ params, body, user }) => {
    const prisma = await getPrisma();
    const before = await getSeriesViewOrThrow(prisma, params.seriesId);
    await prisma.$transaction(async (tx) => {
      await tx.series.update({
        where: { id: params.seriesId },
        data: { role: body.role, roleSource: "manual", roleConfidence: 1 },
      });
      await recordAudit(tx, {
        action: "series.role_override",
        userId: user.id,
        username: user.username,
        patientId: before.patientId,
        targetType: "series",
        targetId: params.seriesId,
        // what the classifier had said is kept here (the series row then holds the manual role), for the viewer to show
        details: {
          from: before.role,
          to: body.role,
          fromSource: before.roleSource,
          fromConfidence: before.roleConfidence,
        },
      });
    });
    return { series: await getSeriesViewOrThrow(prisma, params.seriesId) };
  },
);
