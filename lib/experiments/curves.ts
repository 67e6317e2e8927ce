/** ROC curves averaged over partitions (with a ±1 SD band) and a calibration table of the pooled test predictions. */
import { NacError } from "../errors";

export interface RocPoint {
  fpr: number;
  tpr: number;
}

/** Empirical ROC curve: one point per distinct score (ties move diagonally), from (0, 0) to (1, 1). */
export function rocCurve(y: ArrayLike<number>, p: ArrayLike<number>): RocPoint[] {
  const n = y.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i];
  const neg = n - pos;
  if (!pos || !neg) throw new NacError("DATA_INVALID", "ROC curve needs both classes");
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b] - p[a]);
  const out: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (y[i] === 1) tp++;
    else fp++;
    if (k === n - 1 || p[order[k + 1]] !== p[i]) out.push({ fpr: fp / neg, tpr: tp / pos });
  }
  return out;
}

/** TPR at `fpr` by linear interpolation along the curve; at a vertical segment, the highest TPR. */
function tprAt(curve: RocPoint[], fpr: number): number {
  let best = 0;
  for (let k = 1; k < curve.length; k++) {
    const a = curve[k - 1];
    const b = curve[k];
    if (fpr < a.fpr || fpr > b.fpr) continue;
    const t = b.fpr === a.fpr ? b.tpr : a.tpr + ((fpr - a.fpr) / (b.fpr - a.fpr)) * (b.tpr - a.tpr);
    best = Math.max(best, t);
  }
  return best;
}

export interface MeanRoc {
  fpr: number[];
  tprMean: number[];
  /** Mean − SD and mean + SD across partitions, clipped to [0, 1]. */
  tprLower: number[];
  tprUpper: number[];
}

/** Vertical averaging on a fixed FPR grid (Fawcett 2006): the mean curve and a ±1 SD band across partitions. */
export function meanRoc(curves: RocPoint[][], gridPoints = 51): MeanRoc {
  if (!curves.length) throw new NacError("DATA_INVALID", "meanRoc: no curves");
  const fpr = Array.from({ length: gridPoints }, (_, i) => i / (gridPoints - 1));
  const tprMean: number[] = [];
  const tprLower: number[] = [];
  const tprUpper: number[] = [];
  for (const f of fpr) {
    const v = curves.map((c) => tprAt(c, f));
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0;
    tprMean.push(m);
    tprLower.push(Math.max(0, m - sd));
    tprUpper.push(Math.min(1, m + sd));
  }
  return { fpr, tprMean, tprLower, tprUpper };
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  n: number;
  meanPredicted: number;
  observed: number;
  /** Wilson 95 % interval of the observed rate. */
  observedLower: number;
  observedUpper: number;
}

/** Equal-width probability bins (empty bins left out): mean predicted probability vs observed positive rate. */
export function calibrationBins(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const out: CalibrationBin[] = [];
  const z = 1.959963984540054;
  for (let b = 0; b < bins; b++) {
    const lower = b / bins;
    const upper = (b + 1) / bins;
    let n = 0,
      sp = 0,
      sy = 0;
    for (let i = 0; i < y.length; i++) {
      const inBin = p[i] >= lower && (b === bins - 1 ? p[i] <= upper : p[i] < upper);
      if (!inBin) continue;
      n++;
      sp += p[i];
      sy += y[i];
    }
    if (!n) continue;
    const q = sy / n;
    const den = 1 + (z * z) / n;
    const centre = (q + (z * z) / (2 * n)) / den;
    const half = (z * Math.sqrt((q * (1 - q)) / n + (z * z) / (4 * n * n))) / den;
    out.push({
      lower,
      upper,
      n,
      meanPredicted: sp / n,
      observed: q,
      observedLower: Math.max(0, centre - half),
      observedUpper: Math.min(1, centre + half),
    });
  }
  return out;
}
