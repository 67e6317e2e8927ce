/**
 * The paper's comparison in one run: every feature set x endpoint of an experiment through lib/ml/protocol, summarised
 * as the paper reports it (mean ± SD over partitions) plus a 95 % interval, the mean ROC curve with its band, a
 * calibration table and selection frequencies. Pure: takes a parsed table, returns data; the protocol runner is
 * injectable (serial here, worker threads in Node) and both give identical numbers.
 */
import { NacError } from "../errors";
import type { BinaryMetrics, MetricName } from "../ml/metrics/evaluate";
import { METRIC_NAMES } from "../ml/metrics/evaluate";
import type { SelectionFrequency } from "../ml/metrics/summary";
import { parseProtocolConfig, type ProtocolConfig } from "../ml/protocol/config";
import { runProtocol, type ProtocolInput, type ProtocolResult } from "../ml/protocol/run-protocol";
import { correctedResampledCi } from "./confidence";
import { parseExperimentConfig, resolveFeatureSets, type ExperimentConfig } from "./config";
import { calibrationBins, meanRoc, rocCurve, type CalibrationBin, type MeanRoc } from "./curves";
import { featureSetLabel, type FeatureSetSelector } from "./feature-sets";
import { protocolInputOf, type ExperimentTable, type OutcomeColumn } from "./feature-table";
import { engineVersions } from "./version";

export type ProtocolRunner = (
  input: ProtocolInput,
  config: ProtocolConfig,
  onProgress?: (done: number, total: number) => void,
) => ProtocolResult | Promise<ProtocolResult>;

export const serialRunner: ProtocolRunner = (input, config, onProgress) => runProtocol(input, config, onProgress);

export interface MetricSummaryWithCi {
  mean: number;
  sd: number;
  min: number;
  max: number;
  n: number;
  /** Corrected resampled t interval (confidence.ts) at the protocol's ciLevel; null with one partition. */
  ciLower: number | null;
  ciUpper: number | null;
}

export interface ExperimentRun {
  featureSet: string;
  featureSetLabel: string;
  selector: Omit<FeatureSetSelector, "name">;
  endpoint: OutcomeColumn;
  nRows: number;
  nPositive: number;
  nFeatures: number;
  /** The protocol configuration exactly as run (threshold resolved, no final model): re-run it to get these numbers. */
  config: ProtocolConfig;
  metrics: Record<MetricName, MetricSummaryWithCi | null>;
  partitions: { index: number; testRowIds: string[]; testProbabilities: number[]; metrics: BinaryMetrics }[];
  roc: MeanRoc;
  calibration: CalibrationBin[];
  selectionFrequency: SelectionFrequency[];
  mrmrFrequency: SelectionFrequency[];
  elapsedMs: number;
}

export interface ExperimentResult {
  config: ExperimentConfig;
  engine: Record<string, string>;
  table: { sha256: string; rows: number; columns: number };
  featureSets: { name: string; label: string; columns: number }[];
  skipped: { name: string; reason: string }[];
  runs: ExperimentRun[];
  elapsedMs: number;
}

/** Metrics whose range is [0, 1] (their intervals are clipped to it). */
const UNIT_METRICS = new Set<MetricName>(
  METRIC_NAMES.filter((m) => m !== "calibrationIntercept" && m !== "calibrationSlope"),
);

function thresholdFor(config: ExperimentConfig, y: Uint8Array): number {
  if (config.threshold !== "prevalence") return config.threshold;
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  // Balanced accuracy is maximised by thresholding a calibrated probability at the prevalence, not at 0.5.
  return Math.min(0.99, Math.max(0.01, Math.round((pos / y.length) * 100) / 100));
}

