import { readServerConfig } from "../config/server-config";
import { openDatabase, type Database } from "./database";

/**
 * The one database handle of a server process. Kept on globalThis so Next's dev-mode module reloading does not open
 * the embedded database twice (PGlite allows one opener per data directory). Migrations are applied by the start
 * command before the server starts, not here.
 */
const g = globalThis as unknown as { __nacDb?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  g.__nacDb ??= openDatabase(readServerConfig());
  return g.__nacDb;
}

export async function getPrisma() {
  return (await getDatabase()).prisma;
}

/** Install the process's database (workers, CLI, integration tests that call route handlers in-process). */
export function useDatabase(db: Database): void {
  g.__nacDb = Promise.resolve(db);
}
