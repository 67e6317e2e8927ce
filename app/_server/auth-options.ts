import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { verifyCredentials } from "@/lib/auth/credentials";
import { isRole, type Role } from "@/lib/auth/roles";
import { readServerConfig } from "@/lib/config/server-config";
import { loadOrCreateSecret } from "@/lib/config/secret";
import { getPrisma } from "@/lib/db/prisma";

const CredentialsSchema = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

export function sessionSecret(): string {
  return loadOrCreateSecret(readServerConfig().dataDir);
}

/**
 * next-auth (Auth.js v4) with local accounts: Credentials provider, passwords hashed with bcrypt in the users table,
 * stateless JWT sessions in an HttpOnly cookie (8 h, a clinical shift). Role travels in the token.
 */
export const authOptions: NextAuthOptions = {
  secret: sessionSecret(),
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "NACpredict account",
      credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = CredentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await verifyCredentials(await getPrisma(), parsed.data.username, parsed.data.password);
        return user ? { id: user.id, name: user.displayName, username: user.username, role: user.role } : null;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const u = user as unknown as { id: string; username: string; role: Role };
        token.sub = u.id;
        token.username = u.username;
        token.role = u.role;
      }
      return token;
    },
    async session({ session, token }) {
      return {
        ...session,
        user: { ...session.user, id: token.sub, username: token.username, role: isRole(token.role) ? token.role : undefined },
      };
    },
  },
};
