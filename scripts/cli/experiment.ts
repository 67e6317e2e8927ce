/**
 * `nac experiment ...`: the paper's comparison (feature sets x endpoints over the protocol's partitions) run as a
 * stored job, shown as the paper's table, exported; `compute` is the database-free computation the server runs in a
 * child process; `synth-table` writes a realistic feature table from a synthetic cohort.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { positiveInt } from "./options";
import { readServerConfig } from "../../lib/config/server-config";
import { openDatabase, type Database } from "../../lib/db/database";
import { BACKBONES, type Backbone } from "../../lib/deep/architecture";
import { NacError } from "../../lib/errors";
import {
  experimentCsv,
  exportColumns,
  formatExperimentTable,
  parseExperimentTable,
  resolveFeatureSets,
  runExperiment,
} from "../../lib/experiments";
import { buildSyntheticCohortTable, syntheticTableCsv } from "../../lib/experiments/node/synthetic-cohort-table";
import { runProtocolParallel } from "../../lib/ml/protocol/node/run-protocol-parallel";
import { CASE_ROLES, type CaseRegion, type CaseRole } from "../../lib/pipeline/case-features";
import { DEMO_TRAINING_SEED } from "../../lib/pipeline/demo/train";
import { loadCohortFeatureTable } from "../../lib/pipeline/experiment/cohort-table";
import { inProcessBundleBuilder } from "../../lib/pipeline/experiment/compute";
import { buildExperimentBundle, type ExperimentBundleRequest } from "../../lib/pipeline/experiment/bundle";
import { executeExperimentJob, inProcessCompute, submitExperiment } from "../../lib/pipeline/experiment/job";
import {
  activateBundle,
  exportBundle,
  importBundle,
  listBundles,
  registerFromExperiment,
} from "../../lib/pipeline/model-registry";
import { canonicalJson } from "../../lib/ml/bundle";
import {
  getExperiment,
  listExperiments,
  loadExperimentTable,
  type ExperimentDeps,
} from "../../lib/pipeline/experiment/experiments";
import { FileStore } from "../../lib/storage/file-store";

function list<T extends string>(what: string, v: string, allowed: readonly T[]): T[] {
  const out = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const x of out)
    if (!allowed.includes(x as T))
      throw new NacError("BAD_REQUEST", `${what}: unknown value "${x}" (allowed: ${allowed.join(", ")})`);
  return out as T[];
}

function readBytes(file: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new NacError("NOT_FOUND", `cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

function readJson(file: string, what: string): unknown {
  const text = new TextDecoder().decode(readBytes(file, what));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new NacError("BAD_REQUEST", `${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The CLI's database and store (the server's configuration: NAC_DATA_DIR / DATABASE_URL). */
export async function withDeps<T>(fn: (deps: ExperimentDeps, db: Database) => Promise<T>): Promise<T> {
  const config = readServerConfig();
  const db = await openDatabase(config, { migrate: true });
  try {
    return await fn({ prisma: db.prisma, store: new FileStore(config.storageDir) }, db);
  } finally {
    await db.close();
  }
}

const CLI_ACTOR = { id: null, username: `cli:${process.env.USER ?? "unknown"}` };

