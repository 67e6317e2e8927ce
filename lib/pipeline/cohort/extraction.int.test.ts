import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseSpecFor, type CohortExtractor, type ExtractionSpec } from "../../cohort/extraction-spec";
import { featureTableCsv, type FeatureTableRow } from "../../cohort/feature-table";
import type { Database } from "../../db/database";
import { openTestDatabase, testBackend } from "../../db/test-database";
import { PostgresExecutor } from "../../db/sql-executor";
import { checkpointBytes } from "../../deep/testdata/fixtures";
import { closeEncoders, openEncoder } from "../../deep/node/encoder";
import { importMedicalNet } from "../../deep/node/model-store";
import { InProcessQueue } from "../../jobs/in-process-queue";
import { PgBossQueue } from "../../jobs/pg-boss-queue";
import type { JobQueue } from "../../jobs/queue";
import { JobRegistry } from "../../jobs/registry";
import { FileStore } from "../../storage/file-store";
import { writeCohort } from "../../synth/node/write-cohort";
import { CLINICAL_ENCODINGS, extractCaseFeatures, type CaseRole, type CaseSeriesInput } from "../case-features";
import { encodeClinical } from "../../clinical/encoding";
import { cohortFeatureTable } from "./features";
import { importCohortFolder } from "./import";
import { ExtractionWorker, extractionProgress, startExtraction } from "./extraction";
import { loadRoiMask } from "../roi";
import { loadSeriesVolume } from "../series-volume";

/**
 * Batch extraction through the queue (in-process runner on PGlite, pg-boss on PostgreSQL) against the same features
 * computed in process without queue or cache: the feature tables must be byte-identical. On PostgreSQL, two `nac worker`
 * processes share a batch (every block computed and stored exactly once, counted in a call log), and one of them is
 * killed with SIGKILL in the middle: the other finishes, nothing stored is recomputed, nothing is lost.
 */
const SEED = "extraction-test";
const SMALL = {
  roles: ["CE_T1", "T2"] as CaseRole[],
  preprocess: { inputSize: [16, 16, 16] as [number, number, number] },
};

