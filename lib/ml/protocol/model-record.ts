import { NacError } from "../../errors";
import type { BinaryEstimator } from "../estimator";
import { LogisticRegression, type LogisticModelJson } from "../linear/logistic";
import type { Matrix } from "../matrix";
import { Booster } from "../xgboost/booster";
import { modelToJsonText } from "../xgboost/model-json";

/** A fitted classifier as stored in results and bundles: plain JSON, loadable without the training code. */
export type ModelRecord = LogisticModelJson | XgboostModelRecord;

export interface XgboostModelRecord {
  kind: "xgboost";
  /**
   * The XGBoost JSON model as text, exactly as written by Booster.toJSON(): kept as a string because XGBoost's
   * reader distinguishes 1.0 from 1, which a parse/stringify round trip would lose. Save it to a .json file and
   * Python's xgboost.Booster.load_model reads it.
   */
  json: string;
}

/** Inference side of a ModelRecord. */
export interface FittedModel {
  predictProba(X: Matrix): Float64Array;
  /** Per-row contributions on the margin scale, rows × (cols + 1), bias last (TreeSHAP for XGBoost). */
  contributions?(X: Matrix): Float64Array;
}

/** Anything exposing its fitted XGBoost Booster (XGBClassifier.toBooster()). */
interface HasBooster {
  toBooster(): Booster;
}

function hasBooster(e: unknown): e is HasBooster {
  return typeof e === "object" && e !== null && typeof (e as Partial<HasBooster>).toBooster === "function";
}

/**
 * Serialises a fitted estimator. `featureNames` (the model's columns) are written into an XGBoost model that has
 * none, so the JSON is self-describing in Python too.
 */
export function recordFromEstimator(est: BinaryEstimator, featureNames?: string[]): ModelRecord {
  if (est instanceof LogisticRegression) return est.toJson();
  if (hasBooster(est)) {
    const m = est.toBooster().model;
    const named =
      featureNames && m.featureNames.length === 0 && featureNames.length === m.numFeature
        ? { ...m, featureNames: featureNames.slice(), featureTypes: featureNames.map(() => "float") }
        : m;
    return { kind: "xgboost", json: modelToJsonText(named) };
  }
  throw new NacError("INTERNAL", "cannot serialise this estimator into a model record");
}

export function modelFromRecord(rec: ModelRecord): FittedModel {
  if (rec.kind === "logistic") {
    const m = LogisticRegression.fromJson(rec);
    return {
      predictProba: (X) => m.predictProba(X),
      // Exact additive decomposition of the linear margin: coef_j · x_j, intercept as bias.
      contributions: (X) => {
        const coef = m.coefficients;
        const out = new Float64Array(X.rows * (X.cols + 1));
        for (let r = 0; r < X.rows; r++) {
          for (let c = 0; c < X.cols; c++) out[r * (X.cols + 1) + c] = coef[c] * X.data[r * X.cols + c];
          out[r * (X.cols + 1) + X.cols] = m.intercept;
        }
        return out;
      },
    };
  }
  if (rec.kind === "xgboost") {
    const b = Booster.fromJSON(rec.json);
    if (b.model.objective !== "binary:logistic" || b.numGroup !== 1) {
      throw new NacError("MODEL_INVALID", `bundle models must be binary:logistic, got ${b.model.objective}`);
    }
    return { predictProba: (X) => b.predict(X), contributions: (X) => b.predictContribs(X) };
  }
  throw new NacError("MODEL_INVALID", `unknown model kind ${(rec as { kind?: unknown }).kind}`);
}
