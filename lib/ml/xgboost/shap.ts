/**
 * Exact path-dependent TreeSHAP (Lundberg et al. 2018, algorithm 2) as XGBoost's `pred_contribs`: node covers are
 * the stored sum_hessian, missing values follow default_left, and the last column is the bias (expected tree value
 * plus the base margin). Per row and group, contributions sum to the margin.
 */
import type { Matrix } from "../matrix";
import { baseMargin, maxDepth, type XGBModel, type XGBTree } from "./model";
import { checkColumns } from "./predict";

interface PathElement {
  feature: number;
  zero: number;
  one: number;
  pweight: number;
}

/** Expected value at each node, weighted by cover (XGBoost FillNodeMeanValues). */
function nodeMeans(t: XGBTree): Float64Array {
  const means = new Float64Array(t.left.length);
  const fill = (nid: number): number => {
    let v: number;
    if (t.left[nid] === -1) v = t.splitCondition[nid];
    else {
      const l = t.left[nid];
      const r = t.right[nid];
      v = (fill(l) * t.sumHessian[l] + fill(r) * t.sumHessian[r]) / t.sumHessian[nid];
    }
    means[nid] = v;
    return v;
  };
  fill(0);
  return means;
}

function extendPath(path: PathElement[], depth: number, zero: number, one: number, feature: number): void {
  path[depth] = { feature, zero, one, pweight: depth === 0 ? 1 : 0 };
  for (let i = depth - 1; i >= 0; i--) {
    path[i + 1].pweight += (one * path[i].pweight * (i + 1)) / (depth + 1);
    path[i].pweight = (zero * path[i].pweight * (depth - i)) / (depth + 1);
  }
}

function unwindPath(path: PathElement[], depth: number, idx: number): void {
  const one = path[idx].one;
  const zero = path[idx].zero;
  let next = path[depth].pweight;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = path[i].pweight;
      path[i].pweight = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (path[i].pweight * zero * (depth - i)) / (depth + 1);
    } else {
      path[i].pweight = (path[i].pweight * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = idx; i < depth; i++) {
    path[i].feature = path[i + 1].feature;
    path[i].zero = path[i + 1].zero;
    path[i].one = path[i + 1].one;
  }
}

function unwoundPathSum(path: PathElement[], depth: number, idx: number): number {
  const one = path[idx].one;
  const zero = path[idx].zero;
  let next = path[depth].pweight;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = path[i].pweight - (tmp * zero * (depth - i)) / (depth + 1);
    } else if (zero !== 0) {
      total += path[i].pweight / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

function treeShap(
  t: XGBTree,
  x: Float64Array,
  off: number,
  phi: Float64Array,
  nid: number,
  depth: number,
  parent: PathElement[],
  zero: number,
  one: number,
  feature: number,
): void {
  // Each level works on its own copy of the path (as the reference implementation's offset buffer).
  const path = parent.slice(0, depth).map((p) => ({ ...p }));
  extendPath(path, depth, zero, one, feature);
  if (t.left[nid] === -1) {
    const leaf = t.splitCondition[nid];
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(path, depth, i);
      phi[path[i].feature] += w * (path[i].one - path[i].zero) * leaf;
    }
    return;
  }
  const f = t.splitIndex[nid];
  const v = x[off + f];
  const hot = v !== v ? (t.defaultLeft[nid] ? t.left[nid] : t.right[nid]) : Math.fround(v) < t.splitCondition[nid] ? t.left[nid] : t.right[nid];
  const cold = hot === t.left[nid] ? t.right[nid] : t.left[nid];
  const w = t.sumHessian[nid];
  const hotZero = t.sumHessian[hot] / w;
  const coldZero = t.sumHessian[cold] / w;
  let incZero = 1;
  let incOne = 1;
  // A feature seen before on this path is unwound so it is counted once.
  let k = 0;
  for (; k <= depth; k++) if (path[k].feature === f) break;
  let d = depth;
  if (k !== depth + 1) {
    incZero = path[k].zero;
    incOne = path[k].one;
    unwindPath(path, d, k);
    d -= 1;
  }
  treeShap(t, x, off, phi, hot, d + 1, path, hotZero * incZero, incOne, f);
  treeShap(t, x, off, phi, cold, d + 1, path, coldZero * incZero, 0, f);
}

/**
 * SHAP contributions, row-major rows x numGroup x (numFeature + 1); the last entry of each block is the bias.
 */
export function predictContribs(m: XGBModel, X: Matrix): Float64Array {
  checkColumns(m, X);
  const F = m.numFeature;
  const G = m.numGroup;
  const C = F + 1;
  const out = new Float64Array(X.rows * G * C);
  const means = m.trees.map(nodeMeans);
  const depths = m.trees.map((t) => maxDepth(t));
  const base = Array.from({ length: G }, (_, g) => baseMargin(m.objective, m.baseScore[m.baseScore.length === 1 ? 0 : g]));
  const phiTree = new Float64Array(C);
  for (let r = 0; r < X.rows; r++) {
    for (let t = 0; t < m.trees.length; t++) {
      const tree = m.trees[t];
      phiTree.fill(0);
      phiTree[F] += means[t][0];
      const path: PathElement[] = new Array(depths[t] + 2);
      treeShap(tree, X.data, r * X.cols, phiTree, 0, 0, path, 1, 1, -1);
      const wd = m.weightDrop ? m.weightDrop[t] : 1;
      const o = (r * G + m.treeInfo[t]) * C;
      for (let c = 0; c < C; c++) out[o + c] += phiTree[c] * wd;
    }
    for (let g = 0; g < G; g++) out[(r * G + g) * C + F] += base[g];
  }
  return out;
}
