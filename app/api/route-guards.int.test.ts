import { randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "@/lib/auth/roles";
import { createSession } from "@/lib/auth/sessions";
import type { Database } from "@/lib/db/database";
import { useDatabase } from "@/lib/db/prisma";
import { openTestDatabase, testBackend } from "@/lib/db/test-database";

/**
 * Enumerates every API route file, so a new route without a guard fails this suite:
 * - only the sign-in and health routes may be public;
 * - every other handler is built with apiRoute (carries ROUTE_GUARD), answers 401 without a session,
 *   403 for each role it does not allow, and neither for a role it allows.
 */
process.env.NEXTAUTH_SECRET = "route-guard-test-secret-of-32-characters";
const PUBLIC_ROUTES = new Set(["auth/[...nextauth]", "health"]);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const API_DIR = path.resolve("app/api");

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return routeFiles(p);
    return name === "route.ts" ? [p] : [];
  });
}

function urlFor(route: string): { url: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const segs = route.split("/").map((s) => {
    const m = /^\[(\.\.\.)?(\w+)\]$/.exec(s);
    if (!m) return s;
    const v = randomUUID();
    params[m[2]] = m[1] ? [v] : v;
    return v;
  });
  return { url: `http://localhost/api/${segs.join("/")}`, params };
}

const userIds = new Map<Role, string>();

let database: Database;

async function cookieFor(role: Role): Promise<string> {
  const sub = userIds.get(role)!;
  const sid = await createSession(database.prisma, sub, "credentials");
  const token = await encode({
    token: { sub, sid, username: `test-${role}`, name: role, role },
    secret: process.env.NEXTAUTH_SECRET!,
  });
  return `next-auth.session-token=${token}`;
}

describe(`every API route is guarded (${testBackend()})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
    database = db;
    useDatabase(db);
    for (const role of ROLES) {
      const u = await db.prisma.user.create({
        data: { username: `test-${role}`, displayName: role, role, passwordHash: "unused" },
      });
      userIds.set(role, u.id);
    }
  });
  afterAll(async () => db?.close());

  const routes = routeFiles(API_DIR).map((f) => path.relative(API_DIR, path.dirname(f)).split(path.sep).join("/"));

  it("a valid token of a disabled account is refused", async () => {
    const mod = (await import(path.join(API_DIR, "patients", "route.ts"))) as {
      GET: (r: NextRequest, c: unknown) => Promise<Response>;
    };
    const cookie = await cookieFor("radiologist");
    const call = () =>
      mod.GET(new NextRequest("http://localhost/api/patients", { headers: { cookie } }), {
        params: Promise.resolve({}),
      });
    expect((await call()).status).toBe(200);
    await db.prisma.user.update({ where: { id: userIds.get("radiologist")! }, data: { disabledAt: new Date() } });
    expect((await call()).status).toBe(401);
    await db.prisma.user.update({ where: { id: userIds.get("radiologist")! }, data: { disabledAt: null } });
  });

  it("finds the routes, and only sign-in and health are public", () => {
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const r of PUBLIC_ROUTES) expect(routes).toContain(r);
  });

  for (const route of routes.filter((r) => !PUBLIC_ROUTES.has(r))) {
    it(`${route}: 401 without a session, 403 for roles it does not allow`, async () => {
      const mod = (await import(path.join(API_DIR, route, "route.ts"))) as Record<string, unknown>;
      const handlers = METHODS.filter((m) => typeof mod[m] === "function");
      expect(handlers.length, `${route} exports no handler`).toBeGreaterThan(0);
      for (const method of handlers) {
        const handler = mod[method] as ((req: NextRequest, ctx: unknown) => Promise<Response>) &
          Record<symbol, { roles: Role[] }>;
        const guard = handler[Symbol.for("nacpredict.routeGuard")];
        expect(guard, `${method} ${route} is not built with apiRoute`).toBeDefined();
        const { url, params } = urlFor(route);
        const call = (cookie?: string) =>
          handler(new NextRequest(url, { method, headers: cookie ? { cookie } : {} }), {
            params: Promise.resolve(params),
          });

        const anon = await call();
        expect(anon.status, `${method} ${route} without session`).toBe(401);
        expect((await anon.json()).error.code).toBe("UNAUTHENTICATED");
        for (const role of ROLES) {
          const res = await call(await cookieFor(role));
          if (guard.roles.includes(role)) expect([401, 403], `${method} ${route} as ${role}`).not.toContain(res.status);
          else {
            expect(res.status, `${method} ${route} as ${role}`).toBe(403);
            expect((await res.json()).error.code).toBe("FORBIDDEN");
          }
        }
      }
    });
  }
});
