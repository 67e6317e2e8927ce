import { afterEach, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "./migrate";
import { PgliteExecutor, PostgresExecutor, type SqlExecutor } from "./sql-executor";
import { testBackend, testPostgresUrl, withSearchPath } from "./test-database";
import { randomBytes } from "node:crypto";

async function freshExecutor(): Promise<{ exec: SqlExecutor; cleanup: () => Promise<void> }> {
  if (testBackend() === "pglite") {
    const exec = await PgliteExecutor.open(undefined);
    return { exec, cleanup: () => exec.close() };
  }
  const schema = `nac_mig_${randomBytes(4).toString("hex")}`;
  const admin = await PostgresExecutor.open(testPostgresUrl());
  await admin.exec(`CREATE SCHEMA "${schema}"`);
  const exec = await PostgresExecutor.open(withSearchPath(testPostgresUrl(), schema));
  return {
    exec,
    cleanup: async () => {
      await exec.close();
      await admin.exec(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.close();
    },
  };
}

describe(`migration runner (${testBackend()})`, () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it("applies every migration once and is idempotent", async () => {
    const f = await freshExecutor();
    cleanup = f.cleanup;
    const all = await readMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect((await migrate(f.exec)).applied).toEqual(all.map((m) => m.name));
    expect((await migrate(f.exec)).applied).toEqual([]);
    const rows = await f.exec.query<{ n: string }>(`SELECT count(*)::text AS n FROM "_nac_migrations"`);
    expect(rows[0].n).toBe(String(all.length));
  });

  it("refuses a migration whose SQL changed after it was applied", async () => {
    const f = await freshExecutor();
    cleanup = f.cleanup;
    const all = await readMigrations();
    await migrate(f.exec, all);
    const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    await expect(migrate(f.exec, edited)).rejects.toMatchObject({ code: "MIGRATION_FAILED" });
  });

  it("rolls back a failing migration entirely", async () => {
    const f = await freshExecutor();
    cleanup = f.cleanup;
    const bad = [{ name: "0001_bad", checksum: "x", sql: `CREATE TABLE t_ok (a int); CREATE TABLE t_ok (a int);` }];
    await expect(migrate(f.exec, bad)).rejects.toMatchObject({ code: "MIGRATION_FAILED" });
    const t = await f.exec.query(
      `SELECT 1 FROM information_schema.tables WHERE table_name = 't_ok' AND table_schema = current_schema()`,
    );
    expect(t).toEqual([]);
    expect(await f.exec.query(`SELECT * FROM "_nac_migrations"`)).toEqual([]);
  });
});
