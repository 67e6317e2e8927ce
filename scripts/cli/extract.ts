/**
 * `nac worker` and `nac extract`: batch feature extraction on the job queue. With DATABASE_URL (PostgreSQL)
 * `extract` puts one job per patient x role x region x extractor on pg-boss and `worker` processes (on any machine with
 * the same DATABASE_URL and storage) do them; on the embedded database `extract --wait` runs them in its own process.
 */
import { appendFileSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { readServerConfig } from "../../lib/config/server-config";
import { openDatabase } from "../../lib/db/database";
import { defaultModelsDir, missingEncoderFiles } from "../../lib/deep/node/model-store";
import {
  extractionOptionsSchema,
  extractionSpecInput,
  parseExtractors,
  type ExtractionOptions,
} from "../../lib/cohort/extraction-spec";
import { NacError } from "../../lib/errors";
import { InProcessQueue } from "../../lib/jobs/in-process-queue";
import { openQueue } from "../../lib/jobs/open-queue";
import { JobRegistry } from "../../lib/jobs/registry";
import {
  ExtractionWorker,
  extractionProgress,
  retryFailed,
  startExtraction,
  type ExtractionHooks,
  type ExtractionProgress,
} from "../../lib/pipeline/cohort/extraction";
import { registerPredictJob } from "../../lib/pipeline/predict/job";
import { FileStore } from "../../lib/storage/file-store";
import { cliUser } from "./cohort";
import { positiveInt } from "./options";

/** NAC_EXTRACT_CALL_LOG=file: one line per computed / stored block (tests count extractor calls across processes). */
function callLogHooks(): ExtractionHooks {
  const file = process.env.NAC_EXTRACT_CALL_LOG;
  if (!file) return {};
  return {
    onComputed: (e) => appendFileSync(file, `computed ${e.contentHash} ${e.itemId} ${process.pid}\n`),
    onStored: (e) => appendFileSync(file, `stored ${e.contentHash} ${e.itemId} ${process.pid}\n`),
  };
}

function bar(p: ExtractionProgress, t0: number): string {
  const finished = p.done + p.failed + p.absent;
  const width = 30;
  const fill = p.total ? Math.round((finished / p.total) * width) : 0;
  const eta =
    p.etaSeconds === null ? "--" : `${Math.floor(p.etaSeconds / 60)}m${String(p.etaSeconds % 60).padStart(2, "0")}s`;
  const rate = p.ratePerMinute === null ? "--" : p.ratePerMinute.toFixed(1);
  return `[${"#".repeat(fill)}${".".repeat(width - fill)}] ${finished}/${p.total} (${p.cached} cached, ${p.absent} absent, ${p.failed} failed) ${rate}/min ETA ${eta} elapsed ${Math.round((Date.now() - t0) / 1000)}s`;
}

interface ExtractFlags {
  cohort: string;
  extractors: string;
  wait?: boolean;
  retryFailed?: boolean;
  concurrency: string;
  deepInput?: string;
  roles?: string;
  regions?: string;
  margin?: string;
  shellMode?: string;
  handcrafted: string;
  params?: string;
  user: string;
}

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);

/** The flags as the API's extraction options, validated by the same schema (a bad value is a clear BAD_REQUEST). */
export function extractionOptionsFromFlags(
  o: Omit<ExtractFlags, "cohort" | "extractors" | "concurrency" | "user">,
): ExtractionOptions {
  if (o.params !== undefined && o.handcrafted !== "pyradiomics")
    throw new NacError("BAD_REQUEST", "--params is a pyradiomics parameter file: leave --handcrafted at pyradiomics");
  const raw = {
    roles: list(o.roles),
    regions: list(o.regions),
    periMarginMm: o.margin === undefined ? undefined : Number(o.margin),
    periShellMode: o.shellMode,
    handcrafted:
      o.params !== undefined
        ? { mode: "pyradiomics-params", params: readFileSync(o.params, "utf8") }
        : { mode: o.handcrafted },
    deepInputSize: o.deepInput === undefined ? undefined : Number(o.deepInput),
  };
  const parsed = extractionOptionsSchema.safeParse(
    Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new NacError("BAD_REQUEST", `extraction options: ${i.path.join(".") || "(root)"}: ${i.message}`);
  }
  extractionSpecInput(parsed.data); // a parameter file is checked before anything is queued
  return parsed.data;
}

