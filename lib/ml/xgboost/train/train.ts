/**
 * Gradient boosting loop with XGBoost 1.7.4 semantics: margins start at the base margin and accumulate each tree's
 * leaf values in float32 (XGBoost's prediction cache); gradients are computed in float32 from those margins
 * (binary:logistic with scale_pos_weight on positives, reg:squarederror); then one tree is grown per round.
 */
import { NacError } from "../../../errors";
import type { Matrix } from "../../matrix";
import { baseMargin, sigmoidF32, type XGBModel, type XGBTree } from "../model";
import { leafIndex } from "../predict";
import { ExactWorkspace, growExactTree, sortColumns, type SortedColumns } from "./exact";
import { buildHistCuts, binMatrix, growHistTree, HistWorkspace } from "./hist";
import { resolveParams, type ParamInput, type TrainParams } from "./params";
import { bernoulli, MT19937, randomReplaceFlips, shuffle } from "./mt19937";

export interface TrainOptions {
  featureNames?: string[];
  /** Per-row instance weights (XGBoost DMatrix weight), default 1. */
  weights?: ArrayLike<number>;
  /**
   * exact, no column sampling: trees taken as the first rounds instead of growing them, with their `influence`. Only
   * for trees this fit would grow itself: those of a fit on the same rows and labels with more columns, up to the
   * first tree in which a column not in this fit was influential (XGBClassifier.refitOnColumns).
   */
  prefix?: { trees: XGBTree[]; influence: Int32Array[] };
  /**
   * exact: filled with one entry per tree, the columns (ascending, unique) whose candidate was some node's best; a
   * fit without any other column grows the same tree from the same gradients.
   */
  influence?: Int32Array[];
  /**
   * exact: the column-sorted view of X when the caller has it (restrictSortedColumns of a previous fit's view);
   * otherwise it is built here. Filled with the view used (`sorted.value`) for the caller to keep.
   */
  sorted?: { value?: SortedColumns };
}

const HESS_EPS = Math.fround(1e-16);

function gradients(
  p: TrainParams,
  margin: Float64Array,
  y: ArrayLike<number>,
  w: Float64Array,
  grad: Float64Array,
  hess: Float64Array,
): void {
  const f = Math.fround;
  if (p.objective === "binary:logistic") {
    for (let r = 0; r < margin.length; r++) {
      const pr = sigmoidF32(margin[r]);
      const label = y[r];
      const wr = label === 1 ? f(w[r] * p.scale_pos_weight) : w[r];
      grad[r] = f(f(pr - label) * wr);
      hess[r] = f(Math.max(f(pr * f(1 - pr)), HESS_EPS) * wr);
    }
  } else {
    for (let r = 0; r < margin.length; r++) {
      grad[r] = f(f(margin[r] - y[r]) * w[r]);
      hess[r] = w[r];
    }
  }
}

function checkInputs(X: Matrix, y: ArrayLike<number>, p: TrainParams, opts: TrainOptions): void {
  if (X.rows === 0 || X.cols === 0)
    throw new NacError("DATA_INVALID", `training matrix is empty (${X.rows} x ${X.cols})`);
  if (y.length !== X.rows) throw new NacError("DATA_INVALID", `${y.length} labels for ${X.rows} rows`);
  for (let r = 0; r < y.length; r++) {
    const v = y[r];
    if (!Number.isFinite(v)) throw new NacError("DATA_INVALID", `label of row ${r} is not a finite number`);
    if (p.objective === "binary:logistic" && !(v >= 0 && v <= 1))
      throw new NacError("DATA_INVALID", `binary:logistic labels must be in [0, 1]; row ${r} has ${v}`);
  }
  for (let i = 0; i < X.data.length; i++) {
    const v = X.data[i];
    if (v === Infinity || v === -Infinity)
      throw new NacError(
        "DATA_INVALID",
        `feature value at row ${Math.floor(i / X.cols)}, column ${i % X.cols} is infinite`,
      );
  }
  if (opts.weights) {
    if (opts.weights.length !== X.rows)
      throw new NacError("DATA_INVALID", `${opts.weights.length} weights for ${X.rows} rows`);
    for (let r = 0; r < X.rows; r++)
      if (!(opts.weights[r] >= 0)) throw new NacError("DATA_INVALID", `weight of row ${r} must be >= 0`);
  }
  if (opts.featureNames && opts.featureNames.length !== X.cols)
    throw new NacError("DATA_INVALID", `${opts.featureNames.length} feature names for ${X.cols} columns`);
}

