import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../../generated/prisma/client";
import type { ServerConfig } from "../config/server-config";
import { migrate } from "./migrate";
import { PgliteExecutor, PostgresExecutor, splitSchema, type SqlExecutor } from "./sql-executor";

export type { PrismaClient };

/** An open database: the typed Prisma client plus the raw executor it runs on (PGlite) or beside (PostgreSQL). */
export interface Database {
  prisma: PrismaClient;
  kind: "pglite" | "postgres";
  /** The PostgreSQL schema holding NACpredict's tables. */
  schema: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations first (start-up, CLI, tests). */
  migrate?: boolean;
}

/**
 * Opens the configured backend. Embedded: PGlite persisted in `embeddedDbDir` (one process at a time may open it:
 * Postgres' single-user wasm build has no shared-memory server). Server: `DATABASE_URL`.
 */
export async function openDatabase(
  config: Pick<ServerConfig, "databaseUrl" | "embeddedDbDir">,
  options: OpenOptions = {},
): Promise<Database> {
  if (config.databaseUrl) {
    if (options.migrate) {
      const admin = await PostgresExecutor.open(config.databaseUrl);
      try {
        await migrate(admin);
      } finally {
        await admin.close();
      }
    }
    const { connectionString, schema } = splitSchema(config.databaseUrl);
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString }, schema ? { schema } : undefined) });
    return { prisma, kind: "postgres", schema: schema ?? "public", close: () => prisma.$disconnect() };
  }
  const exec = await PgliteExecutor.open(config.embeddedDbDir);
  if (options.migrate) await migrate(exec);
  return wrapPglite(exec);
}

/** In-memory embedded database, migrated: for tests. */
export async function openMemoryDatabase(): Promise<Database & { exec: SqlExecutor }> {
  const exec = await PgliteExecutor.open(undefined);
  await migrate(exec);
  return { ...wrapPglite(exec), exec };
}

function wrapPglite(exec: PgliteExecutor): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(exec.db) });
  return {
    prisma,
    kind: "pglite",
    schema: "public",
    // PGlite must be closed explicitly: the process stays alive after $disconnect() otherwise.
    close: async () => {
      await prisma.$disconnect();
      await exec.close();
    },
  };
}
