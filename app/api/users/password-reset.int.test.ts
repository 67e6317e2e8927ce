import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCredentials } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/auth/password";
import { createSession } from "@/lib/auth/sessions";
import type { Database } from "@/lib/db/database";
import { useDatabase } from "@/lib/db/prisma";
import { openTestDatabase, testBackend } from "@/lib/db/test-database";

/**
 * Issue 16 item 3: an administrator resets a local account's password from the Users page (POST
 * /api/users/:id/password): the new password works, the old one and the account's open sessions stop at once, the
 * reset is audited with who, whom and from where, the answer is not cached; nobody else may, not one's own, not a
 * single sign-on account's.
 */
const DATA = mkdtempSync(path.join(os.tmpdir(), "nac-password-reset-"));
process.env.NEXTAUTH_SECRET = "password-reset-test-secret-of-32-chars";
process.env.NAC_DATA_DIR = DATA;

describe(`password reset from the Users page (${testBackend()})`, () => {
  let db: Database;
  const ids: Record<string, string> = {};
  const OLD = "old-password-of-rad";

  async function cookieOf(username: string): Promise<string> {
    const sid = await createSession(db.prisma, ids[username], "credentials");
    return `next-auth.session-token=${await encode({ token: { sub: ids[username], sid, username }, secret: process.env.NEXTAUTH_SECRET! })}`;
  }
  async function call(
    rel: string,
    cookie: string,
    o: { method?: string; params?: Record<string, string>; body?: unknown } = {},
  ) {
    const mod = (await import(path.resolve("app/api", rel, "route.ts"))) as Record<
      string,
      (r: NextRequest, c: { params: Promise<Record<string, string>> }) => Promise<Response>
    >;
    const init = {
      method: o.method ?? "GET",
      headers: { cookie, "x-forwarded-for": "10.4.4.4", "content-type": "application/json" },
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    };
    return mod[o.method ?? "GET"](new NextRequest(`http://localhost/api/${rel}`, init), {
      params: Promise.resolve(o.params ?? {}),
    });
  }
  const reset = (cookie: string, userId: string, body: unknown = {}) =>
    call("users/[userId]/password", cookie, { method: "POST", params: { userId }, body });

  beforeAll(async () => {
    db = await openTestDatabase();
    useDatabase(db);
    for (const [username, role] of [
      ["rad", "radiologist"],
      ["adm", "admin"],
      ["res", "researcher"],
      ["sso", "oncologist"],
    ] as const) {
      ids[username] = (
        await db.prisma.user.create({
          data: { username, displayName: username, role, passwordHash: await hashPassword(OLD) },
        })
      ).id;
    }
    await db.prisma.externalIdentity.create({
      data: { issuer: "https://idp.example", subject: "s-1", userId: ids.sso },
    });
  });
  afterAll(async () => db?.close());

  it("gives a working random password, ends the old one and the account's sessions, and is audited", async () => {
    const radCookie = await cookieOf("rad");
    expect((await call("patients", radCookie)).status).toBe(200);
    const adm = await cookieOf("adm");
    const res = await reset(adm, ids.rad);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { username: string; password: string; generated: boolean };
    expect(body).toMatchObject({ username: "rad", generated: true });
    expect(body.password.length).toBeGreaterThanOrEqual(16);
    expect(await verifyCredentials(db.prisma, "rad", body.password, "10.4.4.4")).toMatchObject({ username: "rad" });
    expect(await verifyCredentials(db.prisma, "rad", OLD, "10.4.4.4")).toBeNull();
    expect((await call("patients", radCookie)).status).toBe(401);
    const row = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "user.password_reset", targetId: ids.rad },
    });
    expect(row).toMatchObject({ userId: ids.adm, username: "adm", targetType: "user", sourceAddress: "10.4.4.4" });
    expect(row.details).toEqual({ account: "rad", generated: true });
    expect(JSON.stringify(row)).not.toContain(body.password);
    // the Users page's administrator still works: only the target's sessions ended
    expect((await call("users", adm)).status).toBe(200);
  });

  it("takes a given password of at least 12 characters", async () => {
    const adm = await cookieOf("adm");
    expect((await reset(adm, ids.rad, { password: "chosen-password-1" })).status).toBe(200);
    expect(await verifyCredentials(db.prisma, "rad", "chosen-password-1", "10.4.4.4")).toMatchObject({
      username: "rad",
    });
    const short = await reset(adm, ids.rad, { password: "short" });
    expect(short.status).toBe(400);
    expect((await reset(adm, ids.rad, { password: "x".repeat(20), role: "admin" })).status).toBe(400);
  });

  it("is refused to non-administrators, for one's own account, for single sign-on accounts and unknown ones", async () => {
    const before = await db.prisma.auditEvent.count({ where: { action: "user.password_reset" } });
    const res = await cookieOf("res");
    expect((await reset(res, ids.rad)).status).toBe(403);
    expect((await reset(await cookieOf("rad"), ids.res)).status).toBe(403);
    const adm = await cookieOf("adm");
    const self = await reset(adm, ids.adm);
    expect(self.status).toBe(409);
    const sso = await reset(adm, ids.sso);
    expect(sso.status).toBe(409);
    expect(((await sso.json()) as { error: { message: string } }).error.message).toMatch(/single sign-on/);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: ids.sso } })).passwordHash).not.toBe("");
    expect(await verifyCredentials(db.prisma, "sso", OLD, "10.4.4.4")).toMatchObject({ username: "sso" }); // unchanged
    expect((await reset(adm, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect(await db.prisma.auditEvent.count({ where: { action: "user.password_reset" } })).toBe(before);
  });
});
