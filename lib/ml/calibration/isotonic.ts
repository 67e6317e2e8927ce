import { NacError } from "../../errors";
import { checkCalibrationInputs, scoreOf, type IsotonicMapJson, type ProbabilityCalibrator } from "./calibrator";

/** scikit-learn's `_make_unique` merges scores closer than float64 resolution (1e-15) into one point. */
const SAME_SCORE = 1e-15;

/**
 * Isotonic regression of the outcome on s = logit(p), as scikit-learn's IsotonicRegression(out_of_bounds="clip")
 * inside CalibratedClassifierCV(method="isotonic"): equal scores are merged (mean outcome, weight = count), the pool
 * adjacent violators algorithm gives the weighted least-squares non-decreasing fit, interior points of flat runs are
 * dropped, and a new score is mapped by linear interpolation, clipped to the first / last threshold.
 */
export class IsotonicCalibrator implements ProbabilityCalibrator {
  private x: Float64Array | null = null;
  private yv: Float64Array | null = null;

  static fromJson(j: IsotonicMapJson): IsotonicCalibrator {
    const n = j.xThresholds.length;
    if (n < 1 || j.yThresholds.length !== n)
      throw new NacError("MODEL_INVALID", "isotonic map: thresholds missing or of different lengths");
    for (let i = 0; i < n; i++) {
      const ok =
        Number.isFinite(j.xThresholds[i]) &&
        j.yThresholds[i] >= 0 &&
        j.yThresholds[i] <= 1 &&
        (i === 0 || (j.xThresholds[i] > j.xThresholds[i - 1] && j.yThresholds[i] >= j.yThresholds[i - 1]));
      if (!ok)
        throw new NacError("MODEL_INVALID", `isotonic map: threshold ${i} breaks monotonicity or the [0, 1] range`);
    }
    const c = new IsotonicCalibrator();
    c.x = Float64Array.from(j.xThresholds);
    c.yv = Float64Array.from(j.yThresholds);
    return c;
  }

  fit(p: ArrayLike<number>, y: ArrayLike<number>): this {
    checkCalibrationInputs(p, y, "isotonic calibration");
    const n = p.length;
    const s = Float64Array.from({ length: n }, (_, i) => scoreOf(p[i]));
    const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => s[i] - s[j] || y[i] - y[j]);
    // Merge equal scores.
    const ux: number[] = [],
      uy: number[] = [],
      uw: number[] = [];
    for (const i of order) {
      const k = ux.length - 1;
      if (k >= 0 && s[i] - ux[k] < SAME_SCORE) {
        uy[k] += y[i];
        uw[k] += 1;
      } else {
        ux.push(s[i]);
        uy.push(y[i]);
        uw.push(1);
      }
    }
    for (let k = 0; k < ux.length; k++) uy[k] /= uw[k];
    // Pool adjacent violators (weighted), blocks as a stack.
    const bv: number[] = [],
      bw: number[] = [],
      bn: number[] = [];
    for (let k = 0; k < ux.length; k++) {
      let v = uy[k],
        w = uw[k],
        c = 1;
      while (bv.length && bv[bv.length - 1] >= v) {
        const pv = bv.pop()!,
          pw = bw.pop()!,
          pc = bn.pop()!;
        v = (pv * pw + v * w) / (pw + w);
        w += pw;
        c += pc;
      }
      bv.push(v);
      bw.push(w);
      bn.push(c);
    }
    const fitted: number[] = [];
    bv.forEach((v, b) => {
      for (let c = 0; c < bn[b]; c++) fitted.push(v);
    });
    // Keep the first and last point of each constant run (interpolation is unchanged).
    const keep = fitted.map((v, k) => k === 0 || k === fitted.length - 1 || v !== fitted[k - 1] || v !== fitted[k + 1]);
    this.x = Float64Array.from(ux.filter((_, k) => keep[k]));
    this.yv = Float64Array.from(fitted.filter((_, k) => keep[k]));
    return this;
  }

  predict(p: ArrayLike<number>): Float64Array {
    const { x, y } = this.fitted();
    const n = x.length;
    const out = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      const s = scoreOf(p[i]);
      if (s <= x[0]) out[i] = y[0];
      else if (s >= x[n - 1]) out[i] = y[n - 1];
      else {
        let lo = 0,
          hi = n - 1; // x[lo] < s < x[hi]
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (x[mid] <= s) lo = mid;
          else hi = mid;
        }
        out[i] = y[lo] + ((s - x[lo]) * (y[hi] - y[lo])) / (x[hi] - x[lo]);
      }
    }
    return out;
  }

  toJson(): IsotonicMapJson {
    const { x, y } = this.fitted();
    return { method: "isotonic", xThresholds: Array.from(x), yThresholds: Array.from(y) };
  }

  clone(): IsotonicCalibrator {
    return new IsotonicCalibrator();
  }

  private fitted(): { x: Float64Array; y: Float64Array } {
    if (!this.x || !this.yv) throw new NacError("NOT_FITTED", "isotonic calibrator used before fit");
    return { x: this.x, y: this.yv };
  }
}
