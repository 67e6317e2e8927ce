import { NacError } from "../../errors";
import type { BinaryEstimator } from "../estimator";
import { selectColumns, selectRows, type Matrix } from "../matrix";
import { aucWithCi } from "../metrics/auc";
import { thresholdMetrics } from "../metrics/threshold-metrics";
import { stratifiedKFold } from "../protocol/partitions";

export interface RfeOptions {
  estimator: BinaryEstimator;
  /** Integer count, or a fraction in (0, 1) of the columns (scikit-learn: int(n · fraction)); default half. */
  nFeaturesToSelect?: number;
  /** Columns removed per iteration: integer ≥ 1, or a fraction in (0, 1) of the ORIGINAL count (at least 1). */
  step?: number;
}

export interface RfeResult {
  /** Selected column indices, ascending. */
  selected: number[];
  /** scikit-learn ranking_: 1 for selected, larger for earlier-eliminated columns. */
  ranking: number[];
  /** Estimator refitted on the selected columns. */
  estimator: BinaryEstimator;
}

function resolveStep(step: number, nFeatures: number): number {
  if (!(step > 0)) throw new NacError("SETTINGS_INVALID", `RFE step must be > 0, got ${step}`);
  if (step < 1) return Math.max(1, Math.floor(step * nFeatures));
  if (!Number.isInteger(step)) throw new NacError("SETTINGS_INVALID", `RFE step >= 1 must be an integer, got ${step}`);
  return step;
}

function resolveTarget(target: number | undefined, nFeatures: number): number {
  if (target === undefined) return Math.floor(nFeatures / 2);
  if (target > 0 && target < 1) return Math.floor(nFeatures * target);
  if (!Number.isInteger(target) || target < 1)
    throw new NacError(
      "SETTINGS_INVALID",
      `RFE nFeaturesToSelect must be a positive integer or a fraction, got ${target}`,
    );
  return target;
}

/** Stable ascending argsort (ties keep column order: the earlier column of equal importance is removed first). */
function argsortStable(v: ArrayLike<number>): number[] {
  return Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
}

/**
 * Recursive feature elimination as scikit-learn's RFE: fit on the surviving columns, drop the `step` columns of
 * lowest importance (never going below the target), repeat; then refit on the survivors. `onStep` sees each
 * fitted estimator with its column set (RFECV scores the path through it).
 */
export function rfe(
  X: Matrix,
  y: Uint8Array,
  opts: RfeOptions,
  onStep?: (est: BinaryEstimator, features: number[]) => void,
): RfeResult {
  const p = X.cols;
  const target = resolveTarget(opts.nFeaturesToSelect, p);
  if (target > p) throw new NacError("SETTINGS_INVALID", `RFE target ${target} exceeds the ${p} available columns`);
  const step = resolveStep(opts.step ?? 1, p);
  const support = new Array<boolean>(p).fill(true);
  const ranking = new Array<number>(p).fill(1);
  let nLeft = p;
  // The previous step's fit and columns: the next fit may reuse part of it (refitOnColumns).
  let prev: { est: BinaryEstimator; features: number[] } | null = null;
  const fitOn = (features: number[]): BinaryEstimator => {
    const Xs = selectColumns(X, features);
    if (!prev?.est.refitOnColumns) return opts.estimator.clone().fit(Xs, y);
    const at = new Map(prev.features.map((f, j) => [f, j]));
    return prev.est.refitOnColumns(
      features.map((f) => at.get(f)!),
      Xs,
      y,
    );
  };
  while (nLeft > target) {
    const features = support.flatMap((s, i) => (s ? [i] : []));
    const est = fitOn(features);
    const imp = est.featureImportances();
    if (imp.length !== features.length)
      throw new NacError("INTERNAL", `estimator returned ${imp.length} importances for ${features.length} columns`);
    for (let j = 0; j < imp.length; j++) {
      if (!Number.isFinite(imp[j]))
        throw new NacError("INTERNAL", `estimator returned a non-finite importance for column ${features[j]}`);
    }
    onStep?.(est, features);
    const ranks = argsortStable(imp);
    const drop = Math.min(step, nLeft - target);
    for (let j = 0; j < drop; j++) support[features[ranks[j]]] = false;
    nLeft -= drop;
    for (let i = 0; i < p; i++) if (!support[i]) ranking[i]++;
    prev = { est, features };
  }
  const selected = support.flatMap((s, i) => (s ? [i] : []));
  const estimator = fitOn(selected);
  onStep?.(estimator, selected);
  return { selected, ranking, estimator };
}

export type RfecvScoring = "auc" | "balancedAccuracy";

export interface RfecvOptions extends Omit<RfeOptions, "nFeaturesToSelect"> {
  folds?: number;
  minFeaturesToSelect?: number;
  scoring?: RfecvScoring;
  seed?: number;
}

export interface RfecvResult extends RfeResult {
  /** Number of features chosen by CV. */
  nFeatures: number;
  /** Mean CV score for each feature count on the elimination path (largest count first). */
  cvScores: { nFeatures: number; mean: number }[];
}

/**
 * RFECV as scikit-learn 1.2: on each stratified fold run RFE down to minFeaturesToSelect, scoring the held-out
 * fold at every step; average scores per feature count and take the best, ties going to the FEWER features
 * (scikit-learn takes the last maximum of the path); then run RFE on all rows to that count.
 */
export function rfecv(X: Matrix, y: Uint8Array, opts: RfecvOptions): RfecvResult {
  const folds = opts.folds ?? 5;
  const minF = opts.minFeaturesToSelect ?? 1;
  const scoring = opts.scoring ?? "auc";
  const p = X.cols;
  const step = resolveStep(opts.step ?? 1, p);
  if (!Number.isInteger(minF) || minF < 1 || minF > p)
    throw new NacError("SETTINGS_INVALID", `RFECV minFeaturesToSelect must be in [1, ${p}], got ${minF}`);
  const splits = stratifiedKFold(y, folds, opts.seed ?? 0);
  let sums: number[] | null = null;
  let counts: number[] = [];
  for (const { train, test } of splits) {
    const Xtr = selectRows(X, train),
      Xte = selectRows(X, test);
    const ytr = Uint8Array.from(train, (i) => y[i]),
      yte = Uint8Array.from(test, (i) => y[i]);
    const path: number[] = [];
    const sizes: number[] = [];
    rfe(Xtr, ytr, { estimator: opts.estimator, nFeaturesToSelect: minF, step }, (est, features) => {
      const prob = est.predictProba(selectColumns(Xte, features));
      path.push(scoring === "auc" ? aucWithCi(yte, prob).auc : thresholdMetrics(yte, prob).balancedAccuracy);
      sizes.push(features.length);
    });
    if (!sums) {
      sums = path.slice();
      counts = sizes;
    } else for (let i = 0; i < path.length; i++) sums[i] += path[i];
  }
  const means = sums!.map((s) => s / splits.length);
  let bestIdx = 0;
  for (let i = 1; i < means.length; i++) if (means[i] >= means[bestIdx]) bestIdx = i;
  const nFeatures = counts[bestIdx];
  const final = rfe(X, y, { estimator: opts.estimator, nFeaturesToSelect: nFeatures, step });
  return { ...final, nFeatures, cvScores: means.map((mean, i) => ({ nFeatures: counts[i], mean })) };
}