export function register(program: Command): void {
  const experiment = program
    .command("experiment")
    .description("experiments: the paper's comparison of feature sets and endpoints");
  experiment
    .command("run")
    .description(
      "run an experiment (feature sets x endpoints through the protocol), store it and print the comparison table",
    )
    .option(
      "--features <file>",
      "feature table CSV (patient_id, ROLE.region.feature columns, clinical.<var>, pCR, response)",
    )
    .option("--cohort <name>", "a research cohort's feature table instead of --features")
    .option(
      "--config <file>",
      "experiment config JSON (name, endpoints, featureSets or grid, threshold, protocol); default: the paper's comparison",
    )
    .option("--workers <n>", "worker threads for the partitions (results do not depend on it)", "2")
    .option("--csv-out <file>", "also write the results table as CSV")
    .option("--quiet", "no progress on stderr")
    .action(
      async (o: {
        features?: string;
        cohort?: string;
        config?: string;
        workers: string;
        csvOut?: string;
        quiet?: boolean;
      }) => {
        if (!!o.features === !!o.cohort) throw new NacError("BAD_REQUEST", "give --features FILE.csv or --cohort NAME");
        const configInput = o.config ? readJson(o.config, "experiment config") : {};
        const workers = positiveInt("--workers", o.workers);
        await withDeps(async (deps) => {
          const t = o.cohort
            ? await loadCohortFeatureTable(deps, o.cohort, CLI_ACTOR)
            : { bytes: readBytes(o.features!, "feature table"), source: `file ${basename(o.features!)}` };
          const { experimentId, jobId } = await submitExperiment(deps, {
            tableBytes: t.bytes,
            configInput,
            source: t.source,
            actor: CLI_ACTOR,
          });
          process.stderr.write(`experiment ${experimentId} (job ${jobId})\n`);
          const compute = inProcessCompute(workers);
          const status = await executeExperimentJob(deps, jobId, (input, onProgress) =>
            compute(input, (d, n, what) => {
              onProgress(d, n, what);
              if (!o.quiet) process.stderr.write(`  ${d}/${n} ${what}\n`);
            }),
          );
          const e = await getExperiment(deps, experimentId, CLI_ACTOR);
          if (status === "failed") throw new NacError("INTERNAL", `experiment ${experimentId} failed: ${e.error}`);
          process.stdout.write(
            `${formatExperimentTable({ runs: e.runs, config: e.config, table: { sha256: e.tableSha256, rows: e.tableSummary.rows, columns: e.tableSummary.columns }, skipped: e.summary?.skipped ?? [] })}\n`,
          );
          process.stdout.write(
            `\nExperiment ${experimentId}: ${e.runs.length} runs in ${((e.elapsedMs ?? 0) / 1000).toFixed(1)} s\n`,
          );
          if (o.csvOut) writeFileSync(o.csvOut, experimentCsv(e));
        });
      },
    );
  experiment
    .command("show")
    .description("print a stored experiment: status, configuration, the comparison table")
    .argument("<id>", "experiment id")
    .option("--csv-out <file>", "write the results table as CSV")
    .option("--json", "print the stored experiment as JSON")
    .action(async (id: string, o: { csvOut?: string; json?: boolean }) => {
      await withDeps(async (deps) => {
        const e = await getExperiment(deps, id, CLI_ACTOR);
        if (o.json) {
          process.stdout.write(`${JSON.stringify(e, null, 1)}\n`);
          return;
        }
        process.stdout.write(
          `Experiment ${e.id} "${e.name}": ${e.status}${e.status === "running" ? ` ${(100 * e.progress).toFixed(0)}% (${e.progressNote ?? ""})` : ""}${e.error ? ` — ${e.error}` : ""}\n`,
        );
        process.stdout.write(
          `Table sha256 ${e.tableSha256} (${e.tableSummary.source}; ${e.tableSummary.rows} rows, ${e.tableSummary.columns} feature columns); engines ${Object.entries(
            e.engineVersions,
          )
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}\n`,
        );
        process.stdout.write(
          `Created ${e.createdAt}${e.createdBy ? ` by ${e.createdBy}` : ""}${e.elapsedMs !== null ? `; ran ${(e.elapsedMs / 1000).toFixed(1)} s` : ""}\n\n`,
        );
        if (e.runs.length) {
          process.stdout.write(
            `${formatExperimentTable({ runs: e.runs, config: e.config, table: { sha256: e.tableSha256, rows: e.tableSummary.rows, columns: e.tableSummary.columns }, skipped: e.summary?.skipped ?? [] })}\n`,
          );
        }
        if (o.csvOut) writeFileSync(o.csvOut, experimentCsv(e));
      });
    });
  experiment
    .command("list")
    .description("list stored experiments")
    .action(async () => {
      await withDeps(async (deps) => {
        for (const e of await listExperiments(deps)) {
          process.stdout.write(`${e.id}  ${e.status.padEnd(9)} ${e.createdAt}  ${e.rows ?? "?"} rows  ${e.name}\n`);
        }
      });
    });
  experiment
    .command("export-table")
    .description("write the feature table of one feature set of an experiment (the exact input of its protocol runs)")
    .argument("<id>", "experiment id")
    .requiredOption("--feature-set <name>", "feature set name (as in the table)")
    .requiredOption("--out <file>", "CSV to write")
    .action(async (id: string, o: { featureSet: string; out: string }) => {
      await withDeps(async (deps) => {
        const e = await getExperiment(deps, id, CLI_ACTOR, { audit: false });
        const { table } = await loadExperimentTable(deps, id);
        const set = resolveFeatureSets(e.config, table.columns).sets.find((s) => s.name === o.featureSet);
        if (!set) throw new NacError("NOT_FOUND", `experiment ${id} has no feature set ${o.featureSet}`);
        writeFileSync(o.out, exportColumns(table, set.columns));
        const run = e.runs.find((r) => r.featureSet === o.featureSet);
        if (run) writeFileSync(`${o.out}.protocol.json`, JSON.stringify(run.config, null, 1));
        process.stdout.write(
          `wrote ${o.out} (${set.columns.length} feature columns) and ${o.out}.protocol.json (the protocol config as run)\n`,
        );
      });
    });
  experiment
    .command("compute")
    .description(
      "compute an experiment without a database (used by the server's job runner): progress lines on stdout, result JSON to --out",
    )
    .requiredOption("--table <file>", "feature table CSV")
    .requiredOption("--config <file>", "experiment config JSON")
    .requiredOption("--out <file>", "result JSON to write")
    .option("--workers <n>", "worker threads", "2")
    .action(async (o: { table: string; config: string; out: string; workers: string }) => {
      const table = parseExperimentTable(readBytes(o.table, "feature table"));
      const workers = positiveInt("--workers", o.workers);
      const r = await runExperiment(table, readJson(o.config, "experiment config"), {
        runner: (input, c) => runProtocolParallel(input, c, { workers }),
        onProgress: (d, n, what) => process.stdout.write(`progress ${d}/${n} ${what}\n`),
      });
      writeFileSync(o.out, JSON.stringify(r));
    });
  experiment
    .command("fit-bundle")
    .description("build a model bundle from an experiment's feature set without a database (used by the server)")
    .requiredOption("--table <file>", "feature table CSV")
    .requiredOption("--request <file>", "bundle request JSON")
    .requiredOption("--out <file>", "bundle JSON to write")
    .option("--workers <n>", "worker threads", "2")
    .action(async (o: { table: string; request: string; out: string; workers: string }) => {
      const table = parseExperimentTable(readBytes(o.table, "feature table"));
      const workers = positiveInt("--workers", o.workers);
      const bundle = await buildExperimentBundle(
        table,
        readJson(o.request, "bundle request") as ExperimentBundleRequest,
        (input, c) => runProtocolParallel(input, c, { workers }),
      );
      writeFileSync(o.out, `${canonicalJson(bundle)}\n`);
    });
  experiment
    .command("synth-table")
    .description(
      "write a feature table (CSV contract) of a synthetic cohort: handcrafted + deep (several backbones) + clinical + outcomes",
    )
    .requiredOption("--out <file>", "CSV to write")
    .option("--patients <n>", "synthetic patients", "177")
    .option("--seed <seed>", "cohort seed (the demo training cohort by default)", DEMO_TRAINING_SEED)
    .option("--backbones <list>", "deep backbones", BACKBONES.join(","))
    .option("--deep-roles <list>", "series roles with deep features", CASE_ROLES.join(","))
    .option("--deep-regions <list>", "regions with deep features (intra, peri)", "intra")
    .option("--workers <n>", "worker threads (results do not depend on it)", "2")
    .option("--cache <file>", "JSON-lines cache of extracted patients (re-runs extract only what is missing)")
    .action(
      async (o: {
        out: string;
        patients: string;
        seed: string;
        backbones: string;
        deepRoles: string;
        deepRegions: string;
        workers: string;
        cache?: string;
      }) => {
        const t0 = Date.now();
        const rows = await buildSyntheticCohortTable({
          seed: o.seed,
          patients: positiveInt("--patients", o.patients),
          backbones: list<Backbone>("--backbones", o.backbones, BACKBONES),
          deepRoles: list<CaseRole>("--deep-roles", o.deepRoles, CASE_ROLES),
          deepRegions: list<CaseRegion>("--deep-regions", o.deepRegions, ["intra", "peri"]),
          workers: positiveInt("--workers", o.workers),
          cache: o.cache,
          onPatient: (d, n, r) => process.stderr.write(`  patient ${r.index} (${d}/${n}) ${r.ms} ms\n`),
        });
        const csv = syntheticTableCsv(rows);
        writeFileSync(o.out, csv);
        process.stdout.write(
          `wrote ${o.out}: ${rows.length} patients, ${csv.split("\n")[0].split(",").length - 3} features in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`,
        );
      },
    );
}

