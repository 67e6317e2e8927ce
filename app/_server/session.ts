import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { recordAudit, type AuditEntry } from "@/lib/audit/audit-log";
import { can, type Permission } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma";
import { sourceAddressOf } from "./request-info";
import { userFromCookies, type SessionUser } from "./session-user";

export type { SessionUser };

// One database check per rendered request, shared by the layout and the page.
const currentUser = cache(async (): Promise<SessionUser | null> => {
  const jar = await cookies();
  return userFromCookies((name) => jar.get(name)?.value);
});

/**
 * For server components: the signed-in user, checked exactly as the API checks it (live session, enabled account), or a
 * redirect to the sign-in page; with a permission, a page the user may not see answers 404.
 */
export async function requirePageSession(permission: Permission = "patient.read"): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/signin");
  if (!can(user, permission)) notFound();
  return user;
}

/** Records an audit row for the page being rendered: user and source address filled in. */
export async function auditPage(
  user: SessionUser,
  entry: Omit<AuditEntry, "userId" | "username" | "sourceAddress">,
): Promise<void> {
  const sourceAddress = sourceAddressOf(await headers());
  await recordAudit(await getPrisma(), { ...entry, userId: user.id, username: user.username, sourceAddress });
}