/** Trains a gradient-boosted tree ensemble; returns an XGBModel XGBoost can load once serialised. */
export function trainBooster(
  X: Matrix,
  y: ArrayLike<number>,
  params: ParamInput = {},
  opts: TrainOptions = {},
): XGBModel {
  const p = resolveParams(params);
  checkInputs(X, y, p, opts);
  const n = X.rows;
  const F = X.cols;
  const w = new Float64Array(n).fill(1);
  if (opts.weights) for (let r = 0; r < n; r++) w[r] = Math.fround(opts.weights[r]);
  const base = baseMargin(p.objective, p.base_score);
  const margin = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const active = new Uint8Array(n);
  // XGBoost seeds its global std::mt19937 with `seed` when training starts. exact (ColMaker): each tree's column
  // sampler is seeded by one draw, then the row coin flips draw from the global engine. hist (QuantileHistMaker,
  // any nthread): one column sampler for the whole fit, seeded by the first draw; each tree's rows are flipped by a
  // 64-bit LCG (RandomReplace) seeded by one global draw.
  const globalRng = new MT19937(p.seed);
  const histColRng = p.tree_method === "hist" ? new MT19937(globalRng.nextU32()) : null;
  const allFeatures = Int32Array.from({ length: F }, (_, i) => i);

  const sorted = p.tree_method === "exact" ? (opts.sorted?.value ?? sortColumns(X.data, n, F)) : null;
  if (sorted && (sorted.rows !== n || sorted.cols !== F))
    throw new NacError("INTERNAL", `sorted columns are ${sorted.rows} x ${sorted.cols}, the matrix ${n} x ${F}`);
  if (sorted && opts.sorted) opts.sorted.value = sorted;
  const cuts = p.tree_method === "hist" ? buildHistCuts(X.data, n, F, p.max_bin) : null;
  const bins = cuts ? binMatrix(X.data, n, F, cuts) : null;
  const ws = new HistWorkspace();
  const exactWs = new ExactWorkspace();

  const prefix = opts.prefix;
  if (prefix && (!sorted || p.colsample_bytree < 1 || prefix.trees.length > p.num_boost_round))
    throw new NacError("INTERNAL", "a tree prefix needs exact training without column sampling");
  const influential: number[] = [];

  const trees: XGBTree[] = [];
  for (let round = 0; round < p.num_boost_round; round++) {
    const reused = prefix && round < prefix.trees.length;
    // A reused tree needs no gradients; the random draws below still happen, so later rounds see the same engine.
    if (!reused) gradients(p, margin, y, w, grad, hess);
    // exact: the per-tree sampler's seed is drawn every round (it moves the global engine), but the 624-word
    // engine itself is only built when columns are sampled.
    const colSeed = histColRng ? 0 : globalRng.nextU32();
    if (p.subsample >= 1) active.fill(1);
    else if (histColRng) randomReplaceFlips(globalRng.nextU32(), p.subsample, active);
    else for (let r = 0; r < n; r++) active[r] = bernoulli(globalRng, p.subsample) ? 1 : 0;
    let features: Int32Array = allFeatures;
    if (p.colsample_bytree < 1) {
      // ColumnSampler::ColSample: shuffle all columns, keep the first max(1, int(colsample * n)), sorted.
      const k = Math.max(1, Math.trunc(Math.fround(p.colsample_bytree * F)));
      const perm = allFeatures.slice();
      shuffle(perm, histColRng ?? new MT19937(colSeed));
      features = perm.slice(0, k).sort();
    }
    influential.length = 0;
    const tree = reused
      ? prefix.trees[round]
      : sorted
        ? growExactTree(sorted, grad, hess, active, features, p, exactWs, influential)
        : growHistTree(cuts!, bins!, grad, hess, active, features, p, ws);
    trees.push(tree);
    if (opts.influence && sorted)
      opts.influence.push(reused ? prefix.influence[round] : Int32Array.from(new Set(influential)).sort());
    for (let r = 0; r < n; r++)
      margin[r] = Math.fround(margin[r] + tree.splitCondition[leafIndex(tree, X.data, r * F)]);
  }
  return {
    objective: p.objective,
    baseScore: [p.base_score],
    numFeature: F,
    numGroup: 1,
    trees,
    treeInfo: new Int32Array(trees.length),
    featureNames: opts.featureNames ? [...opts.featureNames] : [],
    featureTypes: opts.featureNames ? opts.featureNames.map(() => "float") : [],
    scalePosWeight: p.scale_pos_weight,
    attributes: {},
    version: [1, 7, 4],
  };
}
