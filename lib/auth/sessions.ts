import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../generated/prisma/client";
import { permissionsOf, type Permission } from "./permissions";
import { isRole, type Role } from "./roles";

/**
 * Server-side sessions. The signed cookie (a JWT) carries only the id of a row in auth_sessions; every request
 * re-reads that row and its account, so sign-out, an administrator's disable, a role change or a revoked grant take
 * effect on the next request instead of when the 8-hour token expires.
 */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export interface ActiveUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  permissions: Permission[];
  sessionId: string;
}

type Db = Pick<PrismaClient, "authSession" | "user" | "userGrant">;

export async function createSession(
  db: Db,
  userId: string,
  provider: string,
  sourceAddress?: string | null,
): Promise<string> {
  const id = randomUUID();
  await db.authSession.create({
    data: {
      id,
      userId,
      provider,
      sourceAddress: sourceAddress ?? null,
      expiresAt: new Date(Date.now() + SESSION_MAX_AGE_S * 1000),
    },
  });
  return id;
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.authSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

export async function revokeUserSessions(db: Db, userId: string): Promise<number> {
  const r = await db.authSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return r.count;
}

/** The account behind a session id (from a verified token), or null if the session or the account is not active. */
export async function activeUser(db: Db, sessionId: unknown, userId: unknown): Promise<ActiveUser | null> {
  if (typeof sessionId !== "string" || typeof userId !== "string") return null;
  const s = await db.authSession.findUnique({ where: { id: sessionId } });
  if (!s || s.userId !== userId || s.revokedAt || s.expiresAt.getTime() <= Date.now()) return null;
  const u = await db.user.findUnique({ where: { id: userId } });
  if (!u || u.disabledAt || !isRole(u.role)) return null;
  const grants = await db.userGrant.findMany({ where: { userId }, select: { permission: true } });
  return {
    id: u.id,
    username: u.username,
    name: u.displayName,
    role: u.role,
    permissions: permissionsOf(
      u.role,
      grants.map((g) => g.permission),
    ),
    sessionId: s.id,
  };
}
