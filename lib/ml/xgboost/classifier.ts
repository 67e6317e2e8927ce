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
    if (objective !== "binary:logistic") throw new NacError("SETTINGS_INVALID", `XGBClassifier trains binary:logistic, not ${String(objective)}`);
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

  toBooster(): Booster {
    return this.fittedBooster();
  }
}
