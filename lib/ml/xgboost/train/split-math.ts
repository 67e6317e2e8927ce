/**
 * Leaf weight and structure score of a node from its gradient sums (XGBoost src/tree/param.h CalcWeight/CalcGain and
 * TreeEvaluator::CalcGainGivenWeight), in double as XGBoost; callers round to float32 where XGBoost stores floats.
 */
import type { TrainParams } from "./params";

export function thresholdL1(w: number, alpha: number): number {
  if (w > alpha) return w - alpha;
  if (w < -alpha) return w + alpha;
  return 0;
}

/** Optimal leaf weight -T(G)/(H + lambda), 0 below min_child_weight, clipped to max_delta_step. */
export function calcWeight(p: TrainParams, G: number, H: number): number {
  if (H < p.min_child_weight || H <= 0) return 0;
  let dw = -thresholdL1(G, p.alpha) / (H + p.lambda);
  if (p.max_delta_step !== 0 && Math.abs(dw) > p.max_delta_step) dw = Math.sign(dw) * p.max_delta_step;
  return dw;
}

/**
 * Structure score T(G)^2/(H + lambda) (or the weight form when max_delta_step clips the weight). XGBoost's split
 * evaluator divides in float (numerator and denominator rounded to float first) and returns a float.
 */
export function calcGain(p: TrainParams, G: number, H: number): number {
  if (H <= 0) return 0;
  if (p.max_delta_step === 0) {
    const t = thresholdL1(G, p.alpha);
    return Math.fround(Math.fround(t * t) / Math.fround(H + p.lambda));
  }
  const w = Math.fround(calcWeight(p, G, H));
  // XGBoost evaluates this branch in float.
  const f = Math.fround;
  return -f(f(f(2 * f(G)) * w) + f(f(f(H) + p.lambda) * f(w * w)));
}
