import { checkBinaryInputs } from "./check-inputs";

/** Mid-ranks (1-based) of `v`: tied values share the mean of the ranks they span. */
export function midranks(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && v[order[j + 1]] === v[order[i]]) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[order[k]] = mid;
    i = j + 1;
  }
  return r;
}

export interface AucResult {
  auc: number;
  /** DeLong (1988) standard error of the AUC. */
  se: number;
  /** Two-sided confidence interval AUC ± z·SE (normal approximation), clipped to [0, 1]. */
  ciLower: number;
  ciUpper: number;
  level: number;
}

/** Standard-normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * ROC AUC as the Mann–Whitney statistic (ties count 1/2), with DeLong's variance computed from mid-ranks
 * (Sun & Xu 2014 fast algorithm). The CI is the plain normal interval AUC ± z·SE clipped to [0, 1], as pROC's
 * ci.auc(method = "delong").
 */
export function aucWithCi(y: ArrayLike<number>, score: ArrayLike<number>, level = 0.95): AucResult {
  const { nPos: m, nNeg: n } = checkBinaryInputs(y, score, "auc");
  const pos = new Float64Array(m);
  const neg = new Float64Array(n);
  for (let i = 0, a = 0, b = 0; i < y.length; i++) {
    if (y[i] === 1) pos[a++] = score[i];
    else neg[b++] = score[i];
  }
  const all = new Float64Array(m + n);
  all.set(pos);
  all.set(neg, m);
  const rAll = midranks(all);
  const rPos = midranks(pos);
  const rNeg = midranks(neg);
  let sumPos = 0;
  for (let i = 0; i < m; i++) sumPos += rAll[i];
  const auc = (sumPos - (m * (m + 1)) / 2) / (m * n);
  // Structural components: V10_i = P(score_i > negative), V01_j = P(positive > score_j).
  let s10 = 0,
    s01 = 0;
  for (let i = 0; i < m; i++) s10 += ((rAll[i] - rPos[i]) / n - auc) ** 2;
  for (let j = 0; j < n; j++) s01 += (1 - (rAll[m + j] - rNeg[j]) / m - auc) ** 2;
  const v10 = m > 1 ? s10 / (m - 1) : 0;
  const v01 = n > 1 ? s01 / (n - 1) : 0;
  const se = Math.sqrt(v10 / m + v01 / n);
  const z = normalQuantile(1 - (1 - level) / 2);
  return { auc, se, ciLower: Math.max(0, auc - z * se), ciUpper: Math.min(1, auc + z * se), level };
}
