import { NacError } from "../../errors";
import { selectRows, type Matrix } from "../matrix";
import { evaluateBinary, type BinaryMetrics } from "../metrics/evaluate";
import { selectionFrequency, summariseMetrics, type MetricsSummary, type SelectionFrequency } from "../metrics/summary";
import {
  applyCalibration,
  calibrationFigures,
  fitCalibration,
  summariseCalibration,
  type CalibrationRecord,
  type CalibrationSummary,
  type PartitionCalibration,
} from "./calibrate";
import { parseProtocolConfig, type ProtocolConfig } from "./config";
import { recordFromEstimator, type ModelRecord } from "./model-record";
import { stratifiedPartitions } from "./partitions";
import { fitPipeline, pipelineProba } from "./pipeline";
import type { Preprocessor } from "./preprocess";
import { deriveSeed } from "../../random/prng";

export interface ProtocolInput {
  /** Raw features, rows = patients; NaN = missing. */
  X: Matrix;
  /** 0/1 outcome per row. */
  y: Uint8Array;
  featureNames: string[];
  /** Optional row identifiers (kept in results so partitions can be audited and re-evaluated). */
  rowIds?: string[];
}

/** A fitted pipeline in serialisable form, with feature names instead of column indices. */
export interface PipelineRecord {
  preprocessor: Preprocessor;
  mrmrFeatures: string[];
  /** Classifier input features, in its column order. */
  selectedFeatures: string[];
  model: ModelRecord;
  rfeCvScores?: { nFeatures: number; mean: number }[];
  /** Calibration map fitted on out-of-fold predictions within the training rows (config.calibration set). */
  calibration?: CalibrationRecord;
}

export interface PartitionResult extends PipelineRecord {
  index: number;
  trainRows: number[];
  testRows: number[];
  /** The classifier's (uncalibrated) test probabilities; `metrics` are computed from these. */
  testProbabilities: number[];
  metrics: BinaryMetrics;
  /** With calibration: the test probabilities through the calibration map, and Brier / ECE before and after. */
  calibratedTestProbabilities?: number[];
  calibrationMetrics?: PartitionCalibration;
}

export interface ProtocolResult {
  config: ProtocolConfig;
  featureNames: string[];
  rowIds?: string[];
  nRows: number;
  nPositive: number;
  partitions: PartitionResult[];
  summary: MetricsSummary;
  selectionFrequency: SelectionFrequency[];
  mrmrFrequency: SelectionFrequency[];
  final?: PipelineRecord;
  /** With calibration: held-out Brier / ECE before and after across partitions, and the pooled reliability curves. */
  calibration?: CalibrationSummary;
  elapsedMs: number;
}

export function validateProtocolInput(input: ProtocolInput): void {
  const { X, y, featureNames, rowIds } = input;
  if (y.length !== X.rows) throw new NacError("DATA_INVALID", `${X.rows} feature rows but ${y.length} labels`);
  if (featureNames.length !== X.cols)
    throw new NacError("DATA_INVALID", `${X.cols} feature columns but ${featureNames.length} names`);
  if (new Set(featureNames).size !== featureNames.length)
    throw new NacError("DATA_INVALID", "feature names are not unique");
  if (rowIds && rowIds.length !== X.rows)
    throw new NacError("DATA_INVALID", `${X.rows} rows but ${rowIds.length} row ids`);
  for (let i = 0; i < X.data.length; i++) {
    const v = X.data[i];
    if (!Number.isNaN(v) && !Number.isFinite(v)) {
      throw new NacError(
        "DATA_INVALID",
        `infinite value at row ${Math.floor(i / X.cols)}, feature ${featureNames[i % X.cols]}`,
      );
    }
  }
  for (let i = 0; i < y.length; i++)
    if (y[i] !== 0 && y[i] !== 1) throw new NacError("DATA_INVALID", `label at row ${i} is ${y[i]}, expected 0 or 1`);
}

function toRecord(fp: ReturnType<typeof fitPipeline>, names: string[]): PipelineRecord {
  const selectedFeatures = fp.selectedColumns.map((c) => names[c]);
  const model = recordFromEstimator(fp.estimator, selectedFeatures);
  return {
    preprocessor: fp.preprocessor,
    mrmrFeatures: fp.mrmrColumns.map((c) => names[c]),
    selectedFeatures,
    model,
    ...(fp.rfeCvScores ? { rfeCvScores: fp.rfeCvScores } : {}),
  };
}

/**
 * The evaluation protocol: `partitions` independent stratified train/test splits; on each, the full pipeline
 * (impute + scale, mRMR, RFE, classifier) is fitted on the training rows only and scored on the test rows.
 * Reports each partition's metrics, mean ± SD across partitions and how often each feature was selected;
 * with `finalModel` the pipeline is also fitted on all rows (the deployable model; it has no held-out score).
 */
