import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import type { Command } from "commander";
import { NacError } from "../../lib/errors";
import { buildBundle } from "../../lib/ml/bundle/build-bundle";
import type { FeatureSpec } from "../../lib/ml/bundle/schema";
import { parseFeatureTable } from "../../lib/ml/protocol/feature-table";
import { formatProtocolReport } from "../../lib/ml/protocol/format-report";
import {
  runProtocolParallel,
  startProtocolWorkers,
  type ProtocolWorkers,
} from "../../lib/ml/protocol/node/run-protocol-parallel";
import { runProtocol } from "../../lib/ml/protocol/run-protocol";

/**
 * `protocol run`: the paper's evaluation protocol (stratified partitions; impute + scale, mRMR, RFE, XGBoost fitted
 * on each training part) on a features CSV, printing mean ± SD metrics and selection frequencies; optionally
 * writes the full result as JSON and a model bundle.
 */
function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new NacError("NOT_FOUND", `cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readText(file, what));
  } catch (e) {
    if (e instanceof NacError) throw e;
    throw new NacError("BAD_REQUEST", `${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

interface RunOptions {
  features: string;
  label: string;
  config?: string;
  idColumn?: string;
  exclude?: string;
  top: string;
  jsonOut?: string;
  bundleOut?: string;
  bundleId?: string;
  bundleVersion: string;
  endpoint?: string;
  featureSpec?: string;
  demo?: boolean;
  quiet?: boolean;
  workers: string;
}

export function register(program: Command): void {
  const protocol = program
    .command("protocol")
    .description("evaluation protocol: partitions, mRMR, RFE, XGBoost, metrics");
  protocol
    .command("run")
    .description(
      "run the protocol on a features CSV and print metrics (mean ± SD across partitions) and selection frequencies",
    )
    .requiredOption(
      "--features <file>",
      "CSV with header: one row per patient, numeric feature columns; empty/NA = missing",
    )
    .requiredOption(
      "--label <columns>",
      "outcome column (0/1); several comma-separated (e.g. pCR,response) give one endpoint each",
    )
    .option("--config <file>", "protocol config JSON (partitions, trainFraction, seed, mrmr, rfe, classifier, ...)")
    .option("--id-column <column>", "patient identifier column (not a feature)")
    .option("--exclude <cols>", "comma-separated columns that are not features (e.g. other outcomes)")
    .option("--top <n>", "selection frequencies to print", "20")
    .option("--json-out <file>", "write the full result (per-partition metrics, selections, models) as JSON")
    .option("--bundle-out <file>", "write a model bundle (partition models + final model, metrics, training summary)")
    .option("--bundle-id <id>", "bundle id (default: features file name + endpoints)")
    .option("--bundle-version <v>", "bundle version", "0.1.0")
    .option("--endpoint <names>", "endpoint name(s) in the bundle, one per label (default: the label columns)")
    .option("--feature-spec <file>", "JSON array of {name, sourceRole, region, extractor, settingsHash} for the bundle")
    .option("--demo", "mark the bundle as trained on demonstration/synthetic data")
    .option("--quiet", "no progress on stderr")
    .option(
      "--workers <n>",
      "worker threads for the partitions (1 = in-process); results are identical",
      String(availableParallelism()),
    )
    .action(async (o: RunOptions) => {
      const config = o.config ? readJson(o.config, "config") : {};
      const exclude = o.exclude
        ? o.exclude
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
      const labels = o.label
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const endpoints = o.endpoint ? o.endpoint.split(",").map((s) => s.trim()) : labels;
      if (endpoints.length !== labels.length)
        throw new NacError("BAD_REQUEST", "--endpoint needs one name per --label column");
      const workers = Number(o.workers);
      if (!Number.isInteger(workers) || workers < 1)
        throw new NacError("BAD_REQUEST", `--workers must be a positive integer, got ${o.workers}`);
      // The worker threads load their modules while this thread reads and parses the table (the first run takes them).
      const prestarted = workers > 1 ? startProtocolWorkers(workers - 1) : undefined;
      try {
        await runAll(o, config, labels, endpoints, exclude, workers, prestarted);
      } finally {
        await prestarted?.stop();
      }
    });
}

async function runAll(
  o: RunOptions,
  config: unknown,
  labels: string[],
  endpoints: string[],
  exclude: string[],
  workers: number,
  prestarted: ProtocolWorkers | undefined,
): Promise<void> {
  let text = readText(o.features, "features CSV");
  const top = Number(o.top);
  if (!Number.isInteger(top) || top < 0)
    throw new NacError("BAD_REQUEST", `--top must be a non-negative integer, got ${o.top}`);
  const cfg = { ...(config as Record<string, unknown>), ...(o.bundleOut ? { finalModel: true } : {}) };
  const onProgress = o.quiet
    ? undefined
    : (done: number, total: number) => process.stderr.write(`\rprotocol: ${done}/${total} pipelines fitted`);

  // One protocol run per outcome column; the other outcome columns are never features. All tables are parsed
  // before the runs so the CSV text (the largest single allocation for a wide table) is released first.
  const inputs = labels.map((label) =>
    parseFeatureTable(text, {
      labelColumn: label,
      idColumn: o.idColumn,
      exclude: [...exclude, ...labels.filter((l) => l !== label)],
    }),
  );
  text = "";
  const runs = [];
  for (const [i, label] of labels.entries()) {
    const input = inputs[i];
    const result =
      workers === 1
        ? runProtocol(input, cfg, onProgress)
        : await runProtocolParallel(input, cfg, {
            workers,
            onProgress,
            useCallingThread: true,
            ...(i === 0 ? { prestarted } : {}),
          });
    if (!o.quiet) process.stderr.write("\n");
    if (labels.length > 1) process.stdout.write(`${i ? "\n" : ""}=== ${endpoints[i]} (label column ${label}) ===\n`);
    process.stdout.write(formatProtocolReport(result, top) + "\n");
    runs.push({ label, endpoint: endpoints[i], input, result });
  }
  if (o.jsonOut) {
    const out = labels.length === 1 ? runs[0].result : Object.fromEntries(runs.map((r) => [r.endpoint, r.result]));
    writeFileSync(o.jsonOut, JSON.stringify(out));
  }
  if (o.bundleOut) {
    const first = runs[0];
    let featureSpec: FeatureSpec[] = first.input.featureNames.map((name) => ({ name }));
    if (o.featureSpec) {
      const spec = readJson(o.featureSpec, "feature spec");
      if (!Array.isArray(spec)) throw new NacError("BAD_REQUEST", "feature spec must be a JSON array");
      featureSpec = spec as FeatureSpec[];
    }
    const bundle = buildBundle({
      bundleId: o.bundleId ?? `${basename(o.features).replace(/\.csv$/i, "")}-${endpoints.join("-")}`,
      bundleVersion: o.bundleVersion,
      modelCard: {
        title: `NACpredict model (${endpoints.join(", ")})`,
        intendedUse:
          "Research use only: estimating the probability of response to neoadjuvant chemotherapy in breast cancer from imaging features. Not a medical device; not for clinical decisions.",
        limitations: [
          ...runs.map(
            (r) =>
              `${r.endpoint}: trained on ${r.result.nRows} patients (${r.result.nPositive} positive); performance outside this population is unknown.`,
          ),
          "Validation is internal (repeated stratified partitions), not external.",
          "Inputs outside the training range are flagged but still scored.",
        ],
        trainingData: `${basename(o.features)}: ${first.result.nRows} rows, ${first.result.featureNames.length} features; label columns ${labels.join(", ")}`,
        demo: Boolean(o.demo),
      },
      featureSpec,
      endpoints: Object.fromEntries(runs.map((r) => [r.endpoint, { result: r.result, X: r.input.X, label: r.label }])),
    });
    writeFileSync(o.bundleOut, JSON.stringify(bundle));
    process.stdout.write(`Bundle written to ${o.bundleOut} (sha256 ${bundle.integrity.bundle})\n`);
  }
}
