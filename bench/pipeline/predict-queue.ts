/**
 * Predict through the job queue (issue 13 item 3): 20 concurrent Predict requests, as a busy web server receives them,
 * (a) computed in this process (what the server does without workers: predictPatient per request) and (b) handed to
 * `nac worker` processes over pg-boss (NAC_PREDICT_ON_WORKERS=1: this process only records the job and waits,
 * predictViaQueue). Reports successes, wall time and this process's peak RSS (sampled every 50 ms) for each, on a
 * private PostgreSQL schema with the demo patients and the demo bundle (ResNet10 on the CE-T1 tumour). Cold feature
 * cache in both: the two modes use different patients.
 *
 *   npx tsx bench/pipeline/predict-queue.ts [--requests 20] [--patients 3] [--workers 2]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { openDatabase } from "../../lib/db/database";
import { PostgresExecutor } from "../../lib/db/sql-executor";
import { testPostgresUrl, withSearchPath } from "../../lib/db/test-database";
import { PgBossQueue } from "../../lib/jobs/pg-boss-queue";
import { JobRegistry } from "../../lib/jobs/registry";
import { seedDemoPatients } from "../../lib/pipeline/demo/seed";
import { predictPatient } from "../../lib/pipeline/predict";
import { predictViaQueue, registerPredictJob } from "../../lib/pipeline/predict/job";
import { registerBundle } from "../../lib/pipeline/register-bundle";
import { FileStore } from "../../lib/storage/file-store";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const requests = Number(arg("requests", "20"));
const patients = Number(arg("patients", "3"));
const nWorkers = Number(arg("workers", "2"));

async function sampled<T>(
  f: () => Promise<T>,
): Promise<{ value: T; seconds: number; peakRssMiB: number; baseRssMiB: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  try {
    const value = await f();
    return { value, seconds: (performance.now() - t0) / 1000, peakRssMiB: peak / 2 ** 20, baseRssMiB: base / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const schema = `nac_bench_pq_${process.pid}`;
  const base = testPostgresUrl();
  const admin = await PostgresExecutor.open(base);
  await admin.exec(`CREATE SCHEMA "${schema}"`);
  await admin.close();
  const url = withSearchPath(base, schema);
  const tmp = `/tmp/nac-bench-predict-queue-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  const db = await openDatabase({ databaseUrl: url, embeddedDbDir: "" }, { migrate: true });
  const store = new FileStore(path.join(tmp, "storage"));
  const deps = { prisma: db.prisma, store };
  const children: ChildProcess[] = [];
  let queue: PgBossQueue | null = null;
  try {
    const u = await db.prisma.user.create({
      data: { username: "oncologist", displayName: "Onc", role: "oncologist", passwordHash: "x" },
    });
    const user = { id: u.id, username: u.username };
    // the demo ROIs are saved under the radiologist account
    await db.prisma.user.create({
      data: { username: "radiologist", displayName: "Rad", role: "radiologist", passwordHash: "x" },
    });
    await registerBundle(deps, gunzipSync(new Uint8Array(readFileSync("models/demo-bundle.json.gz"))), {
      activate: true,
    });
    await seedDemoPatients(deps, { indices: Array.from({ length: Math.min(6, 2 * patients) }, (_, i) => i) });
    const all = (await db.prisma.patient.findMany({ orderBy: { patientKey: "asc" } })).map((p) => p.id);
    const half = Math.floor(all.length / 2);
    const inProcessPatients = all.slice(0, half);
    const queuePatients = all.slice(half);
    process.stdout.write(
      `${all.length} demo patients; ${requests} concurrent requests per mode; load ${loadavg()[0].toFixed(1)}\n`,
    );

    // (a) in this process, as a server without workers
    const a = await sampled(() =>
      Promise.allSettled(
        Array.from({ length: requests }, (_, i) =>
          predictPatient(deps, inProcessPatients[i % inProcessPatients.length], user),
        ),
      ),
    );
    const aOk = a.value.filter((r) => r.status === "fulfilled").length;
    process.stdout.write(
      `in process: ${aOk}/${requests} succeeded in ${a.seconds.toFixed(1)} s; server RSS ${a.baseRssMiB.toFixed(0)} -> peak ${a.peakRssMiB.toFixed(0)} MiB (load ${loadavg()[0].toFixed(1)})\n`,
    );
    for (const r of a.value)
      if (r.status === "rejected") process.stdout.write(`  failed: ${(r.reason as Error).message}\n`);

    // (b) through pg-boss to worker processes
    const env = {
      ...process.env,
      DATABASE_URL: url,
      NAC_STORAGE_DIR: store.root,
      NAC_DATA_DIR: tmp,
      NAC_QUEUE_SCHEMA: `${schema}_boss`,
    };
    for (let i = 0; i < nWorkers; i++)
      children.push(
        spawn(process.execPath, ["scripts/nac.mjs", "worker", "--concurrency", "1", "--threads", "1"], {
          env,
          stdio: ["ignore", "ignore", "inherit"],
        }),
      );
    const registry = new JobRegistry();
    registerPredictJob(registry, deps);
    queue = new PgBossQueue(registry, { connectionString: url, schema: `${schema}_boss` });
    const q = queue;
    const b = await sampled(() =>
      Promise.allSettled(
        Array.from({ length: requests }, (_, i) =>
          predictViaQueue({ prisma: db.prisma }, q, queuePatients[i % queuePatients.length], user, {
            timeoutMs: 3_600_000,
          }),
        ),
      ),
    );
    const bOk = b.value.filter((r) => r.status === "fulfilled").length;
    process.stdout.write(
      `via ${nWorkers} workers: ${bOk}/${requests} succeeded in ${b.seconds.toFixed(1)} s; server RSS ${b.baseRssMiB.toFixed(0)} -> peak ${b.peakRssMiB.toFixed(0)} MiB (load ${loadavg()[0].toFixed(1)})\n`,
    );
    for (const r of b.value)
      if (r.status === "rejected") process.stdout.write(`  failed: ${(r.reason as Error).message}\n`);
  } finally {
    await queue?.stop({ graceful: false }).catch(() => {});
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => new Promise((r) => c.once("exit", r))));
    await db.close();
    const x = await PostgresExecutor.open(base);
    await x.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_boss" CASCADE`);
    await x.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
