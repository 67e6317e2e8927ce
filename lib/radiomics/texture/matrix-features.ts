/**
 * The feature formulas shared by every "grey level x j" count matrix: GLRLM (j = run length), GLSZM (zone size),
 * GLDZM (zone distance), NGLDM/GLDM (dependence count). IBSI and pyradiomics use the same 16 formulas for these;
 * only names, normalisers and pyradiomics' +eps inside the entropy logarithm differ.
 */

export const EPS = 2.220446049250313e-16; // numpy.spacing(1)

export interface GreyJFeatures {
  /** sum P / j^2 / N */
  smallJ: number;
  /** sum P j^2 / N */
  largeJ: number;
  /** sum P / i^2 / N */
  lowGrey: number;
  /** sum P i^2 / N */
  highGrey: number;
  smallJLowGrey: number;
  smallJHighGrey: number;
  largeJLowGrey: number;
  largeJHighGrey: number;
  /** sum_i (sum_j P)^2 / N and / N^2 */
  glnu: number;
  glnuNorm: number;
  /** sum_j (sum_i P)^2 / N and / N^2 */
  jnu: number;
  jnuNorm: number;
  /** N / nVoxels */
  percentage: number;
  glVar: number;
  jVar: number;
  entropy: number;
  /** sum p^2 (IBSI NGLDM dependence count energy) */
  energy: number;
}

/**
 * Features of one count matrix M (nI rows x nJ columns, row-major). `iv`/`jv` are the grey level and j values of the
 * rows/columns. `nVoxels` is the denominator of the percentage. Returns null for an empty matrix.
 */
export function greyJFeatures(
  M: Float64Array,
  nI: number,
  nJ: number,
  iv: ArrayLike<number>,
  jv: ArrayLike<number>,
  nVoxels: number,
  entropyEps: number,
): GreyJFeatures | null {
  const ri = new Float64Array(nI);
  const rj = new Float64Array(nJ);
  let N = 0;
  let smallJLowGrey = 0,
    smallJHighGrey = 0,
    largeJLowGrey = 0,
    largeJHighGrey = 0;
  for (let a = 0; a < nI; a++) {
    const i2 = iv[a] * iv[a];
    let rowSum = 0;
    for (let b = 0; b < nJ; b++) {
      const v = M[a * nJ + b];
      if (v === 0) continue;
      const j2 = jv[b] * jv[b];
      rowSum += v;
      rj[b] += v;
      smallJLowGrey += v / (i2 * j2);
      smallJHighGrey += (v * i2) / j2;
      largeJLowGrey += (v * j2) / i2;
      largeJHighGrey += v * i2 * j2;
    }
    ri[a] = rowSum;
    N += rowSum;
  }
  if (N === 0) return null;
  let smallJ = 0,
    largeJ = 0,
    lowGrey = 0,
    highGrey = 0,
    glnu = 0,
    jnu = 0,
    muI = 0,
    muJ = 0;
  for (let a = 0; a < nI; a++) {
    const i2 = iv[a] * iv[a];
    lowGrey += ri[a] / i2;
    highGrey += ri[a] * i2;
    glnu += ri[a] * ri[a];
    muI += (ri[a] / N) * iv[a];
  }
  for (let b = 0; b < nJ; b++) {
    const j2 = jv[b] * jv[b];
    smallJ += rj[b] / j2;
    largeJ += rj[b] * j2;
    jnu += rj[b] * rj[b];
    muJ += (rj[b] / N) * jv[b];
  }
  let glVar = 0,
    jVar = 0;
  for (let a = 0; a < nI; a++) glVar += (ri[a] / N) * (iv[a] - muI) ** 2;
  for (let b = 0; b < nJ; b++) jVar += (rj[b] / N) * (jv[b] - muJ) ** 2;
  let entropy = 0,
    energy = 0;
  for (let k = 0; k < nI * nJ; k++) {
    const v = M[k];
    if (v === 0) continue;
    const p = v / N;
    entropy -= p * Math.log2(p + entropyEps);
    energy += p * p;
  }
  return {
    smallJ: smallJ / N,
    largeJ: largeJ / N,
    lowGrey: lowGrey / N,
    highGrey: highGrey / N,
    smallJLowGrey: smallJLowGrey / N,
    smallJHighGrey: smallJHighGrey / N,
    largeJLowGrey: largeJLowGrey / N,
    largeJHighGrey: largeJHighGrey / N,
    glnu: glnu / N,
    glnuNorm: glnu / (N * N),
    jnu: jnu / N,
    jnuNorm: jnu / (N * N),
    percentage: N / nVoxels,
    glVar,
    jVar,
    entropy,
    energy,
  };
}

/** Grey level values 1..n. */
export function oneTo(n: number): Float64Array {
  const v = new Float64Array(n);
  for (let k = 0; k < n; k++) v[k] = k + 1;
  return v;
}

/**
 * Mean over matrices that gave a value (NaN = undefined for that matrix), as pyradiomics' numpy.nanmean and IBSI's
 * averaging over slices/directions. Returns NaN when none gave a value.
 */
export function nanMean(values: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (Number.isNaN(v)) continue;
    s += v;
    n++;
  }
  return n === 0 ? NaN : s / n;
}
