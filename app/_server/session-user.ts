import { decode } from "next-auth/jwt";
import { activeUser, type ActiveUser } from "@/lib/auth/sessions";
import { getPrisma } from "@/lib/db/prisma";
import { sessionSecret } from "./auth-options";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from "./request-info";

export type SessionUser = ActiveUser;

/**
 * The account behind a session cookie, for API routes and pages alike: the token must verify AND name a live session
 * row of an enabled account (lib/auth/sessions.ts), re-read from the database on every call.
 */
export async function userFromCookies(cookie: (name: string) => string | undefined): Promise<SessionUser | null> {
  const raw = cookie(SECURE_SESSION_COOKIE) ?? cookie(SESSION_COOKIE);
  if (!raw) return null;
  let token;
  try {
    token = await decode({ token: raw, secret: sessionSecret() });
  } catch {
    return null;
  }
  if (!token?.sub) return null;
  return activeUser(await getPrisma(), token.sid, token.sub);
}
