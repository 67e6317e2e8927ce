/**
 * Where the time of a cohort extraction goes, per step, on a few patients of a generated cohort (issue 13): the steps
 * an extraction item runs (series load = storage read + DICOM decode, ROI load, region mask (tumour copy / shell),
 * radiomics, deep preprocessing, ONNX session creation, inference, feature-set write), timed one by one in this
 * process on a private PostgreSQL schema, in the order the worker runs them. Then the same items end to end through
 * `ExtractionWorker.process` (no queue) so the sum can be compared with what the worker really takes.
 *
 *   NAC_MODELS_DIR=models npx tsx bench/pipeline/extraction-profile.ts --cohort DIR [--patients 3] [--threads 2]
 *
 * --steps-only / --e2e-only: one of the two parts. Writes nothing but stdout (a table of total ms per step and per item).
 */
import { mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { caseSpecFor, makeExtractionSpec, COHORT_EXTRACTORS } from "../../lib/cohort/extraction-spec";
import { openDatabase } from "../../lib/db/database";
import { PostgresExecutor } from "../../lib/db/sql-executor";
import { testPostgresUrl, withSearchPath } from "../../lib/db/test-database";
import type { Backbone } from "../../lib/deep/architecture";
import { closeEncoders, openEncoder } from "../../lib/deep/node/encoder";
import { preprocessRegion } from "../../lib/deep/preprocess";
import { peritumoralShell } from "../../lib/imaging/peritumoral";
import { extractFeatures } from "../../lib/radiomics/extract";
import { importCohortFolder } from "../../lib/pipeline/cohort/import";
import { ExtractionWorker, startExtraction } from "../../lib/pipeline/cohort/extraction";
import { loadRoiMask } from "../../lib/pipeline/roi";
import { loadSeriesVolume } from "../../lib/pipeline/series-volume";
import { FileStore } from "../../lib/storage/file-store";

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

const cohortDir = arg("cohort", "");
const threads = Number(arg("threads", "2"));
const endToEnd = !process.argv.includes("--steps-only");
const stepsWanted = !process.argv.includes("--e2e-only");

// wall and CPU (all threads of the process, ONNX Runtime's included): on a loaded machine CPU is the steadier figure
const totals = new Map<string, { ms: number; cpu: number; n: number }>();
async function timed<T>(step: string, f: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  const r = await f();
  const u = process.cpuUsage(u0);
  const e = totals.get(step) ?? { ms: 0, cpu: 0, n: 0 };
  e.ms += performance.now() - t0;
  e.cpu += (u.user + u.system) / 1000;
  e.n++;
  totals.set(step, e);
  return r;
}

async function main() {
  if (!cohortDir) throw new Error("--cohort DIR (a cohort folder with a few patients)");
  const schema = `nac_prof_${process.pid}`;
  const base = testPostgresUrl();
  const admin = await PostgresExecutor.open(base);
  await admin.exec(`CREATE SCHEMA "${schema}"`);
  await admin.close();
  const tmp = `/tmp/nac-prof-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  const db = await openDatabase({ databaseUrl: withSearchPath(base, schema), embeddedDbDir: "" }, { migrate: true });
  const store = new FileStore(path.join(tmp, "storage"));
  const deps = { prisma: db.prisma, store };
  try {
    const u = await db.prisma.user.create({
      data: { username: "bench", displayName: "bench", role: "researcher", passwordHash: "x" },
    });
    const user = { id: u.id, username: u.username };
    await timed("import (whole cohort)", () => importCohortFolder(deps, cohortDir, { name: "prof", user }));
    const cohort = await db.prisma.cohort.findUniqueOrThrow({ where: { name: "prof" }, include: { patients: true } });
    const spec = makeExtractionSpec({
      periMarginMm: cohort.periMarginMm,
      periShellMode: cohort.periShellMode as "surface-volume-matched",
      extractors: [...COHORT_EXTRACTORS],
    });
    for (const b of ["resnet10", "resnet18", "resnet34", "resnet50"] as Backbone[])
      await timed(`onnx session create ${b}`, () => openEncoder(b, { threads }));
    for (const cp of stepsWanted ? cohort.patients : []) {
      for (const role of spec.roles) {
        for (const extractor of spec.extractors) {
          for (const region of spec.regions) {
            // as the worker does today: every item loads (from its small cache: here, always anew), builds its region, computes
            const series = await timed("db: series + instances query", () =>
              db.prisma.series.findFirstOrThrow({
                where: { role, study: { patientId: cp.patientId } },
                include: { instances: true },
              }),
            );
            const roi = await db.prisma.roi.findFirstOrThrow({
              where: { seriesId: series.id },
              orderBy: { version: "desc" },
            });
            const volume = await timed("series load (read + DICOM decode)", () => loadSeriesVolume(deps, series.id));
            const tumour = (await timed("ROI load (SEG decode)", () => loadRoiMask(deps, roi.id))).mask;
            const mask = await timed(`region ${region}`, () => {
              if (region === "intra") {
                const data = new Uint8Array(tumour.data.length);
                for (let i = 0; i < data.length; i++) data[i] = tumour.data[i] ? 1 : 0;
                return { ...tumour, data };
              }
              return peritumoralShell(tumour, spec.periMarginMm, { measureFrom: spec.periShellMode, label: 1 });
            });
            const cs = caseSpecFor(spec, extractor);
            if (extractor === "handcrafted") {
              await timed(`radiomics ${role}`, () => extractFeatures(volume, mask, cs.handcrafted!));
            } else {
              const prep = await timed(`deep preprocess ${role}`, () =>
                preprocessRegion(volume, mask, cs.deep!.preprocess),
              );
              const s = await openEncoder(extractor as Backbone, { threads });
              await timed(`inference ${extractor}`, () => s.session.run(prep.input, prep.dims));
            }
          }
        }
      }
    }
    const steps = [...totals.entries()].filter(([k]) => !k.startsWith("import") && !k.startsWith("onnx session"));
    const stepsMs = steps.reduce((a, [, v]) => a + v.ms, 0);
    const stepsCpu = steps.reduce((a, [, v]) => a + v.cpu, 0);
    process.stdout.write(
      `load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")}; ${cohort.patients.length} patients, threads ${threads}\n`,
    );
    for (const [k, v] of [...totals.entries()].sort((a, b) => b[1].cpu - a[1].cpu)) {
      process.stdout.write(
        `${k.padEnd(40)} wall ${v.ms.toFixed(0).padStart(7)} ms  cpu ${v.cpu.toFixed(0).padStart(7)} ms  n=${String(v.n).padStart(4)}  ${(v.cpu / v.n).toFixed(1).padStart(7)} cpu-ms each\n`,
      );
    }
    process.stdout.write(`sum of steps (items only): wall ${stepsMs.toFixed(0)} ms, cpu ${stepsCpu.toFixed(0)} ms\n`);
    if (endToEnd) {
      // the same items through the worker (its caches, feature-set writes, item claims), no queue
      const worker = new ExtractionWorker(deps);
      const s = await startExtraction(deps, null, { cohort: "prof", extractors: [...COHORT_EXTRACTORS], user });
      const items = await db.prisma.extractionItem.findMany({
        where: { extractionId: s.extractionId },
        orderBy: [{ patientId: "asc" }, { role: "asc" }, { region: "asc" }, { extractor: "asc" }],
      });
      const t0 = performance.now();
      const u0 = process.cpuUsage();
      const outcomes: Record<string, number> = {};
      for (const it of items) {
        const r = await worker.process(it.id);
        outcomes[r] = (outcomes[r] ?? 0) + 1;
      }
      const ms = performance.now() - t0;
      const u = process.cpuUsage(u0);
      const cpu = (u.user + u.system) / 1000;
      process.stdout.write(
        `end to end through ExtractionWorker.process: ${items.length} items in ${ms.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms cpu (${(cpu / items.length).toFixed(0)} cpu-ms/item) ${JSON.stringify(outcomes)}; load ${loadavg()[0].toFixed(1)}\n`,
      );
    }
  } finally {
    await closeEncoders();
    await db.close();
    const a = await PostgresExecutor.open(base);
    await a.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await a.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
