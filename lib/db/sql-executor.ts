import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/**
 * The few raw-SQL operations the migration runner and schema checks need, over either backend:
 * PGlite (embedded Postgres in wasm, in-process) or a PostgreSQL server through `pg`.
 */
export interface SqlExecutor {
  readonly kind: "pglite" | "postgres";
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Run several statements (no parameters). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export class PgliteExecutor implements SqlExecutor {
  readonly kind = "pglite" as const;
  constructor(readonly db: PGlite) {}

  static async open(dir: string | undefined): Promise<PgliteExecutor> {
    // undefined dir = in-memory database (tests).
    if (dir) mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
    const db = dir ? new PGlite(dir) : new PGlite();
    await db.waitReady;
    return new PgliteExecutor(db);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }
  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }
  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

/** One dedicated connection (not a pool), so BEGIN ... COMMIT issued through `exec` share a session. */
export class PostgresExecutor implements SqlExecutor {
  readonly kind = "postgres" as const;
  constructor(readonly client: pg.Client) {}

  static async open(url: string): Promise<PostgresExecutor> {
    const { connectionString, schema } = splitSchema(url);
    const client = new pg.Client({ connectionString, options: schema ? `-c search_path="${schema}"` : undefined });
    await client.connect();
    // A `?schema=` that does not exist yet is created (a fresh deployment), not an error at the first CREATE TABLE
    // ("no schema has been selected to create in"); an existing one needs no CREATE privilege on the database.
    if (schema && !(await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).rowCount) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    }
    return new PostgresExecutor(client);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query(sql, params)).rows as T[];
  }
  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }
  async close(): Promise<void> {
    await this.client.end();
  }
}

/**
 * `?schema=name` in a PostgreSQL URL (Prisma's convention) selects the schema; `pg` does not understand the parameter,
 * so it is split off and applied as the search path / Prisma adapter option.
 */
export function splitSchema(url: string): { connectionString: string; schema?: string } {
  const u = new URL(url);
  const schema = u.searchParams.get("schema") ?? undefined;
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema))
    throw new Error(`invalid schema name in DATABASE_URL: ${schema}`);
  u.searchParams.delete("schema");
  return { connectionString: u.toString(), schema };
}
