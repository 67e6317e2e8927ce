/**
 * Exact path-dependent TreeSHAP (Lundberg et al. 2018, algorithm 2) as XGBoost's `pred_contribs`: node covers are
 * the stored sum_hessian, missing values follow default_left, and the last column is the bias (expected tree value
 * plus the base margin). Per row and group, contributions sum to the margin.
 */
import type { Matrix } from "../matrix";
import { baseMargin, maxDepth, type XGBModel, type XGBTree } from "./model";
import { checkColumns } from "./predict";

/**
 * The unique-path buffer of the reference implementation as parallel typed arrays; each recursion level works on its
 * own slice starting at an offset (parent offset + parent depth + 1), so no allocation per node.
 */
class PathBuffer {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  pweight: Float64Array;
  constructor(size: number) {
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.pweight = new Float64Array(size);
  }
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

function extendPath(b: PathBuffer, o: number, depth: number, zero: number, one: number, feature: number): void {
  const pw = b.pweight;
  b.feature[o + depth] = feature;
  b.zero[o + depth] = zero;
  b.one[o + depth] = one;
  pw[o + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    pw[o + i + 1] += (one * pw[o + i] * (i + 1)) / (depth + 1);
    pw[o + i] = (zero * pw[o + i] * (depth - i)) / (depth + 1);
  }
}

function unwindPath(b: PathBuffer, o: number, depth: number, idx: number): void {
  const pw = b.pweight;
  const one = b.one[o + idx];
  const zero = b.zero[o + idx];
  let next = pw[o + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = pw[o + i];
      pw[o + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (pw[o + i] * zero * (depth - i)) / (depth + 1);
    } else {
      pw[o + i] = (pw[o + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = idx; i < depth; i++) {
    b.feature[o + i] = b.feature[o + i + 1];
    b.zero[o + i] = b.zero[o + i + 1];
    b.one[o + i] = b.one[o + i + 1];
  }
}

function unwoundPathSum(b: PathBuffer, o: number, depth: number, idx: number): number {
  const pw = b.pweight;
  const one = b.one[o + idx];
  const zero = b.zero[o + idx];
  let next = pw[o + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = pw[o + i] - (tmp * zero * (depth - i)) / (depth + 1);
    } else if (zero !== 0) {
      total += pw[o + i] / zero / ((depth - i) / (depth + 1));
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
  b: PathBuffer,
  parentOffset: number,
  zero: number,
  one: number,
  feature: number,
): void {
  // This level's path: a copy of the parent's first depth + 1 entries placed after them (RegTree::TreeShap).
  const o = parentOffset + depth + 1;
  if (parentOffset >= 0) {
    // Short copies: a loop beats four copyWithin calls here.
    for (let i = 0; i <= depth; i++) {
      b.feature[o + i] = b.feature[parentOffset + i];
      b.zero[o + i] = b.zero[parentOffset + i];
      b.one[o + i] = b.one[parentOffset + i];
      b.pweight[o + i] = b.pweight[parentOffset + i];
    }
  }
  extendPath(b, o, depth, zero, one, feature);
  if (t.left[nid] === -1) {
    const leaf = t.splitCondition[nid];
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(b, o, depth, i);
      phi[b.feature[o + i]] += w * (b.one[o + i] - b.zero[o + i]) * leaf;
    }
    return;
  }
  const f = t.splitIndex[nid];
  const v = x[off + f];
  const hot =
    v !== v
      ? t.defaultLeft[nid]
        ? t.left[nid]
        : t.right[nid]
      : Math.fround(v) < t.splitCondition[nid]
        ? t.left[nid]
        : t.right[nid];
  const cold = hot === t.left[nid] ? t.right[nid] : t.left[nid];
  const w = t.sumHessian[nid];
  const hotZero = t.sumHessian[hot] / w;
  const coldZero = t.sumHessian[cold] / w;
  let incZero = 1;
  let incOne = 1;
  // A feature seen before on this path is unwound so it is counted once.
  let k = 0;
  for (; k <= depth; k++) if (b.feature[o + k] === f) break;
  let d = depth;
  if (k !== depth + 1) {
    incZero = b.zero[o + k];
    incOne = b.one[o + k];
    unwindPath(b, o, d, k);
    d -= 1;
  }
  treeShap(t, x, off, phi, hot, d + 1, b, o, hotZero * incZero, incOne, f);
  treeShap(t, x, off, phi, cold, d + 1, b, o, coldZero * incZero, 0, f);
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
  // Offsets grow by depth + 1 per level: (maxd + 2)(maxd + 3)/2 entries suffice.
  const buffers = m.trees.map((t) => {
    const md = maxDepth(t) + 2;
    return new PathBuffer(((md + 1) * (md + 2)) / 2 + 1);
  });
  const base = Array.from({ length: G }, (_, g) =>
    baseMargin(m.objective, m.baseScore[m.baseScore.length === 1 ? 0 : g]),
  );
  const phiTree = new Float64Array(C);
  for (let r = 0; r < X.rows; r++) {
    for (let t = 0; t < m.trees.length; t++) {
      const tree = m.trees[t];
      phiTree.fill(0);
      phiTree[F] += means[t][0];
      treeShap(tree, X.data, r * X.cols, phiTree, 0, 0, buffers[t], -1, 1, 1, -1);
      const wd = m.weightDrop ? m.weightDrop[t] : 1;
      const o = (r * G + m.treeInfo[t]) * C;
      for (let c = 0; c < C; c++) out[o + c] += phiTree[c] * wd;
    }
    for (let g = 0; g < G; g++) out[(r * G + g) * C + F] += base[g];
  }
  return out;
}
