/**
 * In-memory XGBoost tree-ensemble model, laid out as XGBoost's JSON model (one struct of arrays per tree),
 * so node ids and leaf indices are exactly XGBoost's. Values XGBoost keeps as float32 are Float32Array.
 */
import { NacError } from "../../errors";

export type Objective =
  "binary:logistic" | "binary:logitraw" | "reg:squarederror" | "reg:logistic" | "multi:softprob" | "multi:softmax";

export const SUPPORTED_OBJECTIVES: readonly Objective[] = [
  "binary:logistic",
  "binary:logitraw",
  "reg:squarederror",
  "reg:logistic",
  "multi:softprob",
  "multi:softmax",
];

export interface XGBTree {
  /** -1 for a leaf. */
  left: Int32Array;
  right: Int32Array;
  /** 2147483647 (XGBoost's marker) for the root. */
  parent: Int32Array;
  splitIndex: Int32Array;
  /** Split threshold for inner nodes (go left when x < value), leaf value for leaves (as XGBoost stores it). */
  splitCondition: Float32Array;
  defaultLeft: Uint8Array;
  /** Unscaled node weight (before eta), loss change of the split, sum of hessians (cover). */
  baseWeight: Float32Array;
  lossChange: Float32Array;
  sumHessian: Float32Array;
  /** Nodes removed by pruning stay in the arrays (XGBoost keeps their ids); never reached from the root. */
  numDeleted: number;
}

export interface XGBModel {
  objective: Objective;
  /** base_score as stored by XGBoost (a probability for logistic objectives); one per output group. */
  baseScore: number[];
  numFeature: number;
  /** Number of output groups: 1 except multi-class (num_class). */
  numGroup: number;
  trees: XGBTree[];
  /** Output group of each tree. */
  treeInfo: Int32Array;
  /** DART tree weights (undefined for gbtree). */
  weightDrop?: Float32Array;
  featureNames: string[];
  featureTypes: string[];
  scalePosWeight: number;
  attributes: Record<string, string>;
  /** Version written in the source file, informational. */
  version: [number, number, number];
}

export const ROOT_PARENT = 2147483647;

/** Depth of the deepest leaf reachable from the root (root alone = 0). */
export function maxDepth(t: XGBTree, nid = 0): number {
  if (t.left[nid] === -1) return 0;
  return 1 + Math.max(maxDepth(t, t.left[nid]), maxDepth(t, t.right[nid]));
}

/** Single-precision sigmoid as XGBoost 1.7 common::Sigmoid (input clamped so expf cannot overflow). */
export function sigmoidF32(x: number): number {
  const e = Math.fround(Math.exp(Math.fround(Math.min(-x, 88.7))));
  return Math.fround(1 / Math.fround(e + 1));
}

/** Margin of base_score for the objective (XGBoost ProbToMargin), in float32. */
export function baseMargin(objective: Objective, baseScore: number): number {
  const b = Math.fround(baseScore);
  switch (objective) {
    case "binary:logistic":
    case "binary:logitraw":
    case "reg:logistic":
      if (!(b > 0 && b < 1))
        throw new NacError("MODEL_INVALID", `base_score must be in (0, 1) for ${objective}, got ${baseScore}`);
      return Math.fround(-Math.log(Math.fround(Math.fround(1 / b) - 1)));
    default:
      return b;
  }
}

export function emptyTree(capacity: number): XGBTree {
  return {
    left: new Int32Array(capacity),
    right: new Int32Array(capacity),
    parent: new Int32Array(capacity),
    splitIndex: new Int32Array(capacity),
    splitCondition: new Float32Array(capacity),
    defaultLeft: new Uint8Array(capacity),
    baseWeight: new Float32Array(capacity),
    lossChange: new Float32Array(capacity),
    sumHessian: new Float32Array(capacity),
    numDeleted: 0,
  };
}

/** Validates internal consistency so prediction never walks out of bounds or loops. */
export function validateModel(m: XGBModel): void {
  if (!SUPPORTED_OBJECTIVES.includes(m.objective))
    throw new NacError("MODEL_INVALID", `unsupported objective ${m.objective}`);
  if (m.treeInfo.length !== m.trees.length)
    throw new NacError("MODEL_INVALID", `tree_info has ${m.treeInfo.length} entries for ${m.trees.length} trees`);
  if (m.baseScore.length !== 1 && m.baseScore.length !== m.numGroup)
    throw new NacError("MODEL_INVALID", `base_score has ${m.baseScore.length} values for ${m.numGroup} output groups`);
  m.trees.forEach((t, ti) => {
    const n = t.left.length;
    if (n === 0) throw new NacError("MODEL_INVALID", `tree ${ti} has no nodes`);
    for (const a of [t.right, t.parent, t.splitIndex, t.splitCondition, t.defaultLeft])
      if (a.length !== n) throw new NacError("MODEL_INVALID", `tree ${ti}: node arrays differ in length`);
    if (m.treeInfo[ti] < 0 || m.treeInfo[ti] >= m.numGroup)
      throw new NacError("MODEL_INVALID", `tree ${ti} belongs to group ${m.treeInfo[ti]} of ${m.numGroup}`);
    // Every reachable node is visited once: out-of-range children and cycles are rejected, so walks terminate.
    const seen = new Uint8Array(n);
    const stack = [0];
    while (stack.length) {
      const nid = stack.pop()!;
      if (seen[nid]) throw new NacError("MODEL_INVALID", `tree ${ti}: node ${nid} reached twice`);
      seen[nid] = 1;
      const l = t.left[nid];
      if (l === -1) continue;
      const r = t.right[nid];
      if (!(l > 0 && l < n && r > 0 && r < n))
        throw new NacError("MODEL_INVALID", `tree ${ti}: node ${nid} has children ${l}, ${r} outside 0..${n - 1}`);
      if (t.splitIndex[nid] < 0 || t.splitIndex[nid] >= m.numFeature)
        throw new NacError(
          "MODEL_INVALID",
          `tree ${ti}: node ${nid} splits on feature ${t.splitIndex[nid]} of ${m.numFeature}`,
        );
      stack.push(l, r);
    }
  });
}