/** Summarises one protocol result the way the experiment reports it. */
export function summariseRun(
  r: ProtocolResult,
  y: ArrayLike<number>,
  sel: FeatureSetSelector,
  endpoint: OutcomeColumn,
  topFeatures: number,
  elapsedMs: number,
): ExperimentRun {
  const ids = r.rowIds ?? r.partitions[0].testRows.map(String);
  const nTest = r.partitions[0].testRows.length;
  const nTrain = r.partitions[0].trainRows.length;
  const metrics = {} as ExperimentRun["metrics"];
  for (const m of METRIC_NAMES) {
    const s = r.summary[m];
    if (!s) {
      metrics[m] = null;
      continue;
    }
    const ci = correctedResampledCi(
      s.mean,
      s.sd,
      s.n,
      nTest,
      nTrain,
      r.config.ciLevel,
      UNIT_METRICS.has(m) ? [0, 1] : undefined,
    );
    metrics[m] = { ...s, ciLower: ci?.lower ?? null, ciUpper: ci?.upper ?? null };
  }
  const yOf = (rows: number[]) => rows.map((i) => y[i]);
  const curves = r.partitions.map((p) => rocCurve(yOf(p.testRows), p.testProbabilities));
  const pooledY = r.partitions.flatMap((p) => yOf(p.testRows));
  const pooledP = r.partitions.flatMap((p) => p.testProbabilities);
  const { name: _name, ...selector } = sel;
  return {
    featureSet: sel.name,
    featureSetLabel: featureSetLabel(sel),
    selector,
    endpoint,
    nRows: r.nRows,
    nPositive: r.nPositive,
    nFeatures: r.featureNames.length,
    config: r.config,
    metrics,
    partitions: r.partitions.map((p) => ({
      index: p.index,
      testRowIds: p.testRows.map((i) => ids[i]),
      testProbabilities: p.testProbabilities,
      metrics: p.metrics,
    })),
    roc: meanRoc(curves),
    calibration: calibrationBins(pooledY, pooledP),
    selectionFrequency: r.selectionFrequency.slice(0, topFeatures),
    mrmrFrequency: r.mrmrFrequency.slice(0, topFeatures),
    elapsedMs,
  };
}

export interface RunExperimentOptions {
  runner?: ProtocolRunner;
  onProgress?: (done: number, total: number, what: string) => void;
  /** Checked between runs: throw to stop (e.g. a cancelled job). */
  checkpoint?: () => void | Promise<void>;
}

/** Runs every feature set x endpoint of the experiment on the table, in a fixed order (sets, then endpoints). */
export async function runExperiment(
  table: ExperimentTable,
  configInput: unknown,
  o: RunExperimentOptions = {},
): Promise<ExperimentResult> {
  const t0 = performance.now();
  const config = parseExperimentConfig(configInput);
  for (const e of config.endpoints)
    if (!table.outcomes[e])
      throw new NacError("DATA_INVALID", `feature table has no "${e}" column for the ${e} endpoint`);
  const { sets, skipped } = resolveFeatureSets(config, table.columns);
  const runner = o.runner ?? serialRunner;
  const runs: ExperimentRun[] = [];
  const total = sets.length * config.endpoints.length;
  for (const set of sets) {
    for (const endpoint of config.endpoints) {
      await o.checkpoint?.();
      const what = `${set.name} / ${endpoint}`;
      o.onProgress?.(runs.length, total, what);
      const input = protocolInputOf(table, set.columns, endpoint);
      const protocolConfig = parseProtocolConfig({
        ...config.protocol,
        threshold: thresholdFor(config, input.y),
        finalModel: false,
      });
      const t1 = performance.now();
      const r = await runner(input, protocolConfig);
      runs.push(summariseRun(r, input.y, set, endpoint, config.topFeatures, performance.now() - t1));
    }
  }
  o.onProgress?.(total, total, "done");
  return {
    config,
    engine: engineVersions(),
    table: { sha256: table.sha256, rows: table.rowIds.length, columns: table.columns.length },
    featureSets: sets.map((s) => ({ name: s.name, label: featureSetLabel(s), columns: s.columns.length })),
    skipped,
    runs,
    elapsedMs: performance.now() - t0,
  };
}
