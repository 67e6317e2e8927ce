/**
 * Tree-ensemble inference with XGBoost's CPU predictor semantics: feature values are float32, a split sends
 * x < threshold left, NaN (missing) follows default_left, and margins accumulate in float32 in tree order.
 */
import { NacError } from "../../errors";
import type { Matrix } from "../matrix";
import { baseMargin, sigmoidF32, type XGBModel, type XGBTree } from "./model";

export function checkColumns(m: XGBModel, X: Matrix): void {
  if (X.cols !== m.numFeature)
    throw new NacError("DATA_INVALID", `data has ${X.cols} columns but the model expects ${m.numFeature} features`);
}

/** Leaf reached by one row (features given at `off` in `data`). */
export function leafIndex(t: XGBTree, data: Float64Array, off: number): number {
  let nid = 0;
  const left = t.left;
  while (left[nid] !== -1) {
    const x = data[off + t.splitIndex[nid]];
    if (x !== x) nid = t.defaultLeft[nid] ? left[nid] : t.right[nid];
    else nid = Math.fround(x) < t.splitCondition[nid] ? left[nid] : t.right[nid];
  }
  return nid;
}

/** Raw margins, row-major rows x numGroup. `treeLimit` uses only the first trees (all by default). */
export function predictMargin(m: XGBModel, X: Matrix, treeLimit = m.trees.length): Float64Array {
  checkColumns(m, X);
  const G = m.numGroup;
  const out = new Float64Array(X.rows * G);
  const base = Array.from({ length: G }, (_, g) =>
    baseMargin(m.objective, m.baseScore[m.baseScore.length === 1 ? 0 : g]),
  );
  const nt = Math.min(treeLimit, m.trees.length);
  for (let r = 0; r < X.rows; r++) {
    const off = r * X.cols;
    for (let g = 0; g < G; g++) out[r * G + g] = base[g];
    for (let t = 0; t < nt; t++) {
      const tree = m.trees[t];
      const leaf = tree.splitCondition[leafIndex(tree, X.data, off)];
      const v = m.weightDrop ? Math.fround(leaf * m.weightDrop[t]) : leaf;
      const k = r * G + m.treeInfo[t];
      out[k] = Math.fround(out[k] + v);
    }
  }
  return out;
}

/** Transforms margins to the objective's output (probability for logistic/softprob, class for softmax). */
export function transformMargin(m: XGBModel, margin: Float64Array): Float64Array {
  const G = m.numGroup;
  switch (m.objective) {
    case "binary:logistic":
    case "reg:logistic":
      return margin.map(sigmoidF32);
    case "binary:logitraw":
    case "reg:squarederror":
      return margin.slice();
    case "multi:softprob": {
      const out = new Float64Array(margin.length);
      for (let r = 0; r < margin.length / G; r++) {
        // XGBoost's Softmax: subtract the max, expf in float32, normalise.
        let mx = -Infinity;
        for (let g = 0; g < G; g++) mx = Math.max(mx, margin[r * G + g]);
        let sum = 0; // XGBoost sums in double, divides by the float32 of the sum
        for (let g = 0; g < G; g++) {
          const e = Math.fround(Math.exp(Math.fround(margin[r * G + g] - mx)));
          out[r * G + g] = e;
          sum += e;
        }
        const s32 = Math.fround(sum);
        for (let g = 0; g < G; g++) out[r * G + g] = Math.fround(out[r * G + g] / s32);
      }
      return out;
    }
    case "multi:softmax": {
      const out = new Float64Array(margin.length / G);
      for (let r = 0; r < out.length; r++) {
        let best = 0;
        for (let g = 1; g < G; g++) if (margin[r * G + g] > margin[r * G + best]) best = g;
        out[r] = best;
      }
      return out;
    }
  }
}

/** Leaf index per row and tree, row-major rows x trees (as XGBoost's pred_leaf). */
export function predictLeaf(m: XGBModel, X: Matrix): Int32Array {
  checkColumns(m, X);
  const T = m.trees.length;
  const out = new Int32Array(X.rows * T);
  for (let r = 0; r < X.rows; r++)
    for (let t = 0; t < T; t++) out[r * T + t] = leafIndex(m.trees[t], X.data, r * X.cols);
  return out;
}
