import type { Matrix } from "../matrix";

/** Column-major copy of a row-major matrix: column c is out.subarray(c * rows, (c + 1) * rows). */
export function toColumnMajor(X: Matrix): Float64Array {
  const { rows, cols, data } = X;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[base + c];
  }
  return out;
}
