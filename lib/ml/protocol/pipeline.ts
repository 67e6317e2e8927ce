import { NacError } from "../../errors";
import type { BinaryEstimator } from "../estimator";
import { LogisticRegression } from "../linear/logistic";
import { XGBClassifier } from "../xgboost/classifier";
import type { Matrix } from "../matrix";
import { mrmrColumnMajor } from "../selection/mrmr";
import { rfe, rfecv } from "../selection/rfe";
import type { ClassifierConfig, ProtocolConfig } from "./config";
import {
  applyPreprocessorColumnMajor,
  applyPreprocessorToColumns,
  fitPreprocessor,
  type Preprocessor,
} from "./preprocess";

/** XGBoost (importance = total gain, as RFE's default) or L2 logistic regression (importance = |coefficient|). */
export function makeEstimator(c: ClassifierConfig): BinaryEstimator {
  if (c.type === "logistic") return new LogisticRegression({ C: c.C });
  return new XGBClassifier({ ...c.params, objective: "binary:logistic" });
}

/** Everything fitted on one training set: preprocessing, selections and the classifier. */
export interface FittedPipeline {
  preprocessor: Preprocessor;
  /** mRMR choice, input column indices in selection order. */
  mrmrColumns: number[];
  /** Classifier input columns (input column indices, in the classifier's column order). */
  selectedColumns: number[];
  estimator: BinaryEstimator;
  rfeCvScores?: { nFeatures: number; mean: number }[];
}

/**
 * Fits the whole pipeline on training rows only: impute + scale -> mRMR(k) -> RFE -> classifier.
 * Nothing here sees any row outside X.
 */
export function fitPipeline(X: Matrix, y: Uint8Array, config: ProtocolConfig, seed: number): FittedPipeline {
  const preprocessor = fitPreprocessor(X);
  const k = Math.min(config.mrmr.k, X.cols);
  // mRMR reads columns: it gets the preprocessed matrix column-major (and may overwrite it); the classifier's
  // k columns are preprocessed again from X, which is cheaper than keeping a row-major copy of all of them.
  const m = mrmrColumnMajor(applyPreprocessorColumnMajor(preprocessor, X), X.rows, X.cols, y, { ...config.mrmr, k });
  if (m.selected.length === 0)
    throw new NacError("DATA_INVALID", "mRMR found no feature with positive relevance in the training data");
  const mrmrColumns = m.selected;
  const Zm = applyPreprocessorToColumns(preprocessor, X, mrmrColumns);
  const estimator = makeEstimator(config.classifier);
  const r = config.rfe;
  if (r.mode === "none" || (r.mode === "count" && r.nFeatures >= mrmrColumns.length)) {
    return { preprocessor, mrmrColumns, selectedColumns: mrmrColumns.slice(), estimator: estimator.fit(Zm, y) };
  }
  if (r.mode === "count") {
    const res = rfe(Zm, y, { estimator, nFeaturesToSelect: r.nFeatures, step: r.step });
    return {
      preprocessor,
      mrmrColumns,
      selectedColumns: res.selected.map((j) => mrmrColumns[j]),
      estimator: res.estimator,
    };
  }
  const res = rfecv(Zm, y, {
    estimator,
    step: r.step,
    folds: r.folds,
    minFeaturesToSelect: Math.min(r.minFeatures, mrmrColumns.length),
    scoring: r.scoring,
    seed,
  });
  return {
    preprocessor,
    mrmrColumns,
    selectedColumns: res.selected.map((j) => mrmrColumns[j]),
    estimator: res.estimator,
    rfeCvScores: res.cvScores,
  };
}

/** Probability of class 1 for rows of X (all input columns, raw values, NaN = missing). */
export function pipelineProba(fp: FittedPipeline, X: Matrix): Float64Array {
  return fp.estimator.predictProba(applyPreprocessorToColumns(fp.preprocessor, X, fp.selectedColumns));
}
