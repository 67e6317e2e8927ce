import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { NacError } from "../errors";
import type { SqlExecutor } from "./sql-executor";

/**
 * Applies the versioned SQL migrations in prisma/migrations/<NNNN_name>/migration.sql, in name order, each in its own
 * transaction, recording name + sha256 in `_nac_migrations`.
 *
 * Why not Prisma Migrate: its engine is a native binary downloaded from Prisma's servers, impossible offline and in
 * air-gapped hospitals. Why not node-pg-migrate/postgres-migrations: both need a `pg` connection, and the embedded
 * default is PGlite, which is not one. The runner is small and the same code path serves both backends.
 * An applied migration whose file changed is an error (never silently re-run or skip altered SQL).
 */
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await fs.readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && /^\d{4}_[a-z0-9_]+$/.test(d.name))
    .map((d) => d.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await fs.readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

const LOCK_KEY = 7_462_015; // arbitrary constant: serialises concurrent migrators on one PostgreSQL server

export async function migrate(db: SqlExecutor, migrations?: Migration[]): Promise<{ applied: string[] }> {
  const all = migrations ?? (await readMigrations());
  await db.exec(`CREATE TABLE IF NOT EXISTS "_nac_migrations" (
    "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  for (const m of all) {
    try {
      await db.exec(`BEGIN; SELECT pg_advisory_xact_lock(${LOCK_KEY});`);
      const rows = await db.query<{ checksum: string }>(`SELECT checksum FROM "_nac_migrations" WHERE name = $1`, [
        m.name,
      ]);
      if (rows.length) {
        await db.exec("COMMIT");
        if (rows[0].checksum !== m.checksum) {
          throw new NacError(
            "MIGRATION_FAILED",
            `migration ${m.name} was changed after it was applied (checksum differs)`,
          );
        }
        continue;
      }
      await db.exec(m.sql);
      await db.query(`INSERT INTO "_nac_migrations" (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
      await db.exec("COMMIT");
      applied.push(m.name);
    } catch (e) {
      await db.exec("ROLLBACK").catch(() => undefined);
      if (e instanceof NacError) throw e;
      throw new NacError("MIGRATION_FAILED", `migration ${m.name} failed: ${(e as Error).message}`, undefined, {
        cause: e,
      });
    }
  }
  return { applied };
}
