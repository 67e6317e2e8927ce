/**
 * Tumour-board sessions: a saved, ordered list of patients, built from the worklist by a radiologist
 * or an oncologist, with what the presentation may show of each patient (name, site ID). Every write is audited.
 */
import { z } from "zod";
import type { PrismaClient } from "../../../generated/prisma/client";
import { recordAudit } from "../../audit/audit-log";
import { NacError } from "../../errors";

/** A board reviews a few minutes per patient: more than this in one session is a mistake, not a board. */
export const MAX_BOARD_CASES = 60;

export const boardSessionInputSchema = z
  .object({
    title: z.string().trim().min(1, "give the session a title").max(120),
    patientIds: z.array(z.string().uuid()).min(1, "choose at least one patient").max(MAX_BOARD_CASES),
    showName: z.boolean(),
    showPatientKey: z.boolean(),
  })
  .strict()
  .refine((v) => new Set(v.patientIds).size === v.patientIds.length, {
    message: "a patient appears twice in the session",
    path: ["patientIds"],
  });
export type BoardSessionInput = z.infer<typeof boardSessionInputSchema>;

type User = { id: string; username: string };

async function patientsExistOrThrow(prisma: PrismaClient, ids: string[]) {
  const found = new Set(
    (await prisma.patient.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((p) => p.id),
  );
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length) throw new NacError("NOT_FOUND", `unknown patient ${unknown[0]}`);
}

export async function createBoardSession(prisma: PrismaClient, user: User, input: BoardSessionInput) {
  await patientsExistOrThrow(prisma, input.patientIds);
  return prisma.$transaction(async (tx) => {
    const s = await tx.boardSession.create({
      data: {
        title: input.title,
        showName: input.showName,
        showPatientKey: input.showPatientKey,
        createdById: user.id,
        cases: { create: input.patientIds.map((patientId, position) => ({ patientId, position })) },
      },
    });
    await recordAudit(tx, {
      action: "board.create",
      userId: user.id,
      username: user.username,
      targetType: "board_session",
      targetId: s.id,
      details: { cases: input.patientIds.length },
    });
    return s;
  });
}

/** Replaces the session's title, settings and ordered patient list. */
export async function updateBoardSession(prisma: PrismaClient, user: User, id: string, input: BoardSessionInput) {
  await patientsExistOrThrow(prisma, input.patientIds);
  return prisma.$transaction(async (tx) => {
    const existing = await tx.boardSession.findUnique({ where: { id } });
    if (!existing) throw new NacError("NOT_FOUND", `board session ${id} not found`);
    await tx.boardCase.deleteMany({ where: { sessionId: id } });
    const s = await tx.boardSession.update({
      where: { id },
      data: {
        title: input.title,
        showName: input.showName,
        showPatientKey: input.showPatientKey,
        cases: { create: input.patientIds.map((patientId, position) => ({ patientId, position })) },
      },
    });
    await recordAudit(tx, {
      action: "board.update",
      userId: user.id,
      username: user.username,
      targetType: "board_session",
      targetId: id,
      details: { cases: input.patientIds.length },
    });
    return s;
  });
}

/** Sessions, newest first, with their case counts (no patient data). */
export async function listBoardSessions(prisma: PrismaClient) {
  const rows = await prisma.boardSession.findMany({
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { _count: { select: { cases: true } } },
  });
  return rows.map((s) => ({
    id: s.id,
    title: s.title,
    showName: s.showName,
    showPatientKey: s.showPatientKey,
    createdAt: s.createdAt.toISOString(),
    cases: s._count.cases,
  }));
}

/** A session with its patients in order (ids only; names are resolved by the caller under the user's PHI view). */
export async function getBoardSessionOrThrow(prisma: PrismaClient, id: string) {
  const s = await prisma.boardSession.findUnique({
    where: { id },
    include: { cases: { orderBy: { position: "asc" } } },
  });
  if (!s) throw new NacError("NOT_FOUND", `board session ${id} not found`);
  return {
    id: s.id,
    title: s.title,
    showName: s.showName,
    showPatientKey: s.showPatientKey,
    createdAt: s.createdAt.toISOString(),
    patientIds: s.cases.map((c) => c.patientId),
  };
}
