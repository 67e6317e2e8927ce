import { afterAll, describe, expect, it } from "vitest";
import { PostgresExecutor } from "../db/sql-executor";
import { testBackend, testPostgresUrl } from "../db/test-database";
import { PgBossQueue } from "./pg-boss-queue";
import { JobRegistry } from "./registry";

const KINDS = ["extract-block", "predict", "experiment"];

function registry(done: (kind: string, payload: unknown) => void): JobRegistry {
  const r = new JobRegistry();
  for (const kind of KINDS) r.register(kind, async (payload) => done(kind, payload), { retryLimit: 0 });
  return r;
}

/**
 * Worker machines started at the same moment on a fresh queue schema (the first run of a site, or every worker after a
 * reboot): pg-boss creates each queue outside its advisory lock, and PostgreSQL broke the resulting deadlock by killing
 * one worker at start ("deadlock detected"). Every process must start and the queue must then work.
 */
describe.runIf(testBackend() === "postgres")("pg-boss queue, several processes starting at once", () => {
  const schemas: string[] = [];
  afterAll(async () => {
    const admin = await PostgresExecutor.open(testPostgresUrl());
    for (const s of schemas) await admin.exec(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await admin.close();
  });

  it("starts six workers at once on a fresh schema, three times, and each job runs once", async () => {
    for (let round = 0; round < 3; round++) {
      const schema = `nac_boss_start_${process.pid}_${round}`;
      schemas.push(schema);
      const seen: string[] = [];
      const queues = Array.from(
        { length: 6 },
        () =>
          new PgBossQueue(
            registry((kind, payload) => seen.push(`${kind}:${(payload as { n: number }).n}`)),
            { connectionString: testPostgresUrl(), schema, maintenanceIntervalSeconds: 1 },
          ),
      );
      try {
        const started = await Promise.allSettled(queues.map((q) => q.work({ concurrency: 1 })));
        expect(
          started.filter((s) => s.status === "rejected").map((s) => String((s as PromiseRejectedResult).reason)),
        ).toEqual([]);
        await queues[0].send("predict", [{ n: 1 }, { n: 2 }]);
        for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
        expect(seen.sort()).toEqual(["predict:1", "predict:2"]);
      } finally {
        await Promise.all(queues.map((q) => q.stop({ graceful: false })));
      }
    }
  });
});
