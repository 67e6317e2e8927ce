import type { PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import { hashPassword, verifyPassword } from "./password";
import type { Role } from "./roles";

export interface AuthenticatedUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

/**
 * Throttling, counted from the audit log itself (so it holds across restarts and server processes): an account with
 * ACCOUNT_MAX_FAILURES failed sign-ins within the window (since its last success) is refused even with the right
 * password until the oldest ages out; so is a source address with ADDRESS_MAX_FAILURES. Refused attempts count too, so
 * an attacker who keeps trying stays locked out.
 */
export const THROTTLE = { windowMs: 15 * 60 * 1000, accountMaxFailures: 5, addressMaxFailures: 20 };

let dummyHash: Promise<string> | undefined;

/**
 * Checks a username/password pair; audits success and failure alike with the source address. Returns null on any
 * failure. An unknown user costs one bcrypt comparison against a dummy hash, like a known one, so response time does
 * not tell which usernames exist.
 */
export async function verifyCredentials(
  prisma: PrismaClient,
  username: string,
  password: string,
  sourceAddress: string | null = null,
  now = new Date(),
): Promise<AuthenticatedUser | null> {
  const user = await prisma.user.findUnique({ where: { username } });
  const hash = user?.passwordHash?.startsWith("$2")
    ? user.passwordHash
    : await (dummyHash ??= hashPassword(`dummy-${Math.random()}`));
  const passwordOk = await verifyPassword(password, hash);
  const throttled = await throttleReason(prisma, username, sourceAddress, now);
  const ok = !!user && !user.disabledAt && passwordOk && !throttled;
  const reason = ok
    ? undefined
    : (throttled ?? (!user ? "unknown user" : user.disabledAt ? "disabled" : "wrong password"));
  await recordAudit(prisma, {
    action: ok ? "auth.sign_in" : "auth.sign_in_failed",
    userId: ok ? user!.id : null,
    username,
    outcome: ok ? "ok" : "denied",
    details: ok ? { provider: "credentials" } : { reason },
    sourceAddress,
  });
  if (!ok) return null;
  return { id: user!.id, username: user!.username, displayName: user!.displayName, role: user!.role };
}

async function throttleReason(
  prisma: PrismaClient,
  username: string,
  sourceAddress: string | null,
  now: Date,
): Promise<string | null> {
  const windowStart = new Date(now.getTime() - THROTTLE.windowMs);
  const lastOk = await prisma.auditEvent.findFirst({
    where: { action: "auth.sign_in", username, at: { gt: windowStart } },
    orderBy: { at: "desc" },
    select: { at: true },
  });
  const accountFailures = await prisma.auditEvent.count({
    where: { action: "auth.sign_in_failed", username, at: { gt: lastOk?.at ?? windowStart } },
  });
  if (accountFailures >= THROTTLE.accountMaxFailures) return "throttled: too many failed sign-ins for this account";
  if (sourceAddress) {
    const addressFailures = await prisma.auditEvent.count({
      where: { action: "auth.sign_in_failed", sourceAddress, at: { gt: windowStart } },
    });
    if (addressFailures >= THROTTLE.addressMaxFailures) return "throttled: too many failed sign-ins from this address";
  }
  return null;
}
