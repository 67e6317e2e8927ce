import { NacError } from "../../errors";
import type { Matrix } from "../matrix";
import { toColumnMajor } from "./columns";
import { discretiseMeanSd, mutualInformation } from "./discretise";
import { fStatistic, pearsonPairwise } from "./f-statistic";
import { normalScores } from "./normal-scores";
import { fPValue1 } from "./p-values";

/**
 * MID / MIQ: Peng, Long & Ding (2005) with mutual information on features discretised into three states at
 * mean ± t·sd (see discretise.ts); relevance I(f; y), redundancy mean over selected s of I(f; s);
 * MID maximises relevance − redundancy, MIQ relevance / redundancy.
 * FCQ: the `mrmr_selection` Python package's default (mrmr_classif relevance="f", redundancy="c",
 * denominator="mean"): relevance = ANOVA F statistic, redundancy = mean over selected of |Pearson r|, each |r|
 * floored at `floor`; only features with F > 0 are candidates, so fewer than k may be returned.
 */
export type MrmrMethod = "MID" | "MIQ" | "FCQ";

/**
 * What mRMR sees of each column. "none": the values as given (the `mrmr_selection` package). "normalScores": each
 * column replaced by its normal scores (normal-scores.ts) first, so relevance and redundancy are invariant to monotone
 * transforms of a feature, as Peng et al.'s mutual information is: FCQ's F statistic becomes van der Waerden's test
 * and its |r| a rank correlation; MID/MIQ's mean ± t·sd cut points become fixed quantiles (t = 0.5: about 31/38/31 %).
 * Only the selection changes; the columns passed on to RFE and the classifier are untouched.
 */
export type MrmrTransform = "none" | "normalScores";

export interface MrmrOptions {
  k: number;
  method?: MrmrMethod;
  /** MID/MIQ discretisation half-width in SDs (default 0.5). */
  discretisationT?: number;
  /** FCQ floor of |r| (the package's FLOOR; 0.001 in mrmr_selection 0.2.x). */
  floor?: number;
  /** Default "none". */
  transform?: MrmrTransform;
  /**
   * Relevance screen (default: none). Only columns whose relevance is significant at family-wise level
   * `relevanceAlpha` (Bonferroni over all columns) are candidates. FCQ: p-value of F(1, m - 2), m the rows with a
   * value (the F test's null distribution); MID/MIQ: G test, 2·n·ln 2·I(f; y) ~ χ²(2) (3 states x 2 classes).
   * Why: the redundancy terms reward columns uncorrelated with everything chosen, which pure-noise columns are; with
   * ~10³ candidates some noise columns have a nominally non-zero relevance, and the quotient (relevance / mean |r|,
   * with |r| of noise near 0) ranks them above genuinely relevant but correlated proxies. Family-wise control, not a
   * false-discovery rate, because the criterion seeks out exactly the uncorrelated false discoveries.
   * If no column passes, the single most relevant column is kept, so a model can still be fitted (a label-shuffled
   * control then scores near chance, as it should).
   */
  relevanceAlpha?: number;
}

export interface MrmrResult {
  /** Selected column indices in selection order. */
  selected: number[];
  /** Score of each selected column at the step it was chosen (first = its relevance). */
  scores: number[];
  /** Relevance of every column (F statistic or I(f; y) in bits). */
  relevance: Float64Array;
  /** With relevanceAlpha: how many columns passed the screen. */
  screened?: number;
}

export const DEFAULT_MRMR_FLOOR = 0.001;

export function mrmr(X: Matrix, y: ArrayLike<number>, opts: MrmrOptions): MrmrResult {
  return mrmrColumnMajor(toColumnMajor(X), X.rows, X.cols, y, opts);
}

/**
 * mrmr on a column-major copy (column c at [c * n, (c + 1) * n)) that the call takes over: it is overwritten (normal
 * scores; FCQ's unit-norm columns), which saves a second copy of a wide matrix.
 */
