import { NacError } from "../../errors";

/**
 * Inverse standard normal CDF, Wichura's algorithm AS 241 (PPND16, relative accuracy about 1e-16).
 * Returns -Infinity / +Infinity at 0 / 1.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new NacError("DATA_INVALID", `normalQuantile: p = ${p} is not a probability`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    x =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -x : x;
}

/**
 * Normal scores (Blom 1958): each value replaced by Φ⁻¹((r − 3/8) / (n + 1/4)), r its rank among the n present
 * values (ties get their average rank, so tied values share one score; missing values stay NaN).
 *
 * Why: any strictly increasing transform of a column gives the same scores, so a statistic computed on them (an F
 * statistic, a Pearson correlation) no longer depends on whether a feature is measured as a volume, a diameter or
 * its logarithm. A column that is a monotone function of a Gaussian variable (a log-normal volume, for instance)
 * becomes, up to sampling noise, that variable standardised. The F statistic on normal scores is the van der
 * Waerden test's statistic, the correlation of normal scores a rank correlation.
 */
export function normalScores(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(x[i])) continue;
    if (!Number.isFinite(x[i])) throw new NacError("DATA_INVALID", "normalScores: infinite value");
    idx.push(i);
  }
  const m = idx.length;
  idx.sort((a, b) => x[a] - x[b] || a - b);
  for (let s = 0; s < m;) {
    let e = s + 1;
    while (e < m && x[idx[e]] === x[idx[s]]) e++;
    const rank = (s + 1 + e) / 2; // average of the 1-based ranks s+1 .. e
    const z = normalQuantile((rank - 0.375) / (m + 0.25));
    for (let j = s; j < e; j++) out[idx[j]] = z;
    s = e;
  }
  return out;
}
