/** The paper's table as text (CLI) and as CSV (export): per feature set and endpoint, mean ± SD and the 95 % interval. */
import { METRIC_NAMES } from "../ml/metrics/evaluate";
import type { ExperimentResult, ExperimentRun, MetricSummaryWithCi } from "./run-experiment";

export const TABLE_METRICS = [
  { key: "balancedAccuracy", label: "Balanced accuracy", percent: true },
  { key: "sensitivity", label: "Sensitivity", percent: true },
  { key: "specificity", label: "Specificity", percent: true },
  { key: "auc", label: "AUC", percent: false },
] as const;

export function formatMetric(s: MetricSummaryWithCi | null, percent: boolean, withCi = true): string {
  if (!s) return "—";
  const f = (x: number) => (percent ? (100 * x).toFixed(1) : x.toFixed(3));
  const ci = withCi && s.ciLower !== null && s.ciUpper !== null ? ` [${f(s.ciLower)}, ${f(s.ciUpper)}]` : "";
  return `${f(s.mean)} ± ${f(s.sd)}${ci}`;
}

/** Runs grouped by feature set in experiment order, endpoints in config order. */
export function runsBySet(
  r: Pick<ExperimentResult, "runs">,
): { featureSet: string; label: string; runs: ExperimentRun[] }[] {
  const out: { featureSet: string; label: string; runs: ExperimentRun[] }[] = [];
  for (const run of r.runs) {
    let g = out.find((x) => x.featureSet === run.featureSet);
    if (!g) out.push((g = { featureSet: run.featureSet, label: run.featureSetLabel, runs: [] }));
    g.runs.push(run);
  }
  return out;
}

/** Plain-text comparison table, one block per endpoint (rows = feature sets, best balanced accuracy marked). */
export function formatExperimentTable(r: Pick<ExperimentResult, "runs" | "config" | "table" | "skipped">): string {
  const lines: string[] = [];
  const ciPct = Math.round((r.runs[0]?.config.ciLevel ?? 0.95) * 100);
  lines.push(
    `${r.config.name}: ${r.table.rows} patients, ${r.table.columns} feature columns (sha256 ${r.table.sha256.slice(0, 12)}…)`,
  );
  lines.push(
    `Balanced accuracy, sensitivity, specificity in %, AUC; mean ± SD over partitions [${ciPct} % corrected resampled t interval]`,
  );
  for (const endpoint of r.config.endpoints) {
    const runs = r.runs.filter((x) => x.endpoint === endpoint);
    if (!runs.length) continue;
    const best = Math.max(...runs.map((x) => x.metrics.balancedAccuracy?.mean ?? -1));
    const c = runs[0].config;
    lines.push("");
    lines.push(
      `=== ${endpoint} (n = ${runs[0].nRows}, positive ${runs[0].nPositive}; ${c.partitions} partitions, threshold ${c.threshold}) ===`,
    );
    const w = Math.max(11, ...runs.map((x) => x.featureSet.length)) + 2;
    const cols = TABLE_METRICS.map((m) => m.label);
    const cw = 27;
    lines.push(`${"Feature set".padEnd(w)}${"n feat".padStart(7)}  ${cols.map((h) => h.padEnd(cw)).join("")}`);
    for (const x of runs) {
      const mark = (x.metrics.balancedAccuracy?.mean ?? -2) === best ? " *" : "";
      lines.push(
        `${x.featureSet.padEnd(w)}${String(x.nFeatures).padStart(7)}  ${TABLE_METRICS.map((m) => formatMetric(x.metrics[m.key], m.percent).padEnd(cw)).join("")}${mark}`,
      );
    }
  }
  if (r.skipped.length) {
    lines.push("");
    lines.push(`Not run: ${r.skipped.map((s) => `${s.name} (${s.reason})`).join("; ")}`);
  }
  lines.push("");
  lines.push(
    "* highest mean balanced accuracy for the endpoint. Partitions share patients: intervals are approximate.",
  );
  return lines.join("\n");
}

function csvField(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per feature set x endpoint with every metric's mean, SD, min, max and interval (full precision). */
export function experimentCsv(r: Pick<ExperimentResult, "runs">): string {
  const metricCols = METRIC_NAMES;
  const header = ["feature_set", "label", "endpoint", "n", "n_positive", "n_features", "partitions", "threshold"];
  for (const m of metricCols)
    header.push(`${m}_mean`, `${m}_sd`, `${m}_min`, `${m}_max`, `${m}_ci_lower`, `${m}_ci_upper`);
  header.push("top_features");
  const lines = [header.join(",")];
  for (const x of r.runs) {
    const row: (string | number | null)[] = [
      x.featureSet,
      x.featureSetLabel,
      x.endpoint,
      x.nRows,
      x.nPositive,
      x.nFeatures,
      x.config.partitions,
      x.config.threshold,
    ];
    for (const m of metricCols) {
      const s = x.metrics[m];
      row.push(s?.mean ?? null, s?.sd ?? null, s?.min ?? null, s?.max ?? null, s?.ciLower ?? null, s?.ciUpper ?? null);
    }
    row.push(
      x.selectionFrequency
        .slice(0, 10)
        .map((f) => `${f.feature} (${f.count})`)
        .join("; "),
    );
    lines.push(row.map(csvField).join(","));
  }
  return `${lines.join("\n")}\n`;
}
