/**
 * XGBClassifier: binary:logistic gradient boosting behind the shared BinaryEstimator contract (used by RFE and the
 * protocol). Hyper-parameters use XGBoost's names (see train/params.ts); fitted state is one Booster or nothing.
 */
import { NacError } from "../../errors";
import type { BinaryEstimator } from "../estimator";
import type { Matrix } from "../matrix";
import { Booster } from "./booster";
import { importanceVector } from "./importance";
import { resolveParams, type ParamInput } from "./train/params";
import { restrictSortedColumns, type SortedColumns } from "./train/exact";
import { trainBooster, type TrainOptions } from "./train/train";

function checkLabels(y: Uint8Array): void {
  for (let i = 0; i < y.length; i++)
    if (y[i] !== 0 && y[i] !== 1) throw new NacError("DATA_INVALID", `labels must be 0 or 1; row ${i} has ${y[i]}`);
}

/** X equals the columns `keep` of X0 and y equals y0 (the caller's promise, checked: it is cheap beside a fit). */
function sameRestrictedData(X0: Matrix, y0: Uint8Array, keep: number[], X: Matrix, y: Uint8Array): boolean {
  if (X.rows !== X0.rows || X.cols !== keep.length || y.length !== y0.length) return false;
  for (let j = 0; j < keep.length; j++)
    if (!(keep[j] >= 0 && keep[j] < X0.cols) || (j > 0 && keep[j] <= keep[j - 1])) return false;
  for (let i = 0; i < y.length; i++) if (y[i] !== y0[i]) return false;
  for (let r = 0; r < X.rows; r++)
    for (let j = 0; j < keep.length; j++) {
      const a = X.data[r * X.cols + j],
        b = X0.data[r * X0.cols + keep[j]];
      // Object.is, spelled out: it was a measurable share of RFE's time as a call.
      if (a === b ? a === 0 && 1 / a !== 1 / b : a === a || b === b) return false;
    }
  return true;
}

export class XGBClassifier implements BinaryEstimator {
  readonly params: Readonly<ParamInput>;
  private booster: Booster | null = null;
  /** The training data (not copied) and per-tree influential columns of an exact fit, for refitOnColumns. */
  private trace: { X: Matrix; y: Uint8Array; influence: Int32Array[]; sorted?: SortedColumns } | null = null;
  /** Leading trees of the last fit taken from a previous fit by refitOnColumns (0 for a fresh fit). */
  reusedRounds = 0;

  constructor(params: ParamInput = {}) {
    const objective = params.objective ?? "binary:logistic";
    if (objective !== "binary:logistic")
      throw new NacError("SETTINGS_INVALID", `XGBClassifier trains binary:logistic, not ${String(objective)}`);
    resolveParams(params); // fail fast on a bad parameter
    this.params = Object.freeze({ ...params });
  }

  get fitted(): boolean {
    return this.booster !== null;
  }

  fit(X: Matrix, y: Uint8Array, featureNames?: string[]): this {
    if (featureNames) {
      checkLabels(y);
      this.booster = new Booster(
        trainBooster(X, y, { ...this.params, objective: "binary:logistic" }, { featureNames }),
      );
      this.trace = null;
      this.reusedRounds = 0;
      return this;
    }
    return this.fitTraced(X, y);
  }

  /** fit, keeping what refitOnColumns needs when training is exact without column sampling. */
  private fitTraced(X: Matrix, y: Uint8Array, prefix?: TrainOptions["prefix"], sortedColumns?: SortedColumns): this {
    checkLabels(y);
    const params = { ...this.params, objective: "binary:logistic" as const };
    const p = resolveParams(params);
    const traced = p.tree_method === "exact" && p.colsample_bytree >= 1;
    const influence: Int32Array[] = [];
    const sorted: { value?: SortedColumns } = { value: sortedColumns };
    this.booster = new Booster(trainBooster(X, y, params, traced ? { prefix, influence, sorted } : {}));
    this.trace = traced ? { X, y, influence, sorted: sorted.value } : null;
    this.reusedRounds = prefix?.trees.length ?? 0;
    return this;
  }

  private fittedBooster(): Booster {
    if (!this.booster) throw new NacError("NOT_FITTED", "XGBClassifier is not fitted: call fit() first");
    return this.booster;
  }

  predictProba(X: Matrix): Float64Array {
    return this.fittedBooster().predict(X);
  }

  predictMargin(X: Matrix): Float64Array {
    return this.fittedBooster().predictMargin(X);
  }

  /** TreeSHAP, rows x (cols + 1), bias last; each row sums to the margin. */
  predictContribs(X: Matrix): Float64Array {
    return this.fittedBooster().predictContribs(X);
  }

  /** XGBoost get_score(importance_type="total_gain") per column, 0 for columns never split on. */
  featureImportances(): Float64Array {
    return importanceVector(this.fittedBooster().model, "total_gain");
  }

  clone(): XGBClassifier {
    return new XGBClassifier({ ...this.params });
  }

  /**
   * clone().fit(X, y) where X is this fit's training matrix restricted to the columns `keep` (ascending positions)
   * and y its labels, reusing the trees that provably stay the same. Exact greedy training without column sampling
   * picks at each node the first best candidate over the columns in index order, so a tree in which no dropped column
   * was influential (gave some node's best candidate, split or leaf record, before pruning) is grown again identically
   * from the same gradients, renumbered; trees are reused up to the first one where a dropped column was
   * influential, and boosting goes on from there. Anything else (other data, hist, column sampling, feature names, a
   * loaded model) is a fresh fit.
   */
  refitOnColumns(keep: number[], X: Matrix, y: Uint8Array): XGBClassifier {
    const trace = this.trace;
    const model = this.booster?.model;
    if (!trace || !model || !sameRestrictedData(trace.X, trace.y, keep, X, y)) return this.clone().fit(X, y);
    const newIndex = new Int32Array(model.numFeature).fill(-1);
    for (let j = 0; j < keep.length; j++) newIndex[keep[j]] = j;
    let reused = 0;
    while (reused < model.trees.length && trace.influence[reused].every((f) => newIndex[f] >= 0)) reused++;
    const trees = model.trees.slice(0, reused).map((t) => {
      const splitIndex = t.splitIndex.slice();
      for (let nid = 0; nid < t.left.length; nid++)
        if (t.left[nid] !== -1) splitIndex[nid] = newIndex[t.splitIndex[nid]];
      return { ...t, splitIndex };
    });
    const influence = trace.influence.slice(0, reused).map((list) => list.map((f) => newIndex[f]));
    // The kept columns' sorted order is this fit's, copied (sorting them again gives the same).
    const sorted = trace.sorted ? restrictSortedColumns(trace.sorted, keep) : undefined;
    return this.clone().fitTraced(X, y, { trees, influence }, sorted);
  }

  toBooster(): Booster {
    return this.fittedBooster();
  }
}
