#!/usr/bin/env tsx
/**
 * The paper's whole comparison from a ready feature table: handcrafted vs ResNet10/18/34/50, all modalities and both
 * regions the table has, with and without clinical variables, both endpoints (20 protocol runs), the protocol's
 * default settings (10 partitions, mRMR k 50, RFE to 10 step 1, XGBoost 100 rounds exact) on worker threads, exactly
 * as `nac experiment run` computes it. Prints wall time, CPU time and peak RSS.
 *
 *   npx tsx bench/experiments/comparison.ts --table T.csv [--workers 2]
 *   npx tsx bench/experiments/comparison.ts --shape-of T.csv --rows 177    # same columns, planted-signal values
 *   npx tsx bench/experiments/comparison.ts --shape-of T.csv --rows 177 --write-table F.csv --no-run   # table only
 *
 * `--shape-of` keeps a table's header (names, so the same feature sets) and fills `--rows` rows with Gaussian values
 * (three informative columns per feature set, a few missing cells): for timing when the extracted cohort is smaller.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseExperimentTable, runExperiment, formatExperimentTable } from "../../lib/experiments";
import { runProtocolParallel } from "../../lib/ml/protocol/node/run-protocol-parallel";
import { mulberry32, normal } from "../../lib/random/prng";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function shapedTable(header: string[], rows: number, seed = 177): string {
  const rng = mulberry32(seed);
  const feats = header.filter((h) => h !== "patient_id" && h !== "pCR" && h !== "response");
  const lines = [["patient_id", ...feats, "pCR", "response"].join(",")];
  for (let r = 0; r < rows; r++) {
    const pcr = rng.next() < 0.3 ? 1 : 0;
    const resp = rng.next() < 0.6 ? 1 : 0;
    const v = feats.map((_f, j) => {
      if (rng.next() < 0.002) return "";
      const shift = j % 97 === 0 ? 0.8 * pcr : j % 89 === 0 ? 0.6 * resp : 0;
      return String(normal(rng) + shift);
    });
    lines.push([`B${String(r).padStart(4, "0")}`, ...v, pcr, resp].join(","));
  }
  return `${lines.join("\n")}\n`;
}

const workers = Number(arg("--workers") ?? 2);
let text: string;
if (arg("--table")) text = readFileSync(arg("--table")!, "utf8");
else if (arg("--shape-of")) {
  const header = readFileSync(arg("--shape-of")!, "utf8").split("\n", 1)[0].split(",");
  text = shapedTable(header, Number(arg("--rows") ?? 177));
} else {
  console.error("give --table T.csv or --shape-of T.csv --rows N");
  process.exit(2);
}
// --write-table F: also write the table, so that `nac experiment run --features F` and the UI can time the same one
if (arg("--write-table")) writeFileSync(arg("--write-table")!, text);
// --no-run: only write the table (for `nac experiment run --features F` and e2e/experiment-comparison-177.spec.ts)
if (process.argv.includes("--no-run")) process.exit(0);
const table = parseExperimentTable(text);
const cpu0 = process.cpuUsage();
let peak = process.memoryUsage().rss;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
const t0 = performance.now();
const r = await runExperiment(
  table,
  { name: "Paper comparison (bench)" },
  {
    runner: (input, c) => runProtocolParallel(input, c, { workers }),
    onProgress: (d, n, what) => process.stderr.write(`  ${d}/${n} ${what}\n`),
  },
);
const wall = (performance.now() - t0) / 1000;
clearInterval(timer);
const cpu = process.cpuUsage(cpu0);
console.log(formatExperimentTable(r));
const summary = {
  rows: table.rowIds.length,
  columns: table.columns.length,
  runs: r.runs.length,
  featureSets: r.featureSets.map((s) => `${s.name} (${s.columns})`),
  workers,
  wallSeconds: Number(wall.toFixed(1)),
  mainThreadCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
  peakRssMiB: Math.round(peak / 2 ** 20),
  perRunSeconds: r.runs.map((x) => [`${x.featureSet}/${x.endpoint}`, Number((x.elapsedMs / 1000).toFixed(1))]),
};
console.log(JSON.stringify(summary, null, 1));
if (arg("--json-out")) writeFileSync(arg("--json-out")!, JSON.stringify(summary, null, 1));
