/**
 * Booster: an XGBoost tree-ensemble model loaded from XGBoost JSON or UBJSON, with XGBoost-identical inference
 * (margins, transformed predictions, leaf indices, TreeSHAP contributions) and export back to XGBoost JSON.
 */
import { NacError } from "../../errors";
import type { Matrix } from "../matrix";
import type { XGBModel } from "./model";
import { modelFromJsonObject, modelFromJsonText, modelToJsonObject, modelToJsonText } from "./model-json";
import { predictLeaf, predictMargin, transformMargin } from "./predict";
import { predictContribs } from "./shap";
import { decodeUbjson, encodeUbjson, type UbjValue } from "./ubjson";
import { gainImportance, type ImportanceType } from "./importance";

export class Booster {
  constructor(readonly model: XGBModel) {}

  /** Parses an XGBoost JSON model (text). */
  static fromJSON(text: string): Booster {
    return new Booster(modelFromJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
  }

  /** Parses an XGBoost UBJSON model (`save_model("m.ubj")`). */
  static fromUBJSON(bytes: Uint8Array): Booster {
    return new Booster(modelFromJsonObject(decodeUbjson(bytes)));
  }

  /** Detects the format: JSON text starts with `{` (after whitespace); UBJSON with `{` followed by a marker. */
  static load(data: string | Uint8Array): Booster {
    if (typeof data === "string") return Booster.fromJSON(data);
    let i = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0; // UTF-8 byte order mark
    while (i < data.length && (data[i] === 0x20 || data[i] === 0x0a || data[i] === 0x0d || data[i] === 0x09)) i++;
    if (data[i] !== 0x7b)
      throw new NacError("MODEL_INVALID", "not an XGBoost JSON or UBJSON model (does not start with '{')");
    const next = data[i + 1];
    // JSON: `{"` or whitespace/`}`; UBJSON object: `{` then `#`, `$`, `}` or a length marker (i, U, I, l, L).
    if (next === 0x22 || next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09)
      return Booster.fromJSON(new TextDecoder().decode(data.subarray(i)));
    return Booster.fromUBJSON(data);
  }

  get numFeature(): number {
    return this.model.numFeature;
  }

  get numGroup(): number {
    return this.model.numGroup;
  }

  /** Raw margin, rows x numGroup row-major. */
  predictMargin(X: Matrix): Float64Array {
    return predictMargin(this.model, X);
  }

  /** Objective output: probabilities for binary:logistic / multi:softprob (rows x numGroup), values for regression. */
  predict(X: Matrix): Float64Array {
    return transformMargin(this.model, predictMargin(this.model, X));
  }

  /** Leaf node id per row and tree, rows x trees. */
  predictLeaf(X: Matrix): Int32Array {
    return predictLeaf(this.model, X);
  }

  /** TreeSHAP, rows x numGroup x (numFeature + 1), bias last. */
  predictContribs(X: Matrix): Float64Array {
    return predictContribs(this.model, X);
  }

  /** Feature importance as XGBoost get_score (by feature index; features never used are absent). */
  getScore(type: ImportanceType = "total_gain"): Map<number, number> {
    return gainImportance(this.model, type);
  }

  toJSON(): string {
    return modelToJsonText(this.model);
  }

  toUBJSON(): Uint8Array {
    return encodeUbjson(modelToJsonObject(this.model) as unknown as UbjValue);
  }
}
