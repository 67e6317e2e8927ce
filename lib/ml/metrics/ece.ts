import { NacError } from "../../errors";

/** One equal-width probability bin of a reliability (calibration) curve. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  n: number;
  meanPredicted: number;
  observed: number;
}

/**
 * Reliability curve: `bins` equal-width bins on [0, 1] (the last one closed), empty bins left out; in each, the mean
 * predicted probability and the observed positive rate.
 */
export function reliabilityCurve(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  if (y.length !== p.length)
    throw new NacError("DATA_INVALID", `reliability curve: ${y.length} labels but ${p.length} predictions`);
  if (!Number.isInteger(bins) || bins < 1)
    throw new NacError("SETTINGS_INVALID", `reliability curve: bins must be a positive integer, got ${bins}`);
  const n = new Float64Array(bins),
    sp = new Float64Array(bins),
    sy = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1))
      throw new NacError("DATA_INVALID", `reliability curve: prediction ${p[i]} at ${i} is not a probability`);
    if (y[i] !== 0 && y[i] !== 1)
      throw new NacError("DATA_INVALID", `reliability curve: label at ${i} is ${y[i]}, expected 0 or 1`);
    const b = Math.min(bins - 1, Math.floor(p[i] * bins));
    n[b]++;
    sp[b] += p[i];
    sy[b] += y[i];
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++)
    if (n[b])
      out.push({
        lower: b / bins,
        upper: (b + 1) / bins,
        n: n[b],
        meanPredicted: sp[b] / n[b],
        observed: sy[b] / n[b],
      });
  return out;
}

/**
 * Expected calibration error (Naeini et al. 2015): Σ over equal-width bins of (n_bin / n) · |observed − mean predicted|.
 * 10 bins by default, the usual choice; with ~10² test patients per partition it is a noisy figure, so compare it as a
 * mean over partitions.
 */
export function expectedCalibrationError(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): number {
  if (!y.length) throw new NacError("DATA_INVALID", "expected calibration error: no data");
  let s = 0;
  for (const b of reliabilityCurve(y, p, bins)) s += b.n * Math.abs(b.observed - b.meanPredicted);
  return s / y.length;
}

/** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15] (as scikit-learn's log_loss). */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>): number {
  if (y.length !== p.length || !y.length)
    throw new NacError("DATA_INVALID", `log loss: ${y.length} labels, ${p.length} predictions`);
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}
