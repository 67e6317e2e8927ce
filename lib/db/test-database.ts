import { randomBytes } from "node:crypto";
import { openDatabase, openMemoryDatabase, type Database } from "./database";
import { PostgresExecutor } from "./sql-executor";

/**
 * A fresh, migrated database for one integration test file, on the backend chosen by NAC_TEST_DB:
 * "pglite" (default): in-memory embedded database; "postgres": a private schema on NAC_TEST_POSTGRES_URL
 * (dropped on close), so parallel runs and leftovers never collide.
 */
export function testBackend(): "pglite" | "postgres" {
  return process.env.NAC_TEST_DB === "postgres" ? "postgres" : "pglite";
}

export function testPostgresUrl(): string {
  return process.env.NAC_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
}

export async function openTestDatabase(): Promise<Database & { url?: string }> {
  if (testBackend() === "pglite") return openMemoryDatabase();
  const schema = `nac_it_${randomBytes(5).toString("hex")}`;
  const base = testPostgresUrl();
  const admin = await PostgresExecutor.open(base);
  await admin.exec(`CREATE SCHEMA "${schema}"`);
  await admin.close();
  const url = withSearchPath(base, schema);
  const db = await openDatabase({ databaseUrl: url, embeddedDbDir: "" }, { migrate: true });
  return {
    ...db,
    url,
    close: async () => {
      await db.close();
      const a = await PostgresExecutor.open(base);
      await a.exec(`DROP SCHEMA "${schema}" CASCADE`);
      await a.close();
    },
  };
}

export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("schema", schema);
  return u.toString();
}
