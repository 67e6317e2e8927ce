import { NacError } from "../../errors";
import type { BinaryEstimator } from "../estimator";
import type { Matrix } from "../matrix";
import { choleskySolve } from "./cholesky";

export interface LogisticParams {
  /** Inverse regularisation strength, as scikit-learn's C: minimises ½‖w‖² + C·Σ log-loss (intercept unpenalised). */
  C: number;
  maxIter: number;
  /** Convergence when the largest Newton step component is below tol. */
  tol: number;
}

export const DEFAULT_LOGISTIC_PARAMS: LogisticParams = { C: 1, maxIter: 100, tol: 1e-10 };

/** Serialisable fitted state (used by the model bundle). */
export interface LogisticModelJson {
  kind: "logistic";
  coefficients: number[];
  intercept: number;
}

/**
 * L2-penalised logistic regression fitted by Newton–Raphson (exact Hessian, Cholesky), matching scikit-learn's
 * LogisticRegression(penalty="l2", C) optimum. Intended for the modest column counts left after mRMR;
 * importances are |coefficients|, meaningful on standardised features (the protocol z-scores).
 */
export class LogisticRegression implements BinaryEstimator {
  readonly params: LogisticParams;
  private coef: Float64Array | null = null;
  private b = 0;

  constructor(params: Partial<LogisticParams> = {}) {
    this.params = { ...DEFAULT_LOGISTIC_PARAMS, ...params };
    if (!(this.params.C > 0)) throw new NacError("SETTINGS_INVALID", `logistic C must be > 0, got ${this.params.C}`);
  }

  static fromJson(j: LogisticModelJson): LogisticRegression {
    const m = new LogisticRegression();
    m.coef = Float64Array.from(j.coefficients);
    m.b = j.intercept;
    return m;
  }

  toJson(): LogisticModelJson {
    const coef = this.fitted();
    return { kind: "logistic", coefficients: Array.from(coef), intercept: this.b };
  }

  get coefficients(): Float64Array {
    return Float64Array.from(this.fitted());
  }

  get intercept(): number {
    this.fitted();
    return this.b;
  }

  fit(X: Matrix, y: Uint8Array): this {
    const { rows: n, cols: p } = X;
    if (y.length !== n) throw new NacError("DATA_INVALID", `logistic: ${n} rows but ${y.length} labels`);
    for (let i = 0; i < X.data.length; i++) {
      if (!Number.isFinite(X.data[i]))
        throw new NacError("DATA_INVALID", "logistic regression needs complete finite data (impute first)");
    }
    const d = p + 1; // last parameter = intercept
    const w = new Float64Array(d);
    const C = this.params.C;
    const objective = (v: Float64Array): number => {
      let f = 0;
      for (let j = 0; j < p; j++) f += 0.5 * v[j] * v[j];
      for (let i = 0; i < n; i++) {
        let z = v[p];
        for (let j = 0; j < p; j++) z += X.data[i * p + j] * v[j];
        const s = y[i] ? -z : z; // log(1 + exp(s)) is the loss
        f += C * (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s)));
      }
      return f;
    };
    let f = objective(w);
    for (let it = 0; it < this.params.maxIter; it++) {
      const g = new Float64Array(d);
      const H = new Float64Array(d * d);
      for (let j = 0; j < p; j++) {
        g[j] = w[j];
        H[j * d + j] = 1;
      }
      const row = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        let z = w[p];
        for (let j = 0; j < p; j++) {
          row[j] = X.data[i * p + j];
          z += row[j] * w[j];
        }
        row[p] = 1;
        const mu = 1 / (1 + Math.exp(-z));
        const r = C * (mu - y[i]);
        const h = C * mu * (1 - mu);
        for (let a = 0; a < d; a++) {
          g[a] += r * row[a];
          const ha = h * row[a];
          if (ha === 0) continue;
          for (let c = 0; c <= a; c++) H[a * d + c] += ha * row[c];
        }
      }
      for (let a = 0; a < d; a++) for (let c = 0; c < a; c++) H[c * d + a] = H[a * d + c];
      // The intercept is unpenalised: with one class only its Hessian entry vanishes -> surfaced by Cholesky.
      const step = choleskySolve(H, g, d);
      let t = 1;
      const cand = new Float64Array(d);
      let fNew = Infinity;
      for (;;) {
        for (let a = 0; a < d; a++) cand[a] = w[a] - t * step[a];
        fNew = objective(cand);
        if (fNew <= f + 1e-12 * Math.abs(f) || t < 1e-10) break;
        t /= 2;
      }
      w.set(cand);
      f = fNew;
      let maxStep = 0;
      for (let a = 0; a < d; a++) maxStep = Math.max(maxStep, Math.abs(t * step[a]));
      if (maxStep < this.params.tol) break;
    }
    this.coef = w.slice(0, p);
    this.b = w[p];
    return this;
  }

  decisionFunction(X: Matrix): Float64Array {
    const coef = this.fitted();
    if (X.cols !== coef.length)
      throw new NacError("DATA_INVALID", `logistic: model has ${coef.length} features, data ${X.cols}`);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let z = this.b;
      for (let j = 0; j < X.cols; j++) z += X.data[i * X.cols + j] * coef[j];
      out[i] = z;
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    const z = this.decisionFunction(X);
    for (let i = 0; i < z.length; i++) z[i] = 1 / (1 + Math.exp(-z[i]));
    return z;
  }

  featureImportances(): Float64Array {
    return this.fitted().map(Math.abs);
  }

  clone(): LogisticRegression {
    return new LogisticRegression(this.params);
  }

  private fitted(): Float64Array {
    if (!this.coef) throw new NacError("NOT_FITTED", "logistic regression used before fit");
    return this.coef;
  }
}
