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
import { trainBooster } from "./train/train";

export class XGBClassifier implements BinaryEstimator {
  readonly params: Readonly<ParamInput>;
  private booster: Booster | null = null;

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
    for (let i = 0; i < y.length; i++)
      if (y[i] !== 0 && y[i] !== 1) throw new NacError("DATA_INVALID", `labels must be 0 or 1; row ${i} has ${y[i]}`);
    this.booster = new Booster(trainBooster(X, y, { ...this.params, objective: "binary:logistic" }, { featureNames }));
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
   * This model on the columns `keep` only, or null. Exact greedy training (no column sampling) picks at each node
   * the first best candidate over the columns in index order; a column that never won a split changes no choice, so
   * fitting without it gives the same trees with the remaining columns renumbered. "Never won" is read from the
   * model: not the feature of any split, no pruned split (a pruned winner leaves no trace: numDeleted must be 0), and
   * every leaf's loss_chg 0 (a leaf records its best sub-threshold candidate, which could be a dropped column).
   */
  restrictedTo(keep: number[]): XGBClassifier | null {
    const model = this.fittedBooster().model;
    const p = resolveParams({ ...this.params, objective: "binary:logistic" });
    if (p.tree_method !== "exact" || p.colsample_bytree < 1 || model.featureNames.length) return null;
    const newIndex = new Int32Array(model.numFeature).fill(-1);
    for (let j = 0; j < keep.length; j++) {
      if (!(keep[j] >= 0 && keep[j] < model.numFeature) || (j > 0 && keep[j] <= keep[j - 1])) return null;
      newIndex[keep[j]] = j;
    }
    for (const t of model.trees) {
      if (t.numDeleted !== 0) return null;
      for (let nid = 0; nid < t.left.length; nid++) {
        if (t.left[nid] === -1 ? t.lossChange[nid] !== 0 : newIndex[t.splitIndex[nid]] < 0) return null;
      }
    }
    const trees = model.trees.map((t) => {
      const splitIndex = t.splitIndex.slice();
      for (let nid = 0; nid < t.left.length; nid++)
        if (t.left[nid] !== -1) splitIndex[nid] = newIndex[t.splitIndex[nid]];
      return { ...t, splitIndex };
    });
    const out = new XGBClassifier(this.params);
    out.booster = new Booster({ ...model, numFeature: keep.length, trees });
    return out;
  }

  toBooster(): Booster {
    return this.fittedBooster();
  }
}
