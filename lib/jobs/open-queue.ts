import { InProcessQueue } from "./in-process-queue";
import { PgBossQueue } from "./pg-boss-queue";
import type { JobQueue } from "./queue";
import type { JobRegistry } from "./registry";

/**
 * The queue of a deployment: pg-boss when the database is a PostgreSQL server (workers anywhere that reach it),
 * otherwise the in-process runner (the embedded database admits one process). pg-boss keeps its tables in the schema
 * NAC_QUEUE_SCHEMA (default "pgboss"), beside NACpredict's.
 */
export function openQueue(
  config: { databaseUrl?: string },
  registry: JobRegistry,
  o: { schema?: string; maintenanceIntervalSeconds?: number } = {},
): JobQueue {
  if (!config.databaseUrl)
    return new InProcessQueue(registry, (kind, e) =>
      process.stderr.write(`job ${kind} failed: ${(e as Error).message}\n`),
    );
  return new PgBossQueue(registry, {
    connectionString: config.databaseUrl,
    schema: o.schema ?? process.env.NAC_QUEUE_SCHEMA ?? "pgboss",
    maintenanceIntervalSeconds:
      o.maintenanceIntervalSeconds ?? (Number(process.env.NAC_QUEUE_MAINTENANCE_SECONDS) || undefined),
  });
}
