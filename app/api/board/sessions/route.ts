import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { boardSessionCreatedResponse } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/prisma";
import { boardSessionInputSchema, createBoardSession, listBoardSessions } from "@/lib/pipeline/board/sessions";

export const dynamic = "force-dynamic";

const SessionSummary = z.object({
  id: z.string(),
  title: z.string(),
  showName: z.boolean(),
  showPatientKey: z.boolean(),
  createdAt: z.string(),
  cases: z.number().int(),
});

/** Tumour-board sessions, newest first (titles and case counts only: no patient data). */
export const GET = apiRoute({ permission: "patient.read" }, async () => {
  return { sessions: z.array(SessionSummary).parse(await listBoardSessions(await getPrisma())) };
});

/** A new session: title, ordered patient ids, what the presentation may show of each patient. Audited (board.create). */
export const POST = apiRoute(
  { permission: "board.manage", body: boardSessionInputSchema, response: boardSessionCreatedResponse },
  async ({ body, user }) => {
    const s = await createBoardSession(await getPrisma(), user, body);
    return { session: { id: s.id, title: s.title } };
  },
);
