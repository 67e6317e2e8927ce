import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openDatabase } from "./database";
import { PostgresExecutor } from "./sql-executor";
import { testBackend, testPostgresUrl, withSearchPath } from "./test-database";

/**
 * Issue 15 item 11: the README's PostgreSQL start with `?schema=name` on a fresh database failed with "no schema has
 * been selected to create in"; the schema is now created by the first migration. (PostgreSQL only: PGlite has no
 * `?schema=`.)
 */
describe(`a fresh ?schema= is created on first start (${testBackend()})`, () => {
  it.runIf(testBackend() === "postgres")("migrates into a schema that does not exist yet", async () => {
    const schema = `nac_fresh_${randomBytes(4).toString("hex")}`;
    const url = withSearchPath(testPostgresUrl(), schema);
    const db = await openDatabase({ databaseUrl: url, embeddedDbDir: "" }, { migrate: true });
    try {
      expect(await db.prisma.patient.count()).toBe(0);
    } finally {
      await db.close();
      const admin = await PostgresExecutor.open(testPostgresUrl());
      const rows = await admin.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = $1`,
        [schema],
      );
      await admin.exec(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.close();
      expect(Number(rows[0].n)).toBeGreaterThan(5);
    }
  });
});