export function mrmrColumnMajor(
  cols: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
  opts: MrmrOptions,
): MrmrResult {
  const method = opts.method ?? "FCQ";
  if (cols.length !== n * p) throw new RangeError(`mrmr: ${cols.length} values for ${n} x ${p}`);
  if (y.length !== n) throw new NacError("DATA_INVALID", `mrmr: ${n} rows but ${y.length} labels`);
  if (!Number.isInteger(opts.k) || opts.k < 1)
    throw new NacError("SETTINGS_INVALID", `mrmr: k must be a positive integer, got ${opts.k}`);
  for (let i = 0; i < n; i++)
    if (y[i] !== 0 && y[i] !== 1) throw new NacError("DATA_INVALID", `mrmr: label ${y[i]} is not 0/1`);
  if (opts.transform === "normalScores")
    for (let c = 0; c < p; c++) cols.set(normalScores(cols.subarray(c * n, (c + 1) * n)), c * n);
  else if (opts.transform !== undefined && opts.transform !== "none")
    throw new NacError("SETTINGS_INVALID", `mrmr: unknown transform ${String(opts.transform)}`);
  const col = (c: number) => cols.subarray(c * n, (c + 1) * n);
  const alpha = opts.relevanceAlpha;
  if (alpha !== undefined && !(alpha > 0 && alpha < 1))
    throw new NacError("SETTINGS_INVALID", `mrmr: relevanceAlpha must be in (0, 1), got ${alpha}`);
  const screen =
    alpha === undefined
      ? undefined
      : (rel: Float64Array): boolean[] => {
          const pass = Array.from(rel, (r, c) => relevancePValue(method, r, col(c)) <= alpha / p);
          if (!pass.includes(true)) {
            let best = 0;
            for (let c = 1; c < p; c++) if (rel[c] > rel[best]) best = c;
            if (rel[best] > 0) pass[best] = true;
          }
          return pass;
        };
  return method === "FCQ"
    ? fcq(col, y, n, p, opts.k, opts.floor ?? DEFAULT_MRMR_FLOOR, screen)
    : miBased(col, y, n, p, opts.k, method, opts.discretisationT ?? 0.5, screen);
}

/** p-value of a column's relevance under independence from the labels (see MrmrOptions.relevanceAlpha). */
function relevancePValue(method: MrmrMethod, rel: number, x: Float64Array): number {
  if (method === "FCQ") {
    let m = 0;
    for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) m++;
    return m < 3 ? 1 : fPValue1(rel, m - 2);
  }
  return Math.exp(-x.length * Math.LN2 * rel); // χ²(2) survival exp(-G/2), G = 2·n·ln 2·I in bits
}

/** Index of the best candidate: highest score, then highest relevance, then lowest index. */
function argBest(cands: number[], score: Float64Array, rel: Float64Array): number {
  let best = -1;
  for (const c of cands) {
    if (best < 0 || score[c] > score[best] || (score[c] === score[best] && rel[c] > rel[best])) best = c;
  }
  return best;
}

type Screen = (rel: Float64Array) => boolean[];

function fcq(
  col: (c: number) => Float64Array,
  y: ArrayLike<number>,
  n: number,
  p: number,
  k: number,
  floor: number,
  screen?: Screen,
): MrmrResult {
  const rel = new Float64Array(p);
  for (let c = 0; c < p; c++) rel[c] = fStatistic(col(c), y);
  const pass = screen?.(rel);
  let cands: number[] = [];
  for (let c = 0; c < p; c++) if (rel[c] > 0 && (!pass || pass[c])) cands.push(c);
  const K = Math.min(k, cands.length);

  // Fast path for complete columns: unit-norm centred columns make r a dot product. When no column has a missing
  // value they replace the columns in place (nothing reads the raw values after the relevance pass); otherwise the
  // pairwise-complete fallback needs the raw columns, and the unit columns go to a buffer of their own.
  let complete = true;
  for (let c = 0; c < p && complete; c++)
    if (rel[c] > 0) {
      const x = col(c);
      for (let i = 0; i < n; i++)
        if (Number.isNaN(x[i])) {
          complete = false;
          break;
        }
    }
  const unitBuf = complete ? null : new Float64Array(n * p);
  const unitDone = new Uint8Array(p); // 0 not yet, 1 unit column ready, 2 column has a missing value
  const unitView: Float64Array[] = new Array(p); // views made once: a view per call was most of the loop's garbage
  const unitOf = (c: number): Float64Array | null => {
    if (unitDone[c] === 1) return unitView[c];
    if (unitDone[c] === 2) return null;
    const x = col(c);
    let s = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(x[i])) {
        unitDone[c] = 2;
        return null;
      }
      s += x[i];
    }
    const m = s / n;
    const u = unitBuf ? unitBuf.subarray(c * n, (c + 1) * n) : x;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      u[i] = x[i] - m;
      ss += u[i] * u[i];
    }
    const norm = Math.sqrt(ss);
    if (norm > 0) for (let i = 0; i < n; i++) u[i] /= norm; // constant column: all zeros -> r = 0 as pandas' NaN -> fill
    unitDone[c] = 1;
    unitView[c] = u;
    return u;
  };
  const corrAbs = (a: number, b: number): number => {
    const ua = unitOf(a),
      ub = unitOf(b);
    let r: number;
    if (ua && ub) {
      r = 0;
      for (let i = 0; i < n; i++) r += ua[i] * ub[i];
    } else r = pearsonPairwise(col(a), col(b));
    return Math.max(floor, Math.abs(r));
  };

  const redSum = new Float64Array(p);
  const score = new Float64Array(p);
  const selected: number[] = [];
  const scores: number[] = [];
  for (let it = 0; it < K; it++) {
    for (const c of cands) score[c] = it === 0 ? rel[c] : rel[c] / Math.max(floor, redSum[c] / it);
    // The package's argmax: first maximum in column order.
    let best = cands[0];
    for (const c of cands) if (score[c] > score[best]) best = c;
    selected.push(best);
    scores.push(score[best]);
    cands = cands.filter((c) => c !== best);
    if (it + 1 < K) {
      const ub = unitOf(best);
      if (ub) addRedundancy(cands, ub, n, floor, redSum, unitOf, (c) => corrAbs(c, best));
      else for (const c of cands) redSum[c] += corrAbs(c, best);
    }
  }
  return { selected, scores, relevance: rel, ...(pass ? { screened: pass.filter(Boolean).length } : {}) };
}

