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
    const client = new pg.Client({ connectionString: url });
    await client.connect();
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
