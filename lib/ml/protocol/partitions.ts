import { NacError } from "../../errors";
import { deriveSeed, mulberry32, shuffleInPlace } from "../../random/prng";

export interface Partition {
  train: number[];
  test: number[];
}

function classIndices(y: ArrayLike<number>): [number[], number[]] {
  const c0: number[] = [],
    c1: number[] = [];
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) c1.push(i);
    else if (y[i] === 0) c0.push(i);
    else throw new NacError("DATA_INVALID", `label at row ${i} is ${y[i]}, expected 0 or 1`);
  }
  return [c0, c1];
}

/**
 * `count` independent stratified random train/test splits (each like one scikit-learn StratifiedShuffleSplit draw):
 * within each class the rows are shuffled and round(nClass · trainFraction) go to training. Partition p uses
 * its own PRNG stream deriveSeed(seed, p), so partitions do not depend on each other or on `count`.
 * Indices are returned sorted.
 */
export function stratifiedPartitions(
  y: ArrayLike<number>,
  count: number,
  trainFraction: number,
  seed: number,
): Partition[] {
  if (!(trainFraction > 0 && trainFraction < 1))
    throw new NacError("SETTINGS_INVALID", `trainFraction must be in (0, 1), got ${trainFraction}`);
  const classes = classIndices(y);
  for (const [k, idx] of classes.entries()) {
    const nTrain = Math.round(idx.length * trainFraction);
    if (nTrain < 1 || idx.length - nTrain < 1) {
      throw new NacError(
        "DATA_INVALID",
        `class ${k} has ${idx.length} rows: too few to put at least one in both train and test`,
      );
    }
  }
  const out: Partition[] = [];
  for (let p = 0; p < count; p++) {
    const rng = mulberry32(deriveSeed(seed, p));
    const train: number[] = [],
      test: number[] = [];
    for (const idx of classes) {
      const a = idx.slice();
      shuffleInPlace(a, rng);
      const nTrain = Math.round(a.length * trainFraction);
      train.push(...a.slice(0, nTrain));
      test.push(...a.slice(nTrain));
    }
    out.push({ train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) });
  }
  return out;
}

/**
 * Stratified k-fold (shuffled with `seed`): each class's rows are shuffled, then dealt round-robin to folds,
 * so fold sizes per class differ by at most one. Returns `folds` train/test splits.
 */
export function stratifiedKFold(y: ArrayLike<number>, folds: number, seed: number): Partition[] {
  if (!Number.isInteger(folds) || folds < 2)
    throw new NacError("SETTINGS_INVALID", `folds must be an integer >= 2, got ${folds}`);
  const classes = classIndices(y);
  for (const [k, idx] of classes.entries()) {
    if (idx.length < folds)
      throw new NacError("DATA_INVALID", `class ${k} has ${idx.length} rows, fewer than ${folds} folds`);
  }
  const rng = mulberry32(seed);
  const foldOf = new Int32Array(y.length);
  for (const idx of classes) {
    const a = idx.slice();
    shuffleInPlace(a, rng);
    a.forEach((row, i) => (foldOf[row] = i % folds));
  }
  const out: Partition[] = [];
  for (let f = 0; f < folds; f++) {
    const train: number[] = [],
      test: number[] = [];
    for (let i = 0; i < y.length; i++) (foldOf[i] === f ? test : train).push(i);
    out.push({ train, test });
  }
  return out;
}