describe(`cohort extraction on the queue (${testBackend()})`, () => {
  let db: Database & { url?: string };
  let store: FileStore;
  let tmp: string;
  let modelsDir: string;
  let user: { id: string; username: string };
  const bossSchema = `nac_boss_${process.pid}_${Date.now().toString(36)}`;
  const queues: JobQueue[] = [];

  function makeQueue(hooks = {}): { queue: JobQueue; registry: JobRegistry } {
    const registry = new JobRegistry();
    new ExtractionWorker({ prisma: db.prisma, store, modelsDir }, hooks).register(registry);
    const queue =
      testBackend() === "postgres"
        ? new PgBossQueue(registry, { connectionString: db.url!, schema: bossSchema, maintenanceIntervalSeconds: 1 })
        : new InProcessQueue(registry);
    queues.push(queue);
    return { queue, registry };
  }

  async function waitDone(extractionId: string, timeoutMs: number) {
    const t0 = Date.now();
    for (;;) {
      const p = await extractionProgress(db.prisma, extractionId);
      if (p.queued + p.running === 0) return p;
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`extraction not finished after ${timeoutMs} ms: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    tmp = mkdtempSync(path.join(os.tmpdir(), "nac-extract-"));
    store = new FileStore(path.join(tmp, "storage"));
    modelsDir = path.join(tmp, "models");
    const ck = path.join(tmp, "resnet10_w4.pth");
    writeFileSync(ck, checkpointBytes(10, "zip"));
    importMedicalNet(ck, 10, path.join(modelsDir, "resnet10.onnx"));
    const dir = path.join(tmp, "cohort");
    writeCohort({ patients: 2, seed: SEED, outDir: dir, layout: "cohort", monteCarloPatients: 100 });
    const u = await db.prisma.user.create({
      data: { username: "researcher", displayName: "Res", role: "researcher", passwordHash: "x" },
    });
    user = { id: u.id, username: u.username };
    await importCohortFolder({ prisma: db.prisma, store }, dir, { name: "eq", user });
  }, 600_000); // generating and importing the cohort takes minutes on a loaded 2-core machine
  afterAll(async () => {
    for (const q of queues) await q.stop({ graceful: false }).catch(() => {});
    await closeEncoders();
    if (testBackend() === "postgres") {
      const a = await PostgresExecutor.open(db.url!.replace(/\?.*$/, ""));
      await a.exec(`DROP SCHEMA IF EXISTS "${bossSchema}" CASCADE`);
      await a.close();
    }
    await db?.close();
  });

  /** The same table computed in this process from the stored images and ROIs, without queue or cache. */
  async function inProcessTable(spec: ExtractionSpec): Promise<string> {
    const members = await db.prisma.cohortPatient.findMany({ include: { cohort: true } });
    const rows: FeatureTableRow[] = [];
    const session = await openEncoder("resnet10", { dir: modelsDir });
    for (const m of members.filter((x) => x.cohort.name === "eq")) {
      const p = await db.prisma.patient.findUniqueOrThrow({ where: { id: m.patientId } });
      const series: CaseSeriesInput[] = [];
      for (const role of spec.roles) {
        const s = await db.prisma.series.findFirstOrThrow({ where: { role, study: { patientId: p.id } } });
        const roi = await db.prisma.roi.findFirstOrThrow({ where: { seriesId: s.id }, orderBy: { version: "desc" } });
        series.push({
          role,
          volume: await loadSeriesVolume({ prisma: db.prisma, store }, s.id),
          tumour: (await loadRoiMask({ prisma: db.prisma, store }, roi.id)).mask,
        });
      }
      const values: Record<string, number> = {};
      for (const e of spec.extractors)
        Object.assign(
          values,
          (
            await extractCaseFeatures({ series, clinical: null }, caseSpecFor(spec, e as CohortExtractor), {
              deepSessions: { resnet10: session },
            })
          ).values,
        );
      const c = await db.prisma.clinicalRecord.findFirst({ where: { patientId: p.id }, orderBy: { version: "desc" } });
      Object.assign(
        values,
        encodeClinical(
          c?.values as Record<string, unknown>,
          CLINICAL_ENCODINGS.map((v) => v.name),
        ).values,
      );
      const o = await db.prisma.patientOutcome.findFirst({ where: { patientId: p.id }, orderBy: { version: "desc" } });
      rows.push({ patientId: p.patientKey, values, pcr: o!.pcr as 0 | 1, response: o!.response as 0 | 1 });
    }
    return featureTableCsv(rows).csv;
  }

  it("gives a feature table byte-identical to the in-process extraction; a second run computes nothing", async () => {
    let computed = 0;
    const { queue } = makeQueue({ onComputed: () => computed++ });
    await queue.work({ concurrency: 2 });
    const started = await startExtraction({ prisma: db.prisma, store, modelsDir }, queue, {
      cohort: "eq",
      extractors: ["handcrafted", "resnet10"],
      spec: SMALL,
      user,
    });
    expect(started.total).toBe(2 * 2 * 2 * 2);
    const p = await waitDone(started.extractionId, 600_000);
    expect(p).toMatchObject({ done: 16, failed: 0, absent: 0 });
    expect(computed).toBe(16);
    const viaQueue = (await cohortFeatureTable(db.prisma, "eq", { user })).csv;
    const spec = (await db.prisma.extraction.findUniqueOrThrow({ where: { id: started.extractionId } }))
      .spec as unknown as ExtractionSpec;
    const header = viaQueue.split("\n")[0].split(",");
    for (const prefix of ["CE_T1.intra.", "CE_T1.peri.", "T2.intra.", "T2.peri."]) {
      expect(header.filter((h) => h.startsWith(`${prefix}original_`)).length, prefix).toBe(107);
      expect(header.filter((h) => h.startsWith(`${prefix}resnet10_`)).length, prefix).toBeGreaterThan(0);
    }
    expect(header.slice(-2)).toEqual(["pCR", "response"]);
    expect(viaQueue).toBe(await inProcessTable(spec));

    // Same settings again: resumed, every item already finished, nothing computed.
    const again = await startExtraction({ prisma: db.prisma, store, modelsDir }, queue, {
      cohort: "eq",
      extractors: ["handcrafted", "resnet10"],
      spec: SMALL,
      user,
    });
    expect(again).toMatchObject({ extractionId: started.extractionId, resumed: true, queued: 0 });
    expect(computed).toBe(16);
    await queue.stop();
  }, 900_000);

  it.runIf(testBackend() === "postgres")(
    "two worker processes share a batch; kill -9 of one mid-batch loses and repeats nothing",
    async () => {
      const log = path.join(tmp, "calls.log");
      writeFileSync(log, "");
      const env = {
        ...process.env,
        DATABASE_URL: db.url!,
        NAC_STORAGE_DIR: store.root,
        NAC_DATA_DIR: tmp,
        NAC_MODELS_DIR: modelsDir,
        NAC_QUEUE_SCHEMA: bossSchema,
        NAC_QUEUE_MAINTENANCE_SECONDS: "1",
        NAC_EXTRACT_EXPIRE_SECONDS: "20",
        NAC_EXTRACT_LEASE_SECONDS: "20",
        NAC_EXTRACT_RETRY_DELAY_SECONDS: "1",
        NAC_EXTRACT_CALL_LOG: log,
      };
      const tsx = path.resolve("node_modules/.bin/tsx");
      const workers: ChildProcess[] = [0, 1].map(() =>
        spawn(tsx, ["scripts/nac.ts", "worker", "--concurrency", "1"], { env, stdio: ["ignore", "ignore", "pipe"] }),
      );
      const stderr: string[] = ["", ""];
      workers.forEach((w, i) => w.stderr!.on("data", (d: Buffer) => (stderr[i] += d.toString())));
      try {
        // handcrafted on CE-T1/T2 is in the cache from the first test (8 blocks); CT handcrafted and every resnet10 block
        // at a new input size are new (4 + 12 blocks).
        const { queue } = makeQueue();
        const started = await startExtraction({ prisma: db.prisma, store, modelsDir }, queue, {
          cohort: "eq",
          extractors: ["handcrafted", "resnet10"],
          spec: { preprocess: { inputSize: [20, 20, 20] } },
          user,
        });
        expect(started.total).toBe(24);
        const lines = () =>
          readFileSync(log, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => l.split(" "));
        const t0 = Date.now();
        while (lines().filter((l) => l[0] === "stored").length < 3) {
          if (Date.now() - t0 > 300_000) throw new Error(`workers stored nothing: ${stderr.join("\n")}`);
          await new Promise((r) => setTimeout(r, 200));
        }
        const victim = workers[0];
        const victimPid = String(victim.pid);
        victim.kill("SIGKILL");
        const inHand = await db.prisma.extractionItem.findMany({
          where: {
            extractionId: started.extractionId,
            status: "running",
            worker: { startsWith: `${os.hostname()}:${victimPid}:` },
          },
        });
        const p = await waitDone(started.extractionId, 600_000);
        expect(p).toMatchObject({ total: 24, done: 24, failed: 0 });

        const all = lines();
        const stored = all.filter((l) => l[0] === "stored").map((l) => l[1]);
        const computed = all.filter((l) => l[0] === "computed").map((l) => l[1]);
        // every new block stored exactly once, none of the 8 cached ones computed again
        expect(stored.length).toBe(16);
        expect(new Set(stored).size).toBe(16);
        const items = await db.prisma.extractionItem.findMany({ where: { extractionId: started.extractionId } });
        const cachedHashes = new Set(items.filter((i) => i.cached).map((i) => i.contentHash));
        // cached: the 8 blocks of the first test, plus at most the one block the victim stored but had not yet marked
        // done when it was killed (the survivor finds it in the cache instead of computing it again)
        const victimStored = new Set(all.filter((l) => l[0] === "stored" && l[3] === victimPid).map((l) => l[1]));
        const cachedItems = items.filter((i) => i.cached);
        expect(cachedItems.filter((i) => !victimStored.has(i.contentHash!)).length).toBe(8);
        expect(cachedItems.length - 8).toBeLessThanOrEqual(1);
        expect(p.cached).toBe(cachedItems.length);
        expect(computed.filter((h) => cachedHashes.has(h))).toEqual([]);
        // a block computed twice only if the killed worker was computing it (and had not stored it) when it died
        const twice = [...new Set(computed.filter((h, i) => computed.indexOf(h) !== i))];
        const interrupted = new Set(inHand.map((i) => i.contentHash));
        for (const h of twice) expect(interrupted.has(h)).toBe(true);
        expect(twice.length).toBeLessThanOrEqual(1);
        expect(new Set(items.map((i) => i.featureSetId)).size).toBe(24);
        expect(
          await db.prisma.featureSet.count({ where: { contentHash: { in: items.map((i) => i.contentHash!) } } }),
        ).toBe(24);
        expect(
          stored.filter((_, i) => all.filter((l) => l[0] === "stored")[i][3] !== victimPid).length,
        ).toBeGreaterThan(0);
      } finally {
        for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGTERM");
        await Promise.all(
          workers.map((w) =>
            w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once("exit", r)) : null,
          ),
        );
      }
      expect(existsSync(log)).toBe(true);
    },
    900_000,
  );
});
