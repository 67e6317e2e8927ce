/**
 * One-way ANOVA F statistic of x between the two classes of y (scikit-learn's f_classif for one column),
 * using only rows where x is not missing. Returns 0 when it is undefined (fewer than 3 usable rows, a class absent,
 * or 0/0 for a constant column) — the `mrmr_selection` package's fillna(0) — and +Infinity when the classes
 * are perfectly separated with zero within-class variance.
 */
export function fStatistic(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n0 = 0,
    n1 = 0,
    s0 = 0,
    s1 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) continue;
    if (y[i] === 1) {
      n1++;
      s1 += v;
    } else {
      n0++;
      s0 += v;
    }
  }
  const n = n0 + n1;
  if (n0 === 0 || n1 === 0 || n < 3) return 0;
  const m0 = s0 / n0,
    m1 = s1 / n1,
    m = (s0 + s1) / n;
  let ssw = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) continue;
    ssw += (v - (y[i] === 1 ? m1 : m0)) ** 2;
  }
  const ssb = n0 * (m0 - m) ** 2 + n1 * (m1 - m) ** 2;
  if (ssw === 0) return ssb === 0 ? 0 : Infinity;
  return ssb / 1 / (ssw / (n - 2));
}

/**
 * Pearson correlation over rows where both are present (pandas corrwith semantics); 0 when undefined
 * (fewer than 2 pairs or a constant vector), as the package's fillna.
 */
export function pearsonPairwise(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0,
    sa = 0,
    sb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    n++;
    sa += a[i];
    sb += b[i];
  }
  if (n < 2) return 0;
  const ma = sa / n,
    mb = sb / n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    const da = a[i] - ma,
      db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return 0;
  return sab / Math.sqrt(saa * sbb);
}
