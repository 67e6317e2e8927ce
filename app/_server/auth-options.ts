import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit-log";
import { verifyCredentials } from "@/lib/auth/credentials";
import { parseRoleMap, signInOidcAccount } from "@/lib/auth/oidc-accounts";
import { isRole, type Role } from "@/lib/auth/roles";
import { createSession, revokeSession, SESSION_MAX_AGE_S } from "@/lib/auth/sessions";
import { readServerConfig } from "@/lib/config/server-config";
import { loadOrCreateSecret } from "@/lib/config/secret";
import { getPrisma } from "@/lib/db/prisma";

const CredentialsSchema = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

export function sessionSecret(): string {
  return loadOrCreateSecret(readServerConfig().dataDir);
}

interface RequestInfo {
  /** Served over TLS (public URL https or X-Forwarded-Proto https): cookies get the Secure flag and __Secure- prefix. */
  secure: boolean;
  sourceAddress: string | null;
}

type LocalUser = { id: string; name: string; username: string; role: Role };

/** OpenID Connect sign-in, when NAC_OIDC_ISSUER is set (docs/SECURITY.md: "Single sign-on"). */
function oidcProvider(info: RequestInfo): OAuthConfig<Record<string, unknown>> | null {
  const issuer = process.env.NAC_OIDC_ISSUER?.replace(/\/$/, "");
  if (!issuer) return null;
  const mapping = {
    claim: process.env.NAC_OIDC_ROLE_CLAIM ?? "roles",
    map: parseRoleMap(process.env.NAC_OIDC_ROLE_MAP),
  };
  return {
    id: "oidc",
    name: process.env.NAC_OIDC_NAME ?? "hospital sign-in",
    type: "oauth",
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId: process.env.NAC_OIDC_CLIENT_ID,
    clientSecret: process.env.NAC_OIDC_CLIENT_SECRET,
    authorization: { params: { scope: process.env.NAC_OIDC_SCOPE ?? "openid profile email" } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    async profile(claims) {
      const user = await signInOidcAccount(
        await getPrisma(),
        { issuer, subject: String(claims.sub), claims },
        mapping,
        info.sourceAddress,
      );
      // A refused account still has to be returned here; the signIn callback turns it away (role missing).
      return user
        ? { id: user.id, name: user.displayName, username: user.username, role: user.role }
        : { id: `refused:${String(claims.sub)}`, name: null, username: "", role: null };
    },
  };
}

/**
 * next-auth (Auth.js v4): local accounts (Credentials, bcrypt in the users table) and, when configured, OpenID Connect.
 * The JWT in the HttpOnly cookie only names a server-side session (lib/auth/sessions.ts), created at sign-in and revoked
 * at sign-out; every request re-checks it. Options are built per request for the Secure flag and the source address.
 */
export function authOptionsFor(info: RequestInfo): NextAuthOptions {
  const oidc = oidcProvider(info);
  return {
    secret: sessionSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    useSecureCookies: info.secure,
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "NACpredict account",
        credentials: {
          username: { label: "Username", type: "text" },
          password: { label: "Password", type: "password" },
        },
        async authorize(raw) {
          const parsed = CredentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const user = await verifyCredentials(
            await getPrisma(),
            parsed.data.username,
            parsed.data.password,
            info.sourceAddress,
          );
          return user ? { id: user.id, name: user.displayName, username: user.username, role: user.role } : null;
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      async signIn({ user }) {
        return isRole((user as unknown as LocalUser).role);
      },
      async jwt({ token, user, account }) {
        if (user) {
          const u = user as unknown as LocalUser;
          token.sub = u.id;
          token.username = u.username;
          token.role = u.role;
          token.sid = await createSession(
            await getPrisma(),
            u.id,
            account?.provider ?? "credentials",
            info.sourceAddress,
          );
        }
        return token;
      },
      async session({ session, token }) {
        return {
          ...session,
          user: {
            ...session.user,
            id: token.sub,
            username: token.username,
            role: isRole(token.role) ? token.role : undefined,
          },
        };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid !== "string") return;
        const prisma = await getPrisma();
        await revokeSession(prisma, token.sid);
        await recordAudit(prisma, {
          action: "auth.sign_out",
          userId: token.sub ?? null,
          username: typeof token.username === "string" ? token.username : null,
          targetType: "session",
          targetId: token.sid,
          sourceAddress: info.sourceAddress,
        });
      },
    },
  };
}
