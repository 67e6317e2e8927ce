import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { deidSalt } from "@/app/_server/deid-salt";
import { identifiedFor, patientAsSeenBy } from "@/lib/auth/patient-view";
import { getPrisma } from "@/lib/db/prisma";
import { boardSessionInputSchema, getBoardSessionOrThrow, updateBoardSession } from "@/lib/pipeline/board/sessions";

export const dynamic = "force-dynamic";

const Params = z.object({ sessionId: z.string().uuid() });

/** A session with its patients in order, as this user may see them (audited: board.view reads patient names). */
export const GET = apiRoute({ permission: "patient.read", params: Params }, async ({ params, user, audit }) => {
  const prisma = await getPrisma();
  const s = await getBoardSessionOrThrow(prisma, params.sessionId);
  const rows = await prisma.patient.findMany({
    where: { id: { in: s.patientIds } },
    select: { id: true, patientKey: true, displayName: true },
  });
  const byId = new Map(rows.map((p) => [p.id, patientAsSeenBy(p, identifiedFor(user), deidSalt())]));
  await audit({
    action: "board.view",
    targetType: "board_session",
    targetId: s.id,
    details: { cases: s.patientIds.length },
  });
  return {
    session: {
      ...s,
      patients: s.patientIds.map((id) => ({
        id,
        patientKey: byId.get(id)?.patientKey ?? null,
        displayName: byId.get(id)?.displayName ?? null,
      })),
    },
  };
});

/** Replaces title, settings and the ordered patient list. Audited (board.update). */
export const PUT = apiRoute(
  { permission: "board.manage", params: Params, body: boardSessionInputSchema },
  async ({ params, body, user }) => {
    const s = await updateBoardSession(await getPrisma(), user, params.sessionId, body);
    return { session: { id: s.id, title: s.title } };
  },
);
