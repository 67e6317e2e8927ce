import { NacError } from "../../errors";

/**
 * Peng et al. (2005) discretisation for mutual information: a continuous feature becomes three states,
 * 0 below mean − t·sd, 2 above mean + t·sd, 1 in between (boundaries inclusive of the middle state).
 * Peng used t = 1 for some data sets and t = 0.5 for others; the default here is t = 0.5.
 * sd is the sample standard deviation (n − 1). A constant feature maps entirely to state 1.
 */
export function discretiseMeanSd(x: ArrayLike<number>, t = 0.5): Uint8Array {
  const n = x.length;
  if (n < 2) throw new NacError("DATA_INVALID", "discretise: need at least 2 values");
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]))
      throw new NacError("DATA_INVALID", "discretise: missing or non-finite value (impute first)");
    s += x[i];
  }
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const lo = mean - t * sd;
  const hi = mean + t * sd;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = x[i] < lo ? 0 : x[i] > hi ? 2 : 1;
  return out;
}

/** Mutual information I(A;B) in bits between two discrete vectors with states 0..ka−1 and 0..kb−1. */
export function mutualInformation(a: ArrayLike<number>, b: ArrayLike<number>, ka: number, kb: number): number {
  const n = a.length;
  const joint = new Float64Array(ka * kb);
  const pa = new Float64Array(ka);
  const pb = new Float64Array(kb);
  for (let i = 0; i < n; i++) {
    joint[a[i] * kb + b[i]]++;
    pa[a[i]]++;
    pb[b[i]]++;
  }
  let mi = 0;
  for (let i = 0; i < ka; i++) {
    for (let j = 0; j < kb; j++) {
      const nij = joint[i * kb + j];
      if (nij > 0) mi += (nij / n) * Math.log2((nij * n) / (pa[i] * pb[j]));
    }
  }
  return Math.max(0, mi); // rounding can leave -1e-17 for independent vectors
}