/** `nac model register|list|activate|export|import`: the model registry. */
export function registerModelCommands(program: Command): void {
  const model = program
    .command("model")
    .description("model registry: bundles registered from experiments or imported; activation");
  model
    .command("register")
    .description(
      "register an experiment's feature set as a new model bundle version (protocol re-run with the final model; not activated)",
    )
    .requiredOption("--experiment <id>", "experiment id")
    .requiredOption("--feature-set <name>", "feature set name")
    .option("--demo", "trained on synthetic or demonstration data (the model card says so)")
    .option(
      "--allow-similar-cases",
      "the site allows similar cases: the bundle carries de-identified training cases (features and outcomes, no names or ids); off by default",
    )
    .option("--no-calibration", "skip the calibration map (probabilities stay uncalibrated)")
    .option("--workers <n>", "worker threads", "2")
    .action(
      async (o: {
        experiment: string;
        featureSet: string;
        demo?: boolean;
        allowSimilarCases?: boolean;
        calibration: boolean;
        workers: string;
      }) => {
        await withDeps(async (deps) => {
          const r = await registerFromExperiment(deps, {
            experimentId: o.experiment,
            featureSet: o.featureSet,
            actor: CLI_ACTOR,
            demo: !!o.demo,
            allowSimilarCases: !!o.allowSimilarCases,
            calibrate: o.calibration,
            build: inProcessBundleBuilder(positiveInt("--workers", o.workers)),
          });
          process.stdout.write(
            `registered ${r.bundleId} ${r.version} (id ${r.id}); an admin activates it: nac model activate ${r.id}\n`,
          );
        });
      },
    );
  model
    .command("list")
    .description("list registered model bundles")
    .action(async () => {
      await withDeps(async (deps) => {
        for (const b of await listBundles(deps)) {
          process.stdout.write(
            `${b.isActive ? "*" : " "} ${b.id}  ${b.bundleId} ${b.version}  ${b.source}${b.experimentId ? ` ${b.experimentId}/${b.featureSet}` : ""}  ${b.predictions} predictions  sha256 ${b.sha256.slice(0, 12)}…${b.isDemo ? "  (demo)" : ""}\n`,
          );
        }
      });
    });
  model
    .command("activate")
    .description("make a bundle the active model for Predict (audited; the CLI acts as the operator account given)")
    .argument("<id>", "model bundle id (nac model list)")
    .requiredOption("--as <username>", "an admin account on whose authority the bundle is activated")
    .action(async (id: string, o: { as: string }) => {
      await withDeps(async (deps) => {
        const u = await deps.prisma.user.findUnique({ where: { username: o.as } });
        if (!u || u.disabledAt) throw new NacError("NOT_FOUND", `no active account ${o.as}`);
        if (u.role !== "admin") throw new NacError("FORBIDDEN", `${o.as} is not an admin: only admins activate models`);
        const r = await activateBundle(deps, id, { id: u.id, username: u.username });
        process.stdout.write(`activated ${id}${r.previous ? ` (was ${r.previous})` : ""}\n`);
      });
    });
  model
    .command("export")
    .description("write a registered bundle file (verified) for another site")
    .argument("<id>", "model bundle id")
    .requiredOption("--out <file>", "bundle JSON to write")
    .action(async (id: string, o: { out: string }) => {
      await withDeps(async (deps) => {
        const r = await exportBundle(deps, id, CLI_ACTOR);
        writeFileSync(o.out, r.bytes);
        process.stdout.write(`wrote ${o.out} (${r.bytes.length} bytes)\n`);
      });
    });
  model
    .command("import")
    .description("register a bundle file from another site (refused when any part's hash does not match)")
    .argument("<file>", "bundle JSON (or .json.gz)")
    .action(async (file: string) => {
      await withDeps(async (deps) => {
        const r = await importBundle(deps, readBytes(file, "model bundle"), CLI_ACTOR);
        process.stdout.write(
          `${r.action === "exists" ? "already registered" : "imported"} ${r.bundleId} ${r.version} (id ${r.id}; not active)\n`,
        );
      });
    });
}
