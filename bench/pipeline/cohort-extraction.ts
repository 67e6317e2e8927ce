/**
 * Cohort extraction throughput on the pg-boss queue: per extractor, with 1 and 2 `nac worker` processes, on a
 * generated cohort (`demo generate --layout cohort`) imported into a private PostgreSQL schema. Reports items and
 * patients per minute and extrapolates the 177-patient, all-extractor time (6 items per patient per extractor).
 *
 *   npx tsx bench/pipeline/cohort-extraction.ts --patients 4 --extractors handcrafted,resnet10,resnet18,resnet34,resnet50 --workers 1,2
 *   [--threads N] (encoder intra-op threads per worker; default 2 / workers) [--all-only] (only the one extraction of
 *   all extractors together, as a researcher runs it) [--cohort DIR] (an existing cohort folder) [--keep] (leave the
 *   schemas for a later look)
 *
 * Per extractor, an extraction of that extractor alone; then ("all") one extraction of every listed extractor, whose
 * items of one series are computed together (series, ROI, shell and encoder input shared): the figure for the target.
 *
 * Needs PostgreSQL (NAC_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test) and the encoder files
 * (`npm run nac -- models init`). Writes bench/results/cohort-extraction.json.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { parseExtractors, type CohortExtractor } from "../../lib/cohort/extraction-spec";
import { openDatabase } from "../../lib/db/database";
import { PostgresExecutor } from "../../lib/db/sql-executor";
import { testPostgresUrl, withSearchPath } from "../../lib/db/test-database";
import { PgBossQueue } from "../../lib/jobs/pg-boss-queue";
import { JobRegistry } from "../../lib/jobs/registry";
import { importCohortFolder } from "../../lib/pipeline/cohort/import";
import { ExtractionWorker, extractionProgress, startExtraction } from "../../lib/pipeline/cohort/extraction";
import { FileStore } from "../../lib/storage/file-store";
import { writeCohortParallel } from "../../lib/synth/node/write-cohort";

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

const patients = Number(arg("patients", "4"));
const extractors = parseExtractors(arg("extractors", "handcrafted,resnet10,resnet18,resnet34,resnet50"));
const workerCounts = arg("workers", "1,2").split(",").map(Number);
const seed = arg("seed", "2024");
const cohortDir = arg("cohort", `/tmp/nac-bench-cohort-${seed}-${patients}`);
const threadsArg = arg("threads", "");
const allOnly = process.argv.includes("--all-only");
const keep = process.argv.includes("--keep");

/** user + system CPU seconds of the worker processes so far (Linux /proc; 0 elsewhere). */
function workerCpuSeconds(children: ChildProcess[]): number {
  let ticks = 0;
  for (const c of children) {
    try {
      const f = readFileSync(`/proc/${c.pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
    } catch {
      // exited
    }
  }
  return ticks / 100; // USER_HZ
}

async function main() {
  if (!existsSync(path.join(cohortDir, "clinical.csv"))) {
    process.stderr.write(`generating ${patients} patients into ${cohortDir}\n`);
    await writeCohortParallel({
      patients,
      seed,
      outDir: cohortDir,
      layout: "cohort",
      monteCarloPatients: 200,
      jobs: 2,
    });
  }
  const results: {
    workers: number;
    extractor: CohortExtractor | "all";
    items: number;
    seconds: number;
    workerCpuSeconds: number;
    cpuSecondsPerPatient: number;
    itemsPerMinute: number;
    patientsPerMinute: number;
    loadBefore: number;
    loadAfter: number;
  }[] = [];
  const importTimes: { workers: number; seconds: number }[] = [];
  for (const w of workerCounts) {
    const schema = `nac_bench_${process.pid}_${w}`;
    const base = testPostgresUrl();
    const admin = await PostgresExecutor.open(base);
    await admin.exec(`CREATE SCHEMA "${schema}"`);
    await admin.close();
    const url = withSearchPath(base, schema);
    const tmp = `/tmp/nac-bench-extract-${process.pid}-${w}`;
    mkdirSync(tmp, { recursive: true });
    const db = await openDatabase({ databaseUrl: url, embeddedDbDir: "" }, { migrate: true });
    const store = new FileStore(path.join(tmp, "storage"));
    const children: ChildProcess[] = [];
    try {
      const u = await db.prisma.user.create({
        data: { username: "bench", displayName: "bench", role: "researcher", passwordHash: "x" },
      });
      const user = { id: u.id, username: u.username };
      let t0 = performance.now();
      await importCohortFolder({ prisma: db.prisma, store }, cohortDir, { name: "bench", user });
      importTimes.push({ workers: w, seconds: (performance.now() - t0) / 1000 });
      const env = {
        ...process.env,
        DATABASE_URL: url,
        NAC_STORAGE_DIR: store.root,
        NAC_DATA_DIR: tmp,
        NAC_QUEUE_SCHEMA: `${schema}_boss`,
      };
      const threads = threadsArg || String(Math.max(1, Math.floor(2 / w)));
      // one node process per worker (the bundled CLI launcher), so that its CPU time can be read from /proc
      for (let i = 0; i < w; i++)
        children.push(
          spawn(process.execPath, ["scripts/nac.mjs", "worker", "--concurrency", "1", "--threads", threads], {
            env,
            stdio: ["ignore", "ignore", "inherit"],
          }),
        );
      const registry = new JobRegistry();
      new ExtractionWorker({ prisma: db.prisma, store }).register(registry);
      const queue = new PgBossQueue(registry, { connectionString: url, schema: `${schema}_boss` });
      const runs: (CohortExtractor | "all")[] = allOnly
        ? ["all"]
        : extractors.length > 1
          ? [...extractors, "all"]
          : extractors;
      for (const e of runs) {
        const loadBefore = loadavg()[0];
        const cpuBefore = workerCpuSeconds(children);
        t0 = performance.now();
        // "all" after the single-extractor runs would find every block cached: it runs on new settings (a 5.001 mm
        // shell margin is a different cache key for every block, with the same work)
        const spec = e === "all" && !allOnly ? { periMarginMm: 5.001 } : undefined;
        const s = await startExtraction({ prisma: db.prisma, store }, queue, {
          cohort: "bench",
          extractors: e === "all" ? extractors : [e],
          user,
          spec,
        });
        for (;;) {
          const p = await extractionProgress(db.prisma, s.extractionId);
          if (p.queued + p.running === 0) {
            if (p.failed) process.stderr.write(`${p.failed} failed: ${p.failures[0]?.error}\n`);
            break;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
        const seconds = (performance.now() - t0) / 1000;
        const workerCpu = workerCpuSeconds(children) - cpuBefore;
        const row = {
          workers: w,
          extractor: e,
          items: s.total,
          seconds,
          workerCpuSeconds: workerCpu,
          cpuSecondsPerPatient: workerCpu / patients,
          itemsPerMinute: (s.total / seconds) * 60,
          patientsPerMinute: (patients / seconds) * 60,
          loadBefore,
          loadAfter: loadavg()[0],
        };
        results.push(row);
        process.stdout.write(
          `${w} worker(s), ${threads} thread(s) ${e}: ${s.total} items in ${seconds.toFixed(1)} s = ${row.patientsPerMinute.toFixed(2)} patients/min; workers' CPU ${workerCpu.toFixed(1)} s = ${row.cpuSecondsPerPatient.toFixed(2)} s/patient (load ${loadBefore.toFixed(1)} -> ${row.loadAfter.toFixed(1)})\n`,
        );
      }
      await queue.stop();
    } finally {
      for (const c of children) c.kill("SIGTERM");
      await Promise.all(children.map((c) => new Promise((r) => c.once("exit", r))));
      await db.close();
      if (!keep) {
        const a = await PostgresExecutor.open(base);
        await a.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_boss" CASCADE`);
        await a.close();
      }
    }
  }
  const extrapolated = Object.fromEntries(
    workerCounts.map((w) => {
      const all = results.find((r) => r.workers === w && r.extractor === "all");
      return [
        w,
        all
          ? 177 / all.patientsPerMinute
          : results.filter((r) => r.workers === w).reduce((a, r) => a + 177 / r.patientsPerMinute, 0),
      ];
    }),
  );
  for (const [w, min] of Object.entries(extrapolated))
    process.stdout.write(
      `177 patients, ${extractors.join("+")}, ${w} worker(s): ~${min.toFixed(0)} min (extrapolated from ${patients} patients)\n`,
    );
  for (const r of results.filter((x) => x.extractor === "all")) {
    process.stdout.write(
      `all extractors, ${r.workers} worker(s): ${r.cpuSecondsPerPatient.toFixed(2)} CPU s/patient -> 177 patients on 2 idle cores: ~${((r.cpuSecondsPerPatient * 177) / 2 / 60).toFixed(1)} min of CPU per core\n`,
    );
  }
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(
    "bench/results/cohort-extraction.json",
    JSON.stringify(
      {
        patients,
        extractors,
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        importTimes,
        results,
        extrapolated177Minutes: extrapolated,
      },
      null,
      2,
    ),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