/**
 * redSum[c] += max(floor, |r(c, best)|) for every candidate, ub = best's unit column. Four candidates at a time, each
 * with its own accumulator summed in the same order as corrAbs (the same bits), so the four dot products overlap
 * instead of waiting on one chain of additions. Candidates without a unit column (missing values) go to `slow`.
 */
function addRedundancy(
  cands: number[],
  ub: Float64Array,
  n: number,
  floor: number,
  redSum: Float64Array,
  unitOf: (c: number) => Float64Array | null,
  slow: (c: number) => number,
): void {
  const m = cands.length;
  let q = 0;
  for (; q + 4 <= m; q += 4) {
    const u0 = unitOf(cands[q]),
      u1 = unitOf(cands[q + 1]),
      u2 = unitOf(cands[q + 2]),
      u3 = unitOf(cands[q + 3]);
    if (!u0 || !u1 || !u2 || !u3) break;
    let r0 = 0,
      r1 = 0,
      r2 = 0,
      r3 = 0;
    for (let i = 0; i < n; i++) {
      const b = ub[i];
      r0 += u0[i] * b;
      r1 += u1[i] * b;
      r2 += u2[i] * b;
      r3 += u3[i] * b;
    }
    redSum[cands[q]] += Math.max(floor, Math.abs(r0));
    redSum[cands[q + 1]] += Math.max(floor, Math.abs(r1));
    redSum[cands[q + 2]] += Math.max(floor, Math.abs(r2));
    redSum[cands[q + 3]] += Math.max(floor, Math.abs(r3));
  }
  for (; q < m; q++) {
    const c = cands[q];
    const ua = unitOf(c);
    if (!ua) {
      redSum[c] += slow(c);
      continue;
    }
    let r = 0;
    for (let i = 0; i < n; i++) r += ua[i] * ub[i];
    redSum[c] += Math.max(floor, Math.abs(r));
  }
}

function miBased(
  col: (c: number) => Float64Array,
  y: ArrayLike<number>,
  n: number,
  p: number,
  k: number,
  method: "MID" | "MIQ",
  t: number,
  screen?: Screen,
): MrmrResult {
  const disc: Uint8Array[] = [];
  for (let c = 0; c < p; c++) disc.push(discretiseMeanSd(col(c), t));
  const rel = new Float64Array(p);
  for (let c = 0; c < p; c++) rel[c] = mutualInformation(disc[c], y, 3, 2);
  const pass = screen?.(rel);
  let cands = Array.from({ length: p }, (_, c) => c).filter((c) => !pass || pass[c]);
  const K = Math.min(k, cands.length);
  const redSum = new Float64Array(p);
  const score = new Float64Array(p);
  const selected: number[] = [];
  const scores: number[] = [];
  for (let it = 0; it < K; it++) {
    for (const c of cands) {
      if (it === 0) score[c] = rel[c];
      else {
        const red = redSum[c] / it;
        // MIQ with zero redundancy: +Infinity (any relevance over no redundancy); ties fall to relevance, then index.
        score[c] = method === "MID" ? rel[c] - red : red > 0 ? rel[c] / red : rel[c] > 0 ? Infinity : 0;
      }
    }
    const best = argBest(cands, score, rel);
    selected.push(best);
    scores.push(score[best]);
    cands = cands.filter((c) => c !== best);
    if (it + 1 < K) for (const c of cands) redSum[c] += mutualInformation(disc[c], disc[best], 3, 3);
  }
  return { selected, scores, relevance: rel, ...(pass ? { screened: pass.filter(Boolean).length } : {}) };
}
