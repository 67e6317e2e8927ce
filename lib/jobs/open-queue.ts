import { InProcessQueue } from "./in-process-queue";
import { PgBossQueue } from "./pg-boss-queue";
import type { JobQueue } from "./queue";
import type { JobRegistry } from "./registry";

/**
 * The queue of a deployment: pg-boss when the database is a PostgreSQL server (workers anywhere that reach it),
 * otherwise the in-process runner (the embedded database admits one process). pg-boss keeps its tables in the schema
 * NAC_QUEUE_SCHEMA, by default one per NACpredict schema (queueSchemaFor).
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
    schema: o.schema ?? (process.env.NAC_QUEUE_SCHEMA || queueSchemaFor(config.databaseUrl)),
    maintenanceIntervalSeconds:
      o.maintenanceIntervalSeconds ?? (Number(process.env.NAC_QUEUE_MAINTENANCE_SECONDS) || undefined),
  });
}

/**
 * pg-boss' schema for a database URL: "pgboss" for NACpredict in the default schema, "<schema>_pgboss" when the URL
 * names another (`?schema=`), so that two installations sharing one database never take each other's jobs (a worker
 * of one would look for the other's items in its own tables).
 */
export function queueSchemaFor(databaseUrl: string): string {
  const schema = new URL(databaseUrl).searchParams.get("schema");
  return !schema || schema === "public" ? "pgboss" : `${schema}_pgboss`;
}
