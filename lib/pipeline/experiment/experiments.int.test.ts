import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/database";
import { openTestDatabase, testBackend } from "../../db/test-database";
import { parseExperimentTable, runExperiment } from "../../experiments";
import { QUICK_PROTOCOL, syntheticExperimentCsv } from "../../experiments/testdata/synthetic-table";
import { FileStore } from "../../storage/file-store";
import {
  childProcessCompute,
  drainExperimentJobs,
  executeExperimentJob,
  inProcessCompute,
  submitExperiment,
} from "./job";
import { getExperiment, listExperiments } from "./experiments";

describe(`experiments stored and run as jobs (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let dir: string;
  const actor = { id: null, username: "tester" };
  const csv = syntheticExperimentCsv({ rows: 48 });
  const bytes = new TextEncoder().encode(csv);
  const config = {
    name: "stored",
    featureSets: [{ extractor: "handcrafted", clinical: true }, { extractor: "resnet10" }],
    endpoints: ["pCR"],
    protocol: QUICK_PROTOCOL,
  };

  beforeAll(async () => {
    db = await openTestDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "nac-exp-int-"));
    store = new FileStore(dir);
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores the configuration, table hash and engine versions; the stored runs equal a fresh run; re-running gives the same numbers", async () => {
    const deps = { prisma: db.prisma, store };
    const a = await submitExperiment(deps, { tableBytes: bytes, configInput: config, source: "file t.csv", actor });
    const exp0 = await db.prisma.experiment.findUniqueOrThrow({ where: { id: a.experimentId } });
    expect(exp0.status).toBe("queued");
    expect(exp0.tableSha256).toBe(parseExperimentTable(csv).sha256);
    expect(await store.exists(exp0.tableStorageKey)).toBe(true);
    expect(exp0.engineVersions).toMatchObject({ experiments: "1" });
    expect((exp0.config as { protocol: { partitions: number } }).protocol.partitions).toBe(4);
    expect(await executeExperimentJob(deps, a.jobId, inProcessCompute(1))).toBe("succeeded");
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: a.jobId } });
    expect([job.status, job.progress]).toEqual(["succeeded", 1]);

    const stored = await getExperiment(deps, a.experimentId, actor);
    expect(stored.status).toBe("succeeded");
    expect(stored.runs.map((r) => r.featureSet)).toEqual(["handcrafted.all.both+clinical", "resnet10.all.both"]);
    const fresh = await runExperiment(parseExperimentTable(csv), config);
    const strip = (runs: typeof fresh.runs) => runs.map((r) => ({ ...r, elapsedMs: 0 }));
    expect(strip(stored.runs)).toEqual(strip(fresh.runs));

    // Second submission of the same table and config: a new experiment, identical numbers, one stored table file.
    const b = await submitExperiment(deps, { tableBytes: bytes, configInput: config, source: "file t.csv", actor });
    await drainExperimentJobs(deps, inProcessCompute(1));
    const again = await getExperiment(deps, b.experimentId, actor);
    expect(strip(again.runs)).toEqual(strip(stored.runs));
    expect((await store.list("experiments/tables")).length).toBe(1);
    expect((await listExperiments(deps)).map((e) => e.id)).toEqual(
      expect.arrayContaining([a.experimentId, b.experimentId]),
    );
    const views = await db.prisma.auditEvent.count({ where: { action: "experiment.view", targetId: a.experimentId } });
    expect(views).toBe(1);
  });

  it("an invalid table or config is refused before any row exists; a failing computation marks job and experiment failed", async () => {
    const deps = { prisma: db.prisma, store };
    const jobs0 = await db.prisma.job.count();
    await expect(
      submitExperiment(deps, {
        tableBytes: new TextEncoder().encode("id,x\n1,2\n"),
        configInput: config,
        source: "x",
        actor,
      }),
    ).rejects.toThrow(/patient_id/);
    await expect(
      submitExperiment(deps, {
        tableBytes: bytes,
        configInput: { featureSets: [{ extractor: "resnet50" }] },
        source: "x",
        actor,
      }),
    ).rejects.toThrow(/selects no column/);
    await expect(
      submitExperiment(deps, { tableBytes: bytes, configInput: { protocol: { partitions: 0 } }, source: "x", actor }),
    ).rejects.toThrow(/SETTINGS|partitions/);
    expect(await db.prisma.job.count()).toBe(jobs0);

    const s = await submitExperiment(deps, { tableBytes: bytes, configInput: config, source: "x", actor });
    const status = await executeExperimentJob(deps, s.jobId, async () => {
      throw new Error("boom");
    });
    expect(status).toBe("failed");
    const e = await db.prisma.experiment.findUniqueOrThrow({ where: { id: s.experimentId } });
    expect([e.status, e.error]).toEqual(["failed", "INTERNAL: boom"]);
    expect(await db.prisma.experimentResult.count({ where: { experimentId: s.experimentId } })).toBe(0);
  });

  it("the server's child-process computation gives the same numbers as in-process", async () => {
    const deps = { prisma: db.prisma, store };
    const s = await submitExperiment(deps, {
      tableBytes: bytes,
      configInput: { ...config, featureSets: [{ extractor: "resnet34" }] },
      source: "x",
      actor,
    });
    const progress: number[] = [];
    const compute = childProcessCompute({ workers: 1 });
    expect(
      await executeExperimentJob(deps, s.jobId, (i, p) => compute(i, (d, n, w) => (progress.push(d), p(d, n, w)))),
    ).toBe("succeeded");
    expect(progress.at(-1)).toBe(1);
    const child = await getExperiment(deps, s.experimentId, actor);
    const fresh = await runExperiment(parseExperimentTable(csv), {
      ...config,
      featureSets: [{ extractor: "resnet34" }],
    });
    expect(child.runs.map((r) => r.metrics)).toEqual(fresh.runs.map((r) => r.metrics));
    expect(child.runs.map((r) => r.partitions)).toEqual(fresh.runs.map((r) => r.partitions));
  });
});
