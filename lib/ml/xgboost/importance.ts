/**
 * Feature importance as XGBoost's Booster.get_score: per feature, over all split nodes reachable from a root,
 * weight = number of splits, total_gain = sum of loss_chg, gain = total_gain / weight,
 * total_cover = sum of sum_hessian, cover = total_cover / weight.
 */
import type { XGBModel } from "./model";

export type ImportanceType = "weight" | "gain" | "total_gain" | "cover" | "total_cover";

export function gainImportance(m: XGBModel, type: ImportanceType): Map<number, number> {
  const count = new Map<number, number>();
  const gain = new Map<number, number>();
  const cover = new Map<number, number>();
  for (const t of m.trees) {
    const stack = [0];
    while (stack.length) {
      const nid = stack.pop()!;
      if (t.left[nid] === -1) continue;
      const f = t.splitIndex[nid];
      count.set(f, (count.get(f) ?? 0) + 1);
      gain.set(f, (gain.get(f) ?? 0) + t.lossChange[nid]);
      cover.set(f, (cover.get(f) ?? 0) + t.sumHessian[nid]);
      stack.push(t.left[nid], t.right[nid]);
    }
  }
  const out = new Map<number, number>();
  for (const [f, n] of [...count.entries()].sort((a, b) => a[0] - b[0])) {
    const g = gain.get(f)!;
    const c = cover.get(f)!;
    out.set(
      f,
      type === "weight" ? n : type === "total_gain" ? g : type === "gain" ? g / n : type === "total_cover" ? c : c / n,
    );
  }
  return out;
}

/** Dense per-column importance (0 for unused columns). */
export function importanceVector(m: XGBModel, type: ImportanceType = "total_gain"): Float64Array {
  const out = new Float64Array(m.numFeature);
  for (const [f, v] of gainImportance(m, type)) out[f] = v;
  return out;
}
