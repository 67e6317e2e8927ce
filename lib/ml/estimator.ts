import type { Matrix } from "./matrix";

/**
 * scikit-learn-style binary classifier contract used by RFE and the protocol.
 * `fit` returns the fitted estimator; calling predict before fit throws NacError NOT_FITTED.
 * Labels are 0/1.
 */
export interface BinaryEstimator {
  fit(X: Matrix, y: Uint8Array): this;
  /** Probability of class 1 for each row. */
  predictProba(X: Matrix): Float64Array;
  /** One non-negative importance per column of the training matrix (e.g. XGBoost total gain). */
  featureImportances(): Float64Array;
  /** An unfitted copy with the same hyper-parameters. */
  clone(): BinaryEstimator;
  /**
   * Optional shortcut for RFE: the same as clone().fit(X, y) when X is this estimator's training matrix restricted to
   * the columns `keep` (ascending positions) and y its labels, reusing what provably does not change (XGBoost exact:
   * the trees grown before the first one a dropped column took part in).
   */
  refitOnColumns?(keep: number[], X: Matrix, y: Uint8Array): BinaryEstimator;
}
