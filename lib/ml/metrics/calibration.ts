import { checkBinaryInputs } from "./check-inputs";

/** Probabilities are clipped to [EPS, 1 − EPS] before the logit so that 0 and 1 stay finite. */
export const LOGIT_EPS = 1e-12;

export function logit(p: number): number {
  const q = Math.min(1 - LOGIT_EPS, Math.max(LOGIT_EPS, p));
  return Math.log(q / (1 - q));
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Mean squared difference between probability and 0/1 outcome. */
export function brierScore(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkBinaryInputs(y, p, "brierScore");
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i] - y[i]) ** 2;
  return s / y.length;
}

export interface Calibration {
  /**
   * Calibration-in-the-large: a in logit P(y=1) = a + logit(p) (slope fixed at 1, logit(p) as offset); 0 is ideal.
   */
  intercept: number;
  /**
   * b in logit P(y=1) = a' + b·logit(p) (both free, unpenalised maximum likelihood); 1 is ideal.
   * null when the maximum-likelihood slope does not exist because logit(p) separates the classes (quasi-)completely.
   */
  slope: number | null;
  /** a' of the two-parameter fit (null with the slope). */
  slopeModelIntercept: number | null;
}

/** Logistic recalibration of predicted probabilities on their logit (Cox 1958; Van Calster et al. 2016). */
export function calibration(y: ArrayLike<number>, p: ArrayLike<number>): Calibration {
  checkBinaryInputs(y, p, "calibration");
  const n = y.length;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = logit(p[i]);

  // One-parameter fit with offset x: solve g(a) = Σ (y − σ(a + x)) = 0. g decreases from Σy > 0 to Σy − n < 0,
  // so a root always exists; Newton safeguarded by a bisection bracket (confidently wrong predictions make
  // plain Newton overshoot).
  const g = (a: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i] - sigmoid(a + x[i]);
    return s;
  };
  let lo = -1,
    hi = 1;
  while (g(lo) <= 0) lo *= 2;
  while (g(hi) >= 0) hi *= 2;
  let a = 0;
  for (let it = 0; it < 200; it++) {
    let gv = 0,
      h = 0;
    for (let i = 0; i < n; i++) {
      const mu = sigmoid(a + x[i]);
      gv += y[i] - mu;
      h += mu * (1 - mu);
    }
    if (gv === 0) break;
    if (gv > 0) lo = a;
    else hi = a;
    let next = h > 0 ? a + gv / h : Number.NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const done = Math.abs(next - a) < 1e-12 * (1 + Math.abs(a));
    a = next;
    if (done || hi - lo < 1e-14 * (1 + Math.abs(a))) break;
  }

  // Separation check: the two-parameter MLE exists iff the classes overlap on x.
  let maxNeg = -Infinity,
    minNeg = Infinity,
    maxPos = -Infinity,
    minPos = Infinity;
  for (let i = 0; i < n; i++) {
    if (y[i] === 1) {
      maxPos = Math.max(maxPos, x[i]);
      minPos = Math.min(minPos, x[i]);
    } else {
      maxNeg = Math.max(maxNeg, x[i]);
      minNeg = Math.min(minNeg, x[i]);
    }
  }
  if (maxNeg <= minPos || maxPos <= minNeg) return { intercept: a, slope: null, slopeModelIntercept: null };

  // Newton–Raphson from (0, 0) with step halving on the log-likelihood (guards against overshoot).
  const loglik = (c0: number, c1: number): number => {
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const z = c0 + c1 * x[i];
      ll += y[i] * z - (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
    }
    return ll;
  };
  let b0 = 0,
    b1 = 0;
  let ll = loglik(b0, b1);
  let converged = false;
  for (let it = 0; it < 200; it++) {
    let g0 = 0,
      g1 = 0,
      h00 = 0,
      h01 = 0,
      h11 = 0;
    for (let i = 0; i < n; i++) {
      const mu = sigmoid(b0 + b1 * x[i]);
      const r = y[i] - mu;
      const w = mu * (1 - mu);
      g0 += r;
      g1 += r * x[i];
      h00 += w;
      h01 += w * x[i];
      h11 += w * x[i] * x[i];
    }
    const det = h00 * h11 - h01 * h01;
    if (!(det > 0)) break;
    const d0 = (h11 * g0 - h01 * g1) / det;
    const d1 = (h00 * g1 - h01 * g0) / det;
    let t = 1;
    let llNew = loglik(b0 + d0, b1 + d1);
    while (llNew < ll - 1e-12 * Math.abs(ll) && t > 1e-8) {
      t /= 2;
      llNew = loglik(b0 + t * d0, b1 + t * d1);
    }
    b0 += t * d0;
    b1 += t * d1;
    ll = llNew;
    if (Math.abs(t * d0) + Math.abs(t * d1) < 1e-12 * (1 + Math.abs(b0) + Math.abs(b1))) {
      converged = true;
      break;
    }
  }
  if (!converged || !Number.isFinite(b1)) return { intercept: a, slope: null, slopeModelIntercept: null };
  return { intercept: a, slope: b1, slopeModelIntercept: b0 };
}
