import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readServerConfig } from "../lib/config/server-config";
import type { Database } from "../lib/db/database";
import { openTestDatabase, testBackend } from "../lib/db/test-database";
import { ensureDemoAccounts } from "../lib/auth/demo-accounts";
import { prepareDeployment } from "./start-prepare";

/** Issue 16 item 3: demo accounts only when asked for, passwords printed once, a warning on every start while enabled. */
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe(`start: demo-account policy (${testBackend()})`, () => {
  let db: Database;
  const storageDir = mkdtempSync(path.join(os.tmpdir(), "nac-start-"));
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  it("demo content is the embedded default's only: a DATABASE_URL without NAC_DEMO asks for none", () => {
    expect(readServerConfig(env({})).seedDemo).toBe(true);
    expect(readServerConfig(env({ DATABASE_URL: "postgresql://h/db" })).seedDemo).toBe(false);
    expect(readServerConfig(env({ DATABASE_URL: "postgresql://h/db", NAC_DEMO: "1" })).seedDemo).toBe(true);
    expect(readServerConfig(env({ NAC_DEMO: "0" })).seedDemo).toBe(false);
  });

  it("a start that does not ask for demo content creates no account and prints no password", async () => {
    const lines: string[] = [];
    const r = await prepareDeployment(
      db,
      { seedDemo: readServerConfig(env({ DATABASE_URL: "postgresql://h/db" })).seedDemo, storageDir },
      { log: (l) => lines.push(l) },
    );
    expect(r.demoAccountsCreated).toEqual([]);
    expect(await db.prisma.user.count()).toBe(0);
    expect(lines.join("\n")).not.toMatch(/password|demo/i);
  });

  it("prints the passwords only in the start that created the accounts, and warns on every start while one is enabled", async () => {
    const first: string[] = [];
    await prepareDeployment(db, { seedDemo: true, storageDir }, { log: (l) => first.push(l) });
    expect(first.join("\n")).toContain("admin-demo");
    expect(first.join("\n")).toMatch(/WARNING: demo account\(s\) .*admin/);
    const second: string[] = [];
    await prepareDeployment(db, { seedDemo: false, storageDir }, { log: (l) => second.push(l) });
    expect(second.join("\n")).not.toContain("admin-demo");
    expect(second.join("\n")).toMatch(/WARNING: demo account\(s\)/);
    // disabled: no warning; deleted: not re-created
    await db.prisma.user.updateMany({ data: { disabledAt: new Date() } });
    const third: string[] = [];
    expect(
      (await prepareDeployment(db, { seedDemo: true, storageDir }, { log: (l) => third.push(l) })).demoAccountsEnabled,
    ).toEqual([]);
    expect(third.join("\n")).not.toMatch(/WARNING/);
    await db.prisma.user.deleteMany({});
    expect(await ensureDemoAccounts(db.prisma)).toEqual([]);
  });
});
