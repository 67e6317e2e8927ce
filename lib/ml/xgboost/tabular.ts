/**
 * Table-level prediction and training for the `xgb` command line: column selection by feature name, output columns
 * named after the prediction kind. Pure (text in, text out) so it is testable without files.
 */
import { NacError } from "../../errors";
import { selectColumns, type Matrix } from "../matrix";
import { Booster } from "./booster";
import { formatCsv, parseNumericCsv, type NumericTable } from "./csv";
import type { ParamInput } from "./train/params";
import { trainBooster } from "./train/train";

export type PredictKind = "prediction" | "margin" | "contribs" | "leaf";

/**
 * Model feature columns of a table: by name when the model stores feature names (extra columns ignored), otherwise
 * every column not in `drop`, in order, which must match the model's feature count.
 */
export function featureMatrix(b: Booster, t: NumericTable, drop: string[] = []): { X: Matrix; names: string[] } {
  const names = b.model.featureNames;
  if (names.length > 0) {
    const idx = names.map((n) => {
      const i = t.header.indexOf(n);
      if (i < 0) throw new NacError("DATA_INVALID", `data has no column "${n}" required by the model`);
      return i;
    });
    return { X: selectColumns(t.matrix, idx), names };
  }
  for (const d of drop)
    if (!t.header.includes(d)) throw new NacError("DATA_INVALID", `--drop column "${d}" is not in the data`);
  const idx = t.header.map((_, i) => i).filter((i) => !drop.includes(t.header[i]));
  if (idx.length !== b.numFeature)
    throw new NacError(
      "DATA_INVALID",
      `data has ${idx.length} feature columns but the model expects ${b.numFeature} (model has no feature names; use --drop)`,
    );
  return { X: selectColumns(t.matrix, idx), names: idx.map((i) => t.header[i]) };
}

/** Prediction CSV text (shortest round-trip number formatting). */
export function predictCsv(b: Booster, dataCsv: string, kind: PredictKind, drop: string[] = []): string {
  const { X, names } = featureMatrix(b, parseNumericCsv(dataCsv), drop);
  const G = b.numGroup;
  const suffix = (base: string) => (G === 1 ? [base] : Array.from({ length: G }, (_, g) => `${base}_${g}`));
  switch (kind) {
    case "prediction": {
      const p = b.predict(X);
      const cols = b.model.objective === "multi:softmax" ? ["class"] : suffix("prediction");
      return formatCsv(cols, X.rows, cols.length, p);
    }
    case "margin":
      return formatCsv(suffix("margin"), X.rows, G, b.predictMargin(X));
    case "contribs": {
      const per = [...names, "bias"];
      const cols = G === 1 ? per : Array.from({ length: G }, (_, g) => per.map((n) => `${n}_class${g}`)).flat();
      return formatCsv(cols, X.rows, cols.length, b.predictContribs(X));
    }
    case "leaf": {
      const T = b.model.trees.length;
      return formatCsv(
        Array.from({ length: T }, (_, t) => `tree_${t}`),
        X.rows,
        T,
        b.predictLeaf(X),
      );
    }
  }
}

/** Trains on a CSV with a label column; every other column not in `drop` is a feature (names kept in the model). */
export function trainFromCsv(dataCsv: string, label: string, params: ParamInput, drop: string[] = []): Booster {
  const t = parseNumericCsv(dataCsv);
  const li = t.header.indexOf(label);
  if (li < 0) throw new NacError("DATA_INVALID", `label column "${label}" is not in the data`);
  for (const d of drop)
    if (!t.header.includes(d)) throw new NacError("DATA_INVALID", `--drop column "${d}" is not in the data`);
  const idx = t.header.map((_, i) => i).filter((i) => i !== li && !drop.includes(t.header[i]));
  const y = selectColumns(t.matrix, [li]).data;
  for (let r = 0; r < y.length; r++)
    if (Number.isNaN(y[r])) throw new NacError("DATA_INVALID", `label of data row ${r + 1} is missing`);
  const model = trainBooster(selectColumns(t.matrix, idx), y, params, { featureNames: idx.map((i) => t.header[i]) });
  return new Booster(model);
}
