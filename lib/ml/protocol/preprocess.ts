import type { Matrix } from "../matrix";
import { makeMatrix } from "../matrix";

/**
 * Median imputation + z-score scaling, fitted on training rows only and then applied unchanged to any rows.
 * Statistics ignore missing values. A column missing in every training row gets median 0 (it is then constant
 * and has zero relevance for selection); a constant column gets scale 1 (scikit-learn's StandardScaler rule).
 * The SD is the population SD (n), as StandardScaler.
 */
export interface Preprocessor {
  medians: number[];
  means: number[];
  scales: number[];
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

export function fitPreprocessor(X: Matrix): Preprocessor {
  const { rows, cols, data } = X;
  const medians: number[] = [],
    means: number[] = [],
    scales: number[] = [];
  const buf = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    let m = 0;
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + c];
      if (!Number.isNaN(v)) buf[m++] = v;
    }
    const present = buf.subarray(0, m).sort();
    const med = m ? median(present) : 0;
    // Mean/SD after imputation, i.e. of what the scaler will actually see (SimpleImputer -> StandardScaler).
    let s = 0;
    for (let i = 0; i < m; i++) s += present[i];
    s += (rows - m) * med;
    const mean = s / rows;
    let ss = 0;
    for (let i = 0; i < m; i++) ss += (present[i] - mean) ** 2;
    ss += (rows - m) * (med - mean) ** 2;
    const sd = Math.sqrt(ss / rows);
    medians.push(med);
    means.push(mean);
    scales.push(sd > 0 ? sd : 1);
  }
  return { medians, means, scales };
}

export function applyPreprocessor(pp: Preprocessor, X: Matrix): Matrix {
  const { rows, cols, data } = X;
  if (cols !== pp.medians.length)
    throw new RangeError(`preprocessor fitted on ${pp.medians.length} columns, data has ${cols}`);
  const out = makeMatrix(rows, cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c];
      out.data[r * cols + c] = ((Number.isNaN(v) ? pp.medians[c] : v) - pp.means[c]) / pp.scales[c];
    }
  }
  return out;
}

/**
 * The preprocessed matrix in column-major order (column c at [c * rows, (c + 1) * rows)), for column-wise consumers
 * such as mRMR: the same values as applyPreprocessor without a row-major copy and a transpose.
 */
export function applyPreprocessorColumnMajor(pp: Preprocessor, X: Matrix): Float64Array {
  const { rows, cols, data } = X;
  if (cols !== pp.medians.length)
    throw new RangeError(`preprocessor fitted on ${pp.medians.length} columns, data has ${cols}`);
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c];
      out[c * rows + r] = ((Number.isNaN(v) ? pp.medians[c] : v) - pp.means[c]) / pp.scales[c];
    }
  }
  return out;
}

/** Columns `idx` of the preprocessed matrix, in that order (= selectColumns(applyPreprocessor(pp, X), idx)). */
export function applyPreprocessorToColumns(pp: Preprocessor, X: Matrix, idx: ArrayLike<number>): Matrix {
  const { rows, cols, data } = X;
  if (cols !== pp.medians.length)
    throw new RangeError(`preprocessor fitted on ${pp.medians.length} columns, data has ${cols}`);
  const out = makeMatrix(rows, idx.length);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < idx.length; j++) {
      const c = idx[j];
      const v = data[r * cols + c];
      out.data[r * idx.length + j] = ((Number.isNaN(v) ? pp.medians[c] : v) - pp.means[c]) / pp.scales[c];
    }
  }
  return out;
}
