import { NacError } from "../../errors";
import type { BinaryEstimator } from "../estimator";
import { LogisticRegression, type LogisticModelJson } from "../linear/logistic";
import type { Matrix } from "../matrix";
import { Booster } from "../xgboost/booster";
import { modelFromJsonObject } from "../xgboost/model-json";

/** A fitted classifier as stored in results and bundles: plain JSON, loadable without the training code. */
export type ModelRecord = LogisticModelJson | XgboostModelRecord;

export interface XgboostModelRecord {
  kind: "xgboost";
  /** The XGBoost JSON model document (loads in Python xgboost.Booster.load_model). */
  model: Record<string, unknown>;
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

export function recordFromEstimator(est: BinaryEstimator): ModelRecord {
  if (est instanceof LogisticRegression) return est.toJson();
  // Via XGBoost's JSON text (float32 values as shortest round-trip decimals), so the record is plain JSON.
  if (hasBooster(est)) return { kind: "xgboost", model: JSON.parse(est.toBooster().toJSON()) as Record<string, unknown> };
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
    const b = new Booster(modelFromJsonObject(rec.model as Parameters<typeof modelFromJsonObject>[0]));
    if (b.model.objective !== "binary:logistic" || b.numGroup !== 1) {
      throw new NacError("MODEL_INVALID", `bundle models must be binary:logistic, got ${b.model.objective}`);
    }
    return { predictProba: (X) => b.predict(X), contributions: (X) => b.predictContribs(X) };
  }
  throw new NacError("MODEL_INVALID", `unknown model kind ${(rec as { kind?: unknown }).kind}`);
}
