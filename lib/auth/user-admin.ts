import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { NacError } from "../errors";
import { DEMO_ACCOUNTS } from "./demo-accounts";
import { hashPassword } from "./password";
import { GRANTABLE, isPermission, type Permission } from "./permissions";
import { isRole, type Role } from "./roles";
import { revokeUserSessions } from "./sessions";

/**
 * Account administration shared by `nac users ...` and the admin users page. Every change is audited with who made it
 * ("actor": an administrator's account, or the CLI's operator) and revokes the account's sessions where it reduces
 * access, so it takes effect on the user's next request.
 */
export interface Actor {
  userId: string | null;
  username: string;
  sourceAddress?: string | null;
}

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  createdAt: Date;
  disabledAt: Date | null;
  grants: Permission[];
  provider: "local" | "oidc";
  isDemo: boolean;
}

const DEMO_NAMES = new Set(DEMO_ACCOUNTS.map((a) => a.username));

export async function listUsers(prisma: PrismaClient): Promise<UserRow[]> {
  const [users, grants, links] = await Promise.all([
    prisma.user.findMany({ orderBy: { username: "asc" } }),
    prisma.userGrant.findMany(),
    prisma.externalIdentity.findMany({ select: { userId: true } }),
  ]);
  const oidc = new Set(links.map((l) => l.userId));
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: isRole(u.role) ? u.role : "researcher",
    createdAt: u.createdAt,
    disabledAt: u.disabledAt,
    grants: grants
      .filter((g) => g.userId === u.id)
      .map((g) => g.permission)
      .filter(isPermission),
    provider: oidc.has(u.id) ? "oidc" : "local",
    isDemo: DEMO_NAMES.has(u.username) && !oidc.has(u.id),
  }));
}

async function userByIdOrName(prisma: PrismaClient, idOrName: string) {
  const u =
    (await prisma.user.findUnique({ where: { username: idOrName } })) ??
    (/^[0-9a-f-]{36}$/.test(idOrName) ? await prisma.user.findUnique({ where: { id: idOrName } }) : null);
  if (!u) throw new NacError("NOT_FOUND", `no account ${idOrName}`);
  return u;
}

export async function setUserDisabled(prisma: PrismaClient, idOrName: string, disabled: boolean, actor: Actor) {
  const u = await userByIdOrName(prisma, idOrName);
  if (disabled && actor.userId === u.id) throw new NacError("CONFLICT", "you cannot disable your own account");
  const revoked = await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: u.id }, data: { disabledAt: disabled ? (u.disabledAt ?? new Date()) : null } });
    const n = disabled ? await revokeUserSessions(tx, u.id) : 0;
    await recordAudit(tx, {
      action: disabled ? "user.disable" : "user.enable",
      userId: actor.userId,
      username: actor.username,
      targetType: "user",
      targetId: u.id,
      details: { account: u.username, sessionsRevoked: n },
      sourceAddress: actor.sourceAddress ?? null,
    });
    return n;
  });
  return { username: u.username, disabled, sessionsRevoked: revoked };
}

/**
 * A new password, given or random (returned once, never stored in clear); the account's sessions are revoked. Refused
 * for a single sign-on account: a local password would let it in without its identity provider (which may have
 * disabled it).
 */
export async function resetPassword(prisma: PrismaClient, idOrName: string, actor: Actor, password?: string) {
  const u = await userByIdOrName(prisma, idOrName);
  if (await prisma.externalIdentity.findFirst({ where: { userId: u.id } })) {
    throw new NacError(
      "CONFLICT",
      `account ${u.username} signs in through single sign-on: its identity provider manages its password`,
    );
  }
  const plain = password ?? randomBytes(12).toString("base64url");
  if (plain.length < 12) throw new NacError("BAD_REQUEST", "a password needs at least 12 characters");
  const hash = await hashPassword(plain);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: u.id }, data: { passwordHash: hash } });
    await revokeUserSessions(tx, u.id);
    await recordAudit(tx, {
      action: "user.password_reset",
      userId: actor.userId,
      username: actor.username,
      targetType: "user",
      targetId: u.id,
      details: { account: u.username, generated: password === undefined },
      sourceAddress: actor.sourceAddress ?? null,
    });
  });
  return { username: u.username, password: plain };
}

export async function createUser(
  prisma: PrismaClient,
  input: { username: string; displayName: string; role: Role; password?: string },
  actor: Actor,
) {
  if (!/^[A-Za-z0-9._@-]{2,100}$/.test(input.username))
    throw new NacError("BAD_REQUEST", "username: 2-100 letters, digits, . _ @ -");
  if (await prisma.user.findUnique({ where: { username: input.username } }))
    throw new NacError("CONFLICT", `account ${input.username} exists`);
  const plain = input.password ?? randomBytes(12).toString("base64url");
  if (plain.length < 12) throw new NacError("BAD_REQUEST", "a password needs at least 12 characters");
  const hash = await hashPassword(plain);
  const u = await prisma.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { username: input.username, displayName: input.displayName, role: input.role, passwordHash: hash },
    });
    await recordAudit(tx, {
      action: "user.create",
      userId: actor.userId,
      username: actor.username,
      targetType: "user",
      targetId: created.id,
      details: { account: input.username, role: input.role },
      sourceAddress: actor.sourceAddress ?? null,
    });
    return created;
  });
  return { id: u.id, username: u.username, password: plain };
}

export async function setGrant(
  prisma: PrismaClient,
  idOrName: string,
  permission: Permission,
  granted: boolean,
  actor: Actor,
) {
  if (!GRANTABLE.includes(permission))
    throw new NacError(
      "BAD_REQUEST",
      `${permission} cannot be granted to an account (grantable: ${GRANTABLE.join(", ")})`,
    );
  const u = await userByIdOrName(prisma, idOrName);
  await prisma.$transaction(async (tx) => {
    if (granted)
      await tx.userGrant.upsert({
        where: { userId_permission: { userId: u.id, permission } },
        create: { userId: u.id, permission, grantedBy: actor.username },
        update: {},
      });
    else await tx.userGrant.deleteMany({ where: { userId: u.id, permission } });
    await recordAudit(tx, {
      action: granted ? "user.grant" : "user.revoke_grant",
      userId: actor.userId,
      username: actor.username,
      targetType: "user",
      targetId: u.id,
      details: { account: u.username, permission },
      sourceAddress: actor.sourceAddress ?? null,
    });
  });
  return { username: u.username, permission, granted };
}
