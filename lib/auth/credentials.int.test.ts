import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { THROTTLE, verifyCredentials } from "./credentials";
import { DEMO_ACCOUNTS, enabledDemoAccounts, ensureDemoAccounts } from "./demo-accounts";

// Counts bcrypt comparisons: an unknown username must cost one too (equal timing, no user enumeration).
const compared = vi.hoisted(() => ({ n: 0 }));
vi.mock("./password", async (importOriginal) => {
  const real = await importOriginal<typeof import("./password")>();
  return { ...real, verifyPassword: async (p: string, h: string) => (compared.n++, real.verifyPassword(p, h)) };
});

describe(`sign-in checks (${testBackend()})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  it("creates the demo accounts once, with hashed passwords", async () => {
    expect(await ensureDemoAccounts(db.prisma)).toEqual(DEMO_ACCOUNTS.map((a) => a.username));
    expect(await ensureDemoAccounts(db.prisma)).toEqual([]);
    const u = await db.prisma.user.findUniqueOrThrow({ where: { username: "radiologist" } });
    expect(u.passwordHash).toMatch(/^\$2[aby]\$10\$/);
    expect(u.passwordHash).not.toContain("radiologist-demo");
  });

  it("accepts the right password, refuses a wrong one or an unknown user, and audits each attempt", async () => {
    const ok = await verifyCredentials(db.prisma, "radiologist", "radiologist-demo");
    expect(ok).toMatchObject({ username: "radiologist", role: "radiologist" });
    expect(await verifyCredentials(db.prisma, "radiologist", "wrong")).toBeNull();
    expect(await verifyCredentials(db.prisma, "nobody", "x")).toBeNull();
    const events = await db.prisma.auditEvent.findMany({ orderBy: { at: "asc" } });
    expect(events.map((e) => [e.action, e.username, e.outcome])).toEqual([
      ["auth.sign_in", "radiologist", "ok"],
      ["auth.sign_in_failed", "radiologist", "denied"],
      ["auth.sign_in_failed", "nobody", "denied"],
    ]);
  });

  it("refuses a disabled account", async () => {
    await db.prisma.user.update({ where: { username: "oncologist" }, data: { disabledAt: new Date() } });
    expect(await verifyCredentials(db.prisma, "oncologist", "oncologist-demo")).toBeNull();
  });

  it("compares a password for an unknown user too, and records the source address", async () => {
    compared.n = 0;
    expect(await verifyCredentials(db.prisma, "no-such-user", "x", "192.0.2.7")).toBeNull();
    expect(compared.n).toBe(1);
    const e = await db.prisma.auditEvent.findFirstOrThrow({ where: { username: "no-such-user" } });
    expect([e.action, e.sourceAddress]).toEqual(["auth.sign_in_failed", "192.0.2.7"]);
  });

  it("throttles an account after repeated failures, even with the right password, without touching other accounts", async () => {
    for (let i = 0; i < THROTTLE.accountMaxFailures; i++)
      expect(await verifyCredentials(db.prisma, "researcher", "guess" + i, `198.51.100.${i}`)).toBeNull();
    expect(await verifyCredentials(db.prisma, "researcher", "researcher-demo", "198.51.100.99")).toBeNull();
    const last = await db.prisma.auditEvent.findFirstOrThrow({
      where: { username: "researcher" },
      orderBy: { at: "desc" },
    });
    expect((last.details as { reason: string }).reason).toMatch(/throttled: .*account/);
    expect(await verifyCredentials(db.prisma, "admin", "admin-demo", "198.51.100.99")).toMatchObject({
      username: "admin",
    });
    // after the window the account signs in again
    const later = new Date(Date.now() + THROTTLE.windowMs + 1000);
    expect(await verifyCredentials(db.prisma, "researcher", "researcher-demo", "198.51.100.99", later)).toMatchObject({
      username: "researcher",
    });
  });

  it("throttles a source address that tries many accounts", async () => {
    for (let i = 0; i < THROTTLE.addressMaxFailures; i++)
      await verifyCredentials(db.prisma, `spray-${i}`, "x", "203.0.113.5");
    expect(await verifyCredentials(db.prisma, "admin", "admin-demo", "203.0.113.5")).toBeNull();
    expect(await verifyCredentials(db.prisma, "admin", "admin-demo", "203.0.113.6")).toMatchObject({
      username: "admin",
    });
  });

  it("never re-creates a deleted demo account, and reports the enabled ones that keep their published password", async () => {
    expect(await enabledDemoAccounts(db.prisma)).toEqual(
      expect.arrayContaining(["admin", "radiologist", "researcher"]),
    );
    expect(await enabledDemoAccounts(db.prisma)).not.toContain("oncologist"); // disabled above
    await db.prisma.authSession.deleteMany({});
    await db.prisma.user.delete({ where: { username: "researcher" } });
    expect(await ensureDemoAccounts(db.prisma)).toEqual([]);
    expect(await db.prisma.user.findUnique({ where: { username: "researcher" } })).toBeNull();
  });
});
