import { NacError } from "../../errors";
import { checkCalibrationInputs, scoreOf, type PlattMapJson, type ProbabilityCalibrator } from "./calibrator";

function sigmoid(u: number): number {
  return u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
}

/**
 * Platt scaling (Platt 1999, with the target smoothing of his section 2.2, exactly as scikit-learn's
 * `_sigmoid_calibration`): minimises the cross-entropy between P = 1 / (1 + exp(a·s + b)) and the smoothed targets
 * t+ = (N+ + 1) / (N+ + 2), t− = 1 / (N− + 2). The smoothing keeps the optimum finite even when the scores separate
 * the classes. Fitted by Newton–Raphson with step halving to the exact optimum (scikit-learn's BFGS stops at a gradient
 * of ~1e-5; the reference fixture polishes its optimum the same way).
 */
export class PlattCalibrator implements ProbabilityCalibrator {
  private ab: [number, number] | null = null;

  static fromJson(j: PlattMapJson): PlattCalibrator {
    if (!Number.isFinite(j.a) || !Number.isFinite(j.b))
      throw new NacError("MODEL_INVALID", "Platt map: a and b must be finite");
    const c = new PlattCalibrator();
    c.ab = [j.a, j.b];
    return c;
  }

  get a(): number {
    return this.fitted()[0];
  }

  get b(): number {
    return this.fitted()[1];
  }

  fit(p: ArrayLike<number>, y: ArrayLike<number>): this {
    checkCalibrationInputs(p, y, "Platt scaling");
    const n = p.length;
    const F = Float64Array.from({ length: n }, (_, i) => scoreOf(p[i]));
    let nPos = 0;
    for (let i = 0; i < n; i++) nPos += y[i];
    const nNeg = n - nPos;
    const tPos = (nPos + 1) / (nPos + 2);
    const tNeg = 1 / (nNeg + 2);
    const T = Float64Array.from({ length: n }, (_, i) => (y[i] === 1 ? tPos : tNeg));
    // loss(a, b) = −Σ t·log P + (1 − t)·log(1 − P), P = σ(−(a·F + b)); written with log1p for stability.
    const loss = (a: number, b: number): number => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const z = a * F[i] + b; // P = σ(−z): −log P = softplus(z), −log(1 − P) = softplus(−z)
        const spz = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
        s += T[i] * spz + (1 - T[i]) * (spz - z);
      }
      return s;
    };
    let a = 0;
    let b = Math.log((nNeg + 1) / (nPos + 1)); // scikit-learn's starting point
    let f = loss(a, b);
    for (let it = 0; it < 200; it++) {
      let ga = 0,
        gb = 0,
        haa = 0,
        hab = 0,
        hbb = 0;
      for (let i = 0; i < n; i++) {
        const P = sigmoid(-(a * F[i] + b));
        const r = T[i] - P;
        const w = P * (1 - P);
        ga += r * F[i];
        gb += r;
        haa += w * F[i] * F[i];
        hab += w * F[i];
        hbb += w;
      }
      const det = haa * hbb - hab * hab;
      // Constant scores: a is not identified; keep a = 0 and solve for b alone.
      const [da, db] =
        det > 1e-300 * Math.max(1, haa * hbb)
          ? [(hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det]
          : [0, hbb > 0 ? gb / hbb : 0];
      let t = 1;
      let fNew = loss(a - da, b - db);
      while (fNew > f + 1e-12 * Math.abs(f) && t > 1e-10) {
        t /= 2;
        fNew = loss(a - t * da, b - t * db);
      }
      a -= t * da;
      b -= t * db;
      f = fNew;
      if (Math.abs(t * da) + Math.abs(t * db) < 1e-13 * (1 + Math.abs(a) + Math.abs(b))) break;
    }
    this.ab = [a, b];
    return this;
  }

  predict(p: ArrayLike<number>): Float64Array {
    const [a, b] = this.fitted();
    return Float64Array.from({ length: p.length }, (_, i) => sigmoid(-(a * scoreOf(p[i]) + b)));
  }

  toJson(): PlattMapJson {
    const [a, b] = this.fitted();
    return { method: "platt", a, b };
  }

  clone(): PlattCalibrator {
    return new PlattCalibrator();
  }

  private fitted(): [number, number] {
    if (!this.ab) throw new NacError("NOT_FITTED", "Platt calibrator used before fit");
    return this.ab;
  }
}
