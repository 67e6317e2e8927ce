import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { isRole, type Role } from "@/lib/auth/roles";
import { authOptions } from "./auth-options";

export interface SessionUser {
  id: string;
  username: string;
  name: string;
  role: Role;
}

/** For server components: the signed-in user, or a redirect to the sign-in page. */
export async function requirePageSession(): Promise<SessionUser> {
  const s = await getServerSession(authOptions);
  const u = s?.user as { id?: string; username?: string; name?: string; role?: unknown } | undefined;
  if (!u?.id || !u.username || !isRole(u.role)) redirect("/signin");
  return { id: u.id, username: u.username, name: u.name ?? u.username, role: u.role };
}
