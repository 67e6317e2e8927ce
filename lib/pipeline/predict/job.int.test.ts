import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/database";
import { openTestDatabase, testBackend } from "../../db/test-database";
import { PostgresExecutor } from "../../db/sql-executor";
import { InProcessQueue } from "../../jobs/in-process-queue";
import { PgBossQueue } from "../../jobs/pg-boss-queue";
import type { JobQueue } from "../../jobs/queue";
import { JobRegistry } from "../../jobs/registry";
import { FileStore } from "../../storage/file-store";
import { PREDICT_JOB, predictViaQueue, registerPredictJob } from "./job";

/**
 * Predict through the queue: the request's error comes back with its code from the worker, a job delivered twice runs
 * once, and the jobs row records the outcome. (The prediction itself is predictPatient, tested in predict.int.test.ts.)
 */
describe(`predict on the job queue (${testBackend()})`, () => {
  let db: Database & { url?: string };
  let queue: JobQueue;
  let user: { id: string; username: string };
  const bossSchema = `nac_boss_p_${process.pid}_${Date.now().toString(36)}`;

  beforeAll(async () => {
    db = await openTestDatabase();
    const store = new FileStore(path.join(mkdtempSync(path.join(os.tmpdir(), "nac-predict-job-")), "storage"));
    const registry = new JobRegistry();
    registerPredictJob(registry, { prisma: db.prisma, store });
    queue =
      testBackend() === "postgres"
        ? new PgBossQueue(registry, { connectionString: db.url!, schema: bossSchema, maintenanceIntervalSeconds: 1 })
        : new InProcessQueue(registry);
    await queue.work({ concurrency: 2 });
    const u = await db.prisma.user.create({
      data: { username: "onc", displayName: "Onc", role: "oncologist", passwordHash: "x" },
    });
    user = { id: u.id, username: u.username };
  });
  afterAll(async () => {
    await queue?.stop({ graceful: false });
    if (testBackend() === "postgres") {
      const a = await PostgresExecutor.open(db.url!.replace(/\?.*$/, ""));
      await a.exec(`DROP SCHEMA IF EXISTS "${bossSchema}" CASCADE`);
      await a.close();
    }
    await db?.close();
  });

  it("returns the worker's error with its stable code and records the failed job", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    await expect(
      predictViaQueue({ prisma: db.prisma }, queue, missing, user, { timeoutMs: 60_000 }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/NOT_FOUND/) });
    const jobs = await db.prisma.job.findMany({ where: { kind: PREDICT_JOB } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: "failed", userId: user.id });
    expect(JSON.parse(jobs[0].error!).code).toMatch(/NOT_FOUND/);
  });

  it("runs a job delivered twice only once", async () => {
    const row = await db.prisma.job.create({
      data: { kind: PREDICT_JOB, payload: { patientId: "00000000-0000-4000-8000-000000000001" }, userId: user.id },
    });
    await queue.send(PREDICT_JOB, [{ jobId: row.id }, { jobId: row.id }]);
    for (let i = 0; i < 120; i++) {
      if ((await db.prisma.job.findUniqueOrThrow({ where: { id: row.id } })).status === "failed") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const j = await db.prisma.job.findUniqueOrThrow({ where: { id: row.id } });
    expect(j.status).toBe("failed");
    // a second run would have overwritten finishedAt after the first: it was claimed once
    expect(j.startedAt).not.toBeNull();
    expect(await db.prisma.job.count({ where: { kind: PREDICT_JOB } })).toBe(2);
  });
});