export function register(program: Command): void {
  program
    .command("worker")
    .description(
      "process queued jobs (feature extraction) until stopped; run one per machine or core, all with the same DATABASE_URL and storage",
    )
    .option("--concurrency <n>", "jobs in flight in this process", "1")
    .option(
      "--threads <n>",
      "intra-op threads of each encoder session (default 2; with one worker per core, 1 does the same work on less CPU)",
      "2",
    )
    .action(async (o: { concurrency: string; threads: string }) => {
      const concurrency = positiveInt("--concurrency", o.concurrency, 64);
      const encoderThreads = positiveInt("--threads", o.threads, 64);
      const config = readServerConfig();
      if (!config.databaseUrl)
        throw new NacError(
          "BAD_REQUEST",
          "`nac worker` needs a PostgreSQL server (DATABASE_URL): the embedded database admits one process, so `nac extract --wait` (or the web server) runs the jobs itself",
        );
      const db = await openDatabase(config, { migrate: true });
      const registry = new JobRegistry();
      const store = new FileStore(config.storageDir);
      new ExtractionWorker({ prisma: db.prisma, store, encoderThreads }, callLogHooks()).register(registry);
      registerPredictJob(registry, { prisma: db.prisma, store });
      const queue = openQueue(config, registry);
      const missing = missingEncoderFiles();
      if (missing.length)
        process.stderr.write(
          `worker ${process.pid}: WARNING no encoder file for ${missing.join(", ")} in ${defaultModelsDir()}: their items will fail here; run \`npm run nac -- models init\` (or copy the site's models/) and \`nac extract --retry-failed\`\n`,
        );
      await queue.work({ concurrency });
      process.stderr.write(
        `worker ${process.pid}: ${registry
          .list()
          .map((k) => k.kind)
          .join(", ")} (pg-boss), concurrency ${concurrency}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
      });
      process.stderr.write(`worker ${process.pid}: stopping after the jobs in hand\n`);
      await queue.stop({ graceful: true });
      await db.close();
    });

  program
    .command("extract")
    .description(
      "extract features of a cohort: one queue job per patient x series role x region x extractor; resumes an unfinished extraction with the same settings",
    )
    .requiredOption("--cohort <name>", "cohort name")
    .option(
      "--extractors <list>",
      "comma-separated: handcrafted, resnet10, resnet18, resnet34, resnet50",
      "handcrafted",
    )
    .option("--wait", "show a progress bar until every item is finished")
    .option("--retry-failed", "put the failed items of the extraction back on the queue")
    .option("--concurrency <n>", "embedded database only: jobs in flight in this process", "1")
    .option("--deep-input <n>", "encoder input cube edge (voxels; default 64)")
    .option("--roles <list>", "series roles: CE_T1,T2,CT (default all three)")
    .option("--regions <list>", "intra (tumour), peri (peritumoral shell); default both")
    .option("--margin <mm>", "peritumoral shell thickness in mm (default: the cohort's)")
    .option("--shell-mode <mode>", "centres | surface | surface-volume-matched (default: the cohort's)")
    .option("--handcrafted <settings>", "pyradiomics (defaults: the paper's 107 features) | ibsi", "pyradiomics")
    .option(
      "--params <file.yaml>",
      "pyradiomics parameter file for the handcrafted features (instead of --handcrafted)",
    )
    .option("--user <username>", "account the extraction is recorded under", "researcher")
    .action(async (o: ExtractFlags) => {
      const extractors = parseExtractors(o.extractors);
      const options = extractionOptionsFromFlags(o);
      const concurrency = positiveInt("--concurrency", o.concurrency, 64);
      const config = readServerConfig();
      const db = await openDatabase(config, { migrate: true });
      const deps = { prisma: db.prisma, store: new FileStore(config.storageDir) };
      const registry = new JobRegistry();
      new ExtractionWorker(deps, callLogHooks()).register(registry);
      const queue = openQueue(config, registry);
      try {
        const user = await cliUser(db, o.user);
        if (queue instanceof InProcessQueue) await queue.work({ concurrency }); // embedded database: this process is the worker
        const started = await startExtraction(deps, queue, {
          cohort: o.cohort,
          extractors,
          user,
          spec: extractionSpecInput(options),
        });
        if (o.retryFailed)
          process.stderr.write(`re-queued ${await retryFailed(deps, queue, started.extractionId)} failed items\n`);
        process.stderr.write(
          `extraction ${started.extractionId}: ${started.total} items, ${started.queued} to do${started.resumed ? " (resumed)" : ""} on ${queue.backend}\n`,
        );
        if (!o.wait && !(queue instanceof InProcessQueue)) return;
        const t0 = Date.now();
        const tty = process.stderr.isTTY;
        let last = "";
        for (;;) {
          const p = await extractionProgress(db.prisma, started.extractionId);
          const line = bar(p, t0);
          if (tty) process.stderr.write(`\r${line}`);
          else if (line !== last && (Date.now() - t0) % 10_000 < 1100) process.stderr.write(`${line}\n`);
          last = line;
          if (p.queued + p.running === 0) {
            process.stderr.write(`${tty ? "\n" : ""}${line}\n`);
            for (const f of p.failures)
              process.stdout.write(`failed ${f.patientKey} ${f.role}.${f.region} ${f.extractor}: ${f.error}\n`);
            process.stdout.write(
              JSON.stringify({
                extractionId: p.extractionId,
                total: p.total,
                done: p.done,
                cached: p.cached,
                absent: p.absent,
                failed: p.failed,
                seconds: Math.round((Date.now() - t0) / 100) / 10,
              }) + "\n",
            );
            break;
          }
          await new Promise((r) => setTimeout(r, 1000));
        }
      } finally {
        await queue.stop({ graceful: true });
        await db.close();
      }
    });
}
