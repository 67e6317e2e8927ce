import Link from "next/link";
import { deidSalt } from "@/app/_server/deid-salt";
import { auditPage, requirePageSession } from "@/app/_server/session";
import { BoardBuilder } from "@/components/board/BoardBuilder";
import { identifiedFor } from "@/lib/auth/patient-view";
import { can } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma";
import { listBoardSessions } from "@/lib/pipeline/board/sessions";
import { listWorklistFor } from "@/lib/pipeline/patients";

/** Tumour-board sessions: the saved lists, each presentable; radiologists and oncologists build new ones from the worklist. */
export default async function BoardPage() {
  const user = await requirePageSession();
  const prisma = await getPrisma();
  const sessions = await listBoardSessions(prisma);
  const canManage = can(user, "board.manage");
  const identified = identifiedFor(user);
  const patients = canManage ? await listWorklistFor(prisma, { sort: "name" }, { identified, salt: deidSalt() }) : [];
  if (canManage)
    await auditPage(user, {
      action: "patient.list",
      details: { count: patients.length, identified, for: "board builder" },
    });
  return (
    <section className="flex flex-col gap-4" aria-labelledby="board-title">
      <h1 id="board-title" className="text-xl font-semibold">
        Tumour board
      </h1>
      <table className="w-full max-w-3xl text-sm" data-testid="board-sessions">
        <thead className="text-left text-ink-500">
          <tr>
            <th className="py-1">Session</th>
            <th>Patients</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} className="border-t border-room-700" data-testid="board-session-row">
              <td className="py-1">{s.title}</td>
              <td>{s.cases}</td>
              <td>{s.createdAt.slice(0, 16).replace("T", " ")} UTC</td>
              <td>
                <Link href={`/board/${s.id}/present?case=1`} className="text-accent-400 hover:underline">
                  Present
                </Link>
              </td>
            </tr>
          ))}
          {sessions.length === 0 && (
            <tr>
              <td colSpan={4} className="py-1 text-ink-500">
                No board session yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {canManage && (
        <BoardBuilder
          patients={patients.map((p) => ({ id: p.id, displayName: p.displayName, patientKey: p.patientKey }))}
        />
      )}
    </section>
  );
}