/** Fits and scores one partition (pure: the same inputs give the same result in any process). */
export function runPartition(
  input: ProtocolInput,
  config: ProtocolConfig,
  index: number,
  split: { train: number[]; test: number[] },
): PartitionResult {
  const { X, y, featureNames } = input;
  const { train, test } = split;
  const ytr = Uint8Array.from(train, (i) => y[i]);
  const fp = fitPipeline(selectRows(X, train), ytr, config, deriveSeed(config.seed, 1000 + index));
  const prob = pipelineProba(fp, selectRows(X, test));
  const yte = Uint8Array.from(test, (i) => y[i]);
  const result: PartitionResult = {
    index,
    trainRows: train,
    testRows: test,
    ...toRecord(fp, featureNames),
    testProbabilities: Array.from(prob),
    metrics: evaluateBinary(yte, prob, config.threshold, config.ciLevel),
  };
  if (!config.calibration) return result;
  // The map sees the training rows only (their out-of-fold predictions), never this partition's test rows.
  const calibration = fitCalibration(selectRows(X, train), ytr, config, deriveSeed(config.seed, 2000 + index));
  const calibrated = applyCalibration(calibration, prob);
  return {
    ...result,
    calibration,
    calibratedTestProbabilities: Array.from(calibrated),
    calibrationMetrics: { before: calibrationFigures(yte, prob), after: calibrationFigures(yte, calibrated) },
  };
}

/** Fits the pipeline on all rows (the deployable model). */
export function fitFinal(input: ProtocolInput, config: ProtocolConfig): PipelineRecord {
  const record = toRecord(fitPipeline(input.X, input.y, config, deriveSeed(config.seed, 999)), input.featureNames);
  return config.calibration
    ? { ...record, calibration: fitCalibration(input.X, input.y, config, deriveSeed(config.seed, 1999)) }
    : record;
}

/** Summaries over partition results (shared by the serial and the parallel runner). */
export function assembleResult(
  input: ProtocolInput,
  config: ProtocolConfig,
  partitions: PartitionResult[],
  final: PipelineRecord | undefined,
  elapsedMs: number,
): ProtocolResult {
  let nPositive = 0;
  for (let i = 0; i < input.y.length; i++) nPositive += input.y[i];
  return {
    config,
    featureNames: input.featureNames.slice(),
    ...(input.rowIds ? { rowIds: input.rowIds.slice() } : {}),
    nRows: input.X.rows,
    nPositive,
    partitions,
    summary: summariseMetrics(partitions.map((p) => p.metrics)),
    selectionFrequency: selectionFrequency(partitions.map((p) => p.selectedFeatures)),
    mrmrFrequency: selectionFrequency(partitions.map((p) => p.mrmrFeatures)),
    ...(final ? { final } : {}),
    ...(config.calibration ? { calibration: calibrationSummaryOf(partitions, input.y) } : {}),
    elapsedMs,
  };
}

function calibrationSummaryOf(partitions: PartitionResult[], y: Uint8Array): CalibrationSummary {
  return summariseCalibration(
    partitions.map((p) => {
      if (!p.calibration || !p.calibratedTestProbabilities || !p.calibrationMetrics)
        throw new NacError("INTERNAL", `partition ${p.index} has no calibration`);
      return {
        testRows: p.testRows,
        testProbabilities: p.testProbabilities,
        calibratedTestProbabilities: p.calibratedTestProbabilities,
        calibrationMetrics: p.calibrationMetrics,
        method: p.calibration.method,
      };
    }),
    y,
  );
}

/**
 * The evaluation protocol: `partitions` independent stratified train/test splits; on each, the full pipeline
 * (impute + scale, mRMR, RFE, classifier) is fitted on the training rows only and scored on the test rows.
 * Reports each partition's metrics, mean ± SD across partitions and how often each feature was selected;
 * with `finalModel` the pipeline is also fitted on all rows (the deployable model; it has no held-out score).
 * Single-threaded; protocol/node/run-protocol-parallel.ts runs the same partitions on worker threads.
 */
export function runProtocol(
  input: ProtocolInput,
  configInput: unknown = {},
  onProgress?: (done: number, total: number) => void,
): ProtocolResult {
  const t0 = performance.now();
  const config = parseProtocolConfig(configInput);
  validateProtocolInput(input);
  const parts = stratifiedPartitions(input.y, config.partitions, config.trainFraction, config.seed);
  const total = parts.length + (config.finalModel ? 1 : 0);
  const partitions = parts.map((split, index) => {
    const r = runPartition(input, config, index, split);
    onProgress?.(index + 1, total);
    return r;
  });
  let final: PipelineRecord | undefined;
  if (config.finalModel) {
    final = fitFinal(input, config);
    onProgress?.(total, total);
  }
  return assembleResult(input, config, partitions, final, performance.now() - t0);
}
