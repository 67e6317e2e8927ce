import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { verifyCredentials } from "./credentials";
import { DEMO_ACCOUNTS, ensureDemoAccounts } from "./demo-accounts";

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
});
