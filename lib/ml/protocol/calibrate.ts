/**
 * Probability calibration inside the protocol. A calibration map must be fitted on predictions the
 * model did not train on, and must not see the partition's test rows: the training rows are split into stratified
 * folds, the whole pipeline (impute + scale, mRMR, RFE, classifier) is refitted on all folds but one and predicts the
 * held-out fold, and the map is fitted on these out-of-fold predictions. The map is then applied to the pipeline fitted
 * on all training rows (scikit-learn's CalibratedClassifierCV(ensemble=False) does the same).
 */
import { NacError } from "../../errors";
import { calibratorFromJson, chooseCalibrator, type CalibrationMapJson, type CalibrationMethod } from "../calibration";
import { selectRows, type Matrix } from "../matrix";
import { brierScore } from "../metrics/calibration";
import { expectedCalibrationError, reliabilityCurve, type ReliabilityBin } from "../metrics/ece";
import { meanSd, type MeanSd } from "../metrics/summary";
import type { ProtocolConfig } from "./config";
import { stratifiedKFold } from "./partitions";
import { fitPipeline, pipelineProba } from "./pipeline";
import { deriveSeed } from "../../random/prng";

/** The calibration map of one fitted pipeline, with how it was chosen. */
export interface CalibrationRecord {
  method: CalibrationMethod;
  map: CalibrationMapJson;
  /** Inner folds that produced the out-of-fold predictions (and cross-validated the choice). */
  folds: number;
  /** Rows whose out-of-fold predictions the map was fitted on. */
  nRows: number;
  /** Cross-validated log loss of each candidate map on the out-of-fold predictions, and of no map. */
  logLoss: Partial<Record<CalibrationMethod, number>>;
  uncalibratedLogLoss: number;
}

export interface CalibrationFigures {
  brier: number;
  ece: number;
}

/** Held-out quality of one partition's probabilities before and after its calibration map. */
export interface PartitionCalibration {
  before: CalibrationFigures;
  after: CalibrationFigures;
}

/** Across partitions: mean ± SD of Brier and ECE before / after, and the reliability curves of the pooled test rows. */
export interface CalibrationSummary {
  before: { brier: MeanSd; ece: MeanSd };
  after: { brier: MeanSd; ece: MeanSd };
  curve: { before: ReliabilityBin[]; after: ReliabilityBin[] };
  /** How many partitions chose each method. */
  methods: Partial<Record<CalibrationMethod, number>>;
}

/** Fits the calibration map of a pipeline trained on (X, y), from out-of-fold predictions within (X, y) only. */
export function fitCalibration(X: Matrix, y: Uint8Array, config: ProtocolConfig, seed: number): CalibrationRecord {
  const c = config.calibration;
  if (!c) throw new NacError("INTERNAL", "fitCalibration called without a calibration config");
  const oof = new Float64Array(y.length);
  const splits = stratifiedKFold(y, c.folds, seed);
  splits.forEach(({ train, test }, f) => {
    const fp = fitPipeline(
      selectRows(X, train),
      Uint8Array.from(train, (i) => y[i]),
      config,
      deriveSeed(seed, 10 + f),
    );
    const p = pipelineProba(fp, selectRows(X, test));
    test.forEach((i, k) => (oof[i] = p[k]));
  });
  const choice = chooseCalibrator(oof, y, {
    folds: c.folds,
    seed: deriveSeed(seed, 99),
    methods: c.method === "auto" ? undefined : [c.method],
  });
  return {
    method: choice.method,
    map: choice.map,
    folds: c.folds,
    nRows: y.length,
    logLoss: choice.logLoss,
    uncalibratedLogLoss: choice.uncalibratedLogLoss,
  };
}

export function applyCalibration(rec: CalibrationRecord, p: ArrayLike<number>): Float64Array {
  return calibratorFromJson(rec.map).predict(p);
}

export function calibrationFigures(y: ArrayLike<number>, p: ArrayLike<number>): CalibrationFigures {
  return { brier: brierScore(y, p), ece: expectedCalibrationError(y, p) };
}

export function summariseCalibration(
  parts: {
    testRows: number[];
    testProbabilities: number[];
    calibratedTestProbabilities: number[];
    calibrationMetrics: PartitionCalibration;
    method: CalibrationMethod;
  }[],
  y: ArrayLike<number>,
): CalibrationSummary {
  const methods: CalibrationSummary["methods"] = {};
  for (const p of parts) methods[p.method] = (methods[p.method] ?? 0) + 1;
  const yy = parts.flatMap((p) => p.testRows.map((i) => y[i]));
  return {
    before: {
      brier: meanSd(parts.map((p) => p.calibrationMetrics.before.brier)),
      ece: meanSd(parts.map((p) => p.calibrationMetrics.before.ece)),
    },
    after: {
      brier: meanSd(parts.map((p) => p.calibrationMetrics.after.brier)),
      ece: meanSd(parts.map((p) => p.calibrationMetrics.after.ece)),
    },
    curve: {
      before: reliabilityCurve(
        yy,
        parts.flatMap((p) => p.testProbabilities),
      ),
      after: reliabilityCurve(
        yy,
        parts.flatMap((p) => p.calibratedTestProbabilities),
      ),
    },
    methods,
  };
}
