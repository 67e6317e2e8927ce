/**
 * Dense feature matrix shared by every learning component: row-major, `data[r * cols + c]`,
 * NaN marks a missing value (XGBoost semantics: missing follows the tree's default direction).
 */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export function makeMatrix(rows: number, cols: number, data?: Float64Array): Matrix {
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) throw new RangeError(`matrix data length ${d.length} != ${rows}x${cols}`);
  return { data: d, rows, cols };
}

export function matrixFromRows(rows: ArrayLike<number>[]): Matrix {
  const cols = rows.length ? rows[0].length : 0;
  const m = makeMatrix(rows.length, cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new RangeError(`row ${i} has ${r.length} values, expected ${cols}`);
    for (let c = 0; c < cols; c++) m.data[i * cols + c] = r[c];
  });
  return m;
}

/** Rows `idx` of `m`, in that order. */
export function selectRows(m: Matrix, idx: ArrayLike<number>): Matrix {
  const out = makeMatrix(idx.length, m.cols);
  for (let i = 0; i < idx.length; i++)
    out.data.set(m.data.subarray(idx[i] * m.cols, (idx[i] + 1) * m.cols), i * m.cols);
  return out;
}

/** Columns `idx` of `m`, in that order. */
export function selectColumns(m: Matrix, idx: ArrayLike<number>): Matrix {
  const out = makeMatrix(m.rows, idx.length);
  for (let r = 0; r < m.rows; r++)
    for (let j = 0; j < idx.length; j++) out.data[r * idx.length + j] = m.data[r * m.cols + idx[j]];
  return out;
}

export function column(m: Matrix, c: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) out[r] = m.data[r * m.cols + c];
  return out;
}
