import type { PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { verifyPassword } from "./password";
import type { Role } from "./roles";

export interface AuthenticatedUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

/** Checks a username/password pair; audits success and failure alike. Returns null on any failure (no user enumeration). */
export async function verifyCredentials(
  prisma: PrismaClient,
  username: string,
  password: string,
): Promise<AuthenticatedUser | null> {
  const user = await prisma.user.findUnique({ where: { username } });
  const ok = !!user && !user.disabledAt && (await verifyPassword(password, user.passwordHash));
  await recordAudit(prisma, {
    action: ok ? "auth.sign_in" : "auth.sign_in_failed",
    userId: ok ? user!.id : null,
    username,
    outcome: ok ? "ok" : "denied",
    details: ok ? {} : { reason: !user ? "unknown user" : user.disabledAt ? "disabled" : "wrong password" },
  });
  if (!ok) return null;
  return { id: user!.id, username: user!.username, displayName: user!.displayName, role: user!.role };
}
