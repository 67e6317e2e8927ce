/**
 * Grey level co-occurrence matrix (GLCM) features, IBSI chapter 1 section 3.6 and pyradiomics' glcm.py.
 *
 * IBSI: N_g = roi.nLevels (empty grey levels stay in the matrix), symmetric by default, features on the normalised
 * matrix without epsilon, aggregated per the IBSI method (2D/2.5D/3D, averaged/merged).
 * pyradiomics: 13 angles (pyradiomics' order) at infinity-norm distance d, grey levels absent from the ROI removed,
 * i and j take the actual grey level values, N_g = the largest grey level present, empty angles deleted, features per
 * angle then averaged ignoring NaN (numpy.nanmean), log2(p + eps) throughout; weightingNorm merges the angles.
 */
import { symmetricEigenvalues } from "./eigen";
import { EPS, nanMean } from "./matrix-features";
import { NacError } from "@/lib/errors/nac-error";
import { matrixAggregationSuffix } from "./aggregation-names";
import { aggregateIbsi, MAX_MATRIX_CELLS } from "./ibsi-aggregate";
import { identityRows, presentLevels } from "./levels";
import { ibsiDirections, pyradiomicsAngles, roiBox } from "./neighbourhood";
import { padDeltas, paddedRoi, reach } from "./padded";
import type { DiscretisedRoi, MatrixAggregation, TextureResult, WeightingNorm } from "./types";

/**
 * Raw (asymmetric) co-occurrence counts, layout [direction][row * nRows + col], over the ROI voxels kFrom..kTo of the
 * padded grid (a slice range, or all). `rowOf` maps a grey level to its row (identity - 1 for IBSI; the rank among the
 * levels present for pyradiomics).
 */
export function glcmCounts(
  roi: DiscretisedRoi,
  offsets: Int32Array,
  rowOf: Int32Array,
  nRows: number,
  kFrom = 0,
  kTo = -1,
): Float64Array {
  const NN = nRows * nRows;
  const nDir = offsets.length / 3;
  if (NN * nDir > MAX_MATRIX_CELLS) {
    throw new NacError(
      "SETTINGS_INVALID",
      `${nRows} grey levels give a GLCM too large to compute (${nDir} x ${nRows}^2 cells); use fewer bins`,
    );
  }
  const p = paddedRoi(roi, reach(offsets));
  const counts = new Float64Array(nDir * NN);
  const delta = padDeltas(p, offsets);
  const { lv, voxels } = p;
  const end = kTo < 0 ? voxels.length : kTo;
  for (let k = kFrom; k < end; k++) {
    const i = voxels[k];
    const base = rowOf[lv[i]] * nRows;
    for (let d = 0; d < nDir; d++) {
      const lj = lv[i + delta[d]];
      if (lj !== 0) counts[d * NN + base + rowOf[lj]]++;
    }
  }
  return counts;
}

/** M + M^T into a new array (or M itself when not symmetric). */
function symmetrise(m: Float64Array, Ng: number, symmetric: boolean): Float64Array {
  if (!symmetric) return m.slice();
  const out = new Float64Array(Ng * Ng);
  for (let i = 0; i < Ng; i++) for (let j = 0; j < Ng; j++) out[i * Ng + j] = m[i * Ng + j] + m[j * Ng + i];
  return out;
}

// ---------------------------------------------------------------------------------------------------------------- IBSI

export const IBSI_GLCM_FEATURES = [
  "joint_max",
  "joint_avg",
  "joint_var",
  "joint_entr",
  "diff_avg",
  "diff_var",
  "diff_entr",
  "sum_avg",
  "sum_var",
  "sum_entr",
  "energy",
  "contrast",
  "dissimilarity",
  "inv_diff",
  "inv_diff_norm",
  "inv_diff_mom",
  "inv_diff_mom_norm",
  "inv_var",
  "corr",
  "auto_corr",
  "clust_tend",
  "clust_shade",
  "clust_prom",
  "info_corr1",
  "info_corr2",
] as const;

const IBSI_UNDEFINED: Partial<Record<(typeof IBSI_GLCM_FEATURES)[number], string>> = {
  corr: "undefined: the marginal grey-level distribution has zero variance (a single grey level)",
  info_corr1: "undefined: both marginal entropies are 0 (a single grey level)",
  info_corr2: "undefined: negative argument of the square root",
};

/** IBSI GLCM features of one count matrix (Ng x Ng). NaN marks a feature undefined for this matrix; null if empty. */
export function ibsiGlcmFeatures(counts: Float64Array, Ng: number): Float64Array | null {
  let sum = 0;
  for (let k = 0; k < Ng * Ng; k++) sum += counts[k];
  if (sum === 0) return null;
  const p = new Float64Array(Ng * Ng);
  for (let k = 0; k < Ng * Ng; k++) p[k] = counts[k] / sum;
  const pi = new Float64Array(Ng);
  const pj = new Float64Array(Ng);
  const pSum = new Float64Array(2 * Ng + 1); // index k = i + j (1-based levels), 2..2Ng
  const pDiff = new Float64Array(Ng); // index |i - j|
  let jointMax = 0,
    muI = 0,
    muJ = 0,
    jointEntr = 0,
    energy = 0,
    contrast = 0,
    dissim = 0;
  let invDiff = 0,
    invDiffNorm = 0,
    invDiffMom = 0,
    invDiffMomNorm = 0,
    invVar = 0,
    autoCorr = 0;
  for (let a = 0; a < Ng; a++) {
    const i = a + 1;
    for (let b = 0; b < Ng; b++) {
      const v = p[a * Ng + b];
      if (v === 0) continue;
      const j = b + 1;
      const dd = Math.abs(i - j);
      pi[a] += v;
      pj[b] += v;
      pSum[i + j] += v;
      pDiff[dd] += v;
      if (v > jointMax) jointMax = v;
      muI += i * v;
      muJ += j * v;
      jointEntr -= v * Math.log2(v);
      energy += v * v;
      contrast += dd * dd * v;
      dissim += dd * v;
      invDiff += v / (1 + dd);
      invDiffNorm += v / (1 + dd / Ng);
      invDiffMom += v / (1 + dd * dd);
      invDiffMomNorm += v / (1 + (dd * dd) / (Ng * Ng));
      if (dd > 0) invVar += v / (dd * dd);
      autoCorr += i * j * v;
    }
  }
  let jointVar = 0,
    varI = 0,
    varJ = 0,
    cov = 0,
    tend = 0,
    shade = 0,
    prom = 0,
    hxy1 = 0;
  for (let a = 0; a < Ng; a++) {
    const i = a + 1;
    for (let b = 0; b < Ng; b++) {
      const v = p[a * Ng + b];
      if (v === 0) continue;
      const j = b + 1;
      jointVar += (i - muI) ** 2 * v;
      cov += (i - muI) * (j - muJ) * v;
      const c = i + j - muI - muJ;
      tend += c * c * v;
      shade += c * c * c * v;
      prom += c * c * c * c * v;
      hxy1 -= v * Math.log2(pi[a] * pj[b]);
    }
  }
  let hx = 0,
    hy = 0,
    hxy2 = 0;
  for (let a = 0; a < Ng; a++) {
    const i = a + 1;
    varI += (i - muI) ** 2 * pi[a];
    varJ += (i - muJ) ** 2 * pj[a];
    if (pi[a] > 0) hx -= pi[a] * Math.log2(pi[a]);
    if (pj[a] > 0) hy -= pj[a] * Math.log2(pj[a]);
    for (let b = 0; b < Ng; b++) {
      const q = pi[a] * pj[b];
      if (q > 0) hxy2 -= q * Math.log2(q);
    }
  }
  let diffAvg = 0,
    diffEntr = 0;
  for (let k = 0; k < Ng; k++) {
    diffAvg += k * pDiff[k];
    if (pDiff[k] > 0) diffEntr -= pDiff[k] * Math.log2(pDiff[k]);
  }
  let diffVar = 0;
  for (let k = 0; k < Ng; k++) diffVar += (k - diffAvg) ** 2 * pDiff[k];
  let sumAvg = 0,
    sumEntr = 0;
  for (let k = 2; k <= 2 * Ng; k++) {
    sumAvg += k * pSum[k];
    if (pSum[k] > 0) sumEntr -= pSum[k] * Math.log2(pSum[k]);
  }
  let sumVar = 0;
  for (let k = 2; k <= 2 * Ng; k++) sumVar += (k - sumAvg) ** 2 * pSum[k];
  const sd = Math.sqrt(varI * varJ);
  const corr = sd > 0 ? cov / sd : NaN;
  const hMax = Math.max(hx, hy);
  const info1 = hMax > 0 ? (jointEntr - hxy1) / hMax : NaN;
  const mi = hxy2 - jointEntr;
  // Mutual information is >= 0; tiny negative values are rounding.
  const info2 = mi >= -1e-12 ? Math.sqrt(Math.max(0, 1 - Math.exp(-2 * mi))) : NaN;
  return Float64Array.from([
    jointMax,
    muI,
    jointVar,
    jointEntr,
    diffAvg,
    diffVar,
    diffEntr,
    sumAvg,
    sumVar,
    sumEntr,
    energy,
    contrast,
    dissim,
    invDiff,
    invDiffNorm,
    invDiffMom,
    invDiffMomNorm,
    invVar,
    corr,
    autoCorr,
    tend,
    shade,
    prom,
    info1,
    info2,
  ]);
}

export function computeGlcmIbsi(
  roi: DiscretisedRoi,
  aggregations: MatrixAggregation[],
  distance: number,
  symmetric: boolean,
): TextureResult {
  const Ng = roi.nLevels;
  const rows = identityRows(Ng);
  const dirs2D = ibsiDirections(true, distance);
  const dirs3D = ibsiDirections(false, distance);
  const p = paddedRoi(roi, distance);
  const feats = aggregateIbsi(
    aggregations,
    {
      slice: (s) => glcmCounts(roi, dirs2D, rows, Ng, p.sliceStart[s], p.sliceStart[s + 1]),
      nSlices: p.sliceStart.length - 1,
      nDir2D: dirs2D.length / 3,
      volume: () => glcmCounts(roi, dirs3D, rows, Ng),
      nDir3D: dirs3D.length / 3,
      cells: Ng * Ng,
    },
    (m) => ibsiGlcmFeatures(symmetrise(m, Ng, symmetric), Ng),
  );
  const res: TextureResult = { values: {}, failures: {} };
  for (const [agg, list] of feats) {
    const suffix = matrixAggregationSuffix(agg);
    IBSI_GLCM_FEATURES.forEach((name, k) => {
      const tag = `cm_${name}_${suffix}`;
      if (list.length === 0) {
        res.failures[tag] = "no pair of neighbouring ROI voxels: the co-occurrence matrix is empty";
        return;
      }
      const v = nanMean(list.map((f) => f[k]));
      if (Number.isNaN(v)) res.failures[tag] = IBSI_UNDEFINED[name] ?? "undefined for every matrix";
      else res.values[tag] = v;
    });
  }
  return res;
}

// --------------------------------------------------------------------------------------------------------- pyradiomics

export const PYRAD_GLCM_FEATURES = [
  "Autocorrelation",
  "JointAverage",
  "ClusterProminence",
  "ClusterShade",
  "ClusterTendency",
  "Contrast",
  "Correlation",
  "DifferenceAverage",
  "DifferenceEntropy",
  "DifferenceVariance",
  "JointEnergy",
  "JointEntropy",
  "Imc1",
  "Imc2",
  "Idm",
  "MCC",
  "Idmn",
  "Id",
  "Idn",
  "InverseVariance",
  "MaximumProbability",
  "SumAverage",
  "SumEntropy",
  "SumSquares",
] as const;
type PyradGlcmName = (typeof PYRAD_GLCM_FEATURES)[number];

/** Where pyradiomics substitutes a constant for an undefined value, per angle (documented in its glcm.py). */
const PYRAD_SUBSTITUTES: Partial<Record<PyradGlcmName, string>> = {
  Correlation: "undefined: zero grey-level variance (flat region); pyradiomics returns 1",
  Imc1: "undefined: both marginal entropies are 0 (flat region); pyradiomics returns 0",
  Imc2: "undefined: no mutual information term (flat region); pyradiomics returns 0",
  MCC: "undefined: a single grey level (flat region); pyradiomics returns 1",
};

/**
 * pyradiomics GLCM features of one normalised matrix P (nG x nG over the grey levels present, values gv), with
 * NgMax = the largest grey level. `subst` receives, per feature index, whether pyradiomics' constant was used.
 */
function pyradGlcmFeatures(
  P: Float64Array,
  nG: number,
  gv: Float64Array,
  NgMax: number,
  subst: Uint8Array,
): Float64Array {
  const px = new Float64Array(nG);
  const py = new Float64Array(nG);
  let ux = 0,
    uy = 0,
    maxP = 0,
    hxy = 0,
    energy = 0,
    autoc = 0,
    contrast = 0;
  const pAdd = new Float64Array(2 * NgMax + 1);
  const pSub = new Float64Array(NgMax);
  for (let a = 0; a < nG; a++) {
    for (let b = 0; b < nG; b++) {
      const v = P[a * nG + b];
      px[a] += v;
      py[b] += v;
      ux += gv[a] * v;
      uy += gv[b] * v;
      if (v > maxP) maxP = v;
      hxy -= v * Math.log2(v + EPS);
      energy += v * v;
      autoc += gv[a] * gv[b] * v;
      const d = gv[a] - gv[b];
      contrast += d * d * v;
      pAdd[gv[a] + gv[b]] += v;
      pSub[Math.abs(d)] += v;
    }
  }
  let prom = 0,
    shade = 0,
    tend = 0,
    sigx2 = 0,
    sigy2 = 0,
    corm = 0,
    hxy1 = 0;
  for (let a = 0; a < nG; a++) {
    for (let b = 0; b < nG; b++) {
      const v = P[a * nG + b];
      const c = gv[a] + gv[b] - ux - uy;
      tend += c * c * v;
      shade += c * c * c * v;
      prom += c * c * c * c * v;
      sigx2 += (gv[a] - ux) ** 2 * v;
      sigy2 += (gv[b] - uy) ** 2 * v;
      corm += (gv[a] - ux) * (gv[b] - uy) * v;
      hxy1 -= v * Math.log2(px[a] * py[b] + EPS);
    }
  }
  let hx = 0,
    hy = 0,
    hxy2 = 0;
  for (let a = 0; a < nG; a++) {
    hx -= px[a] * Math.log2(px[a] + EPS);
    hy -= py[a] * Math.log2(py[a] + EPS);
    for (let b = 0; b < nG; b++) {
      const q = px[a] * py[b];
      hxy2 -= q * Math.log2(q + EPS);
    }
  }
  let diffAvg = 0,
    diffEnt = 0,
    idm = 0,
    idmn = 0,
    id = 0,
    idn = 0,
    invVar = 0;
  for (let k = 0; k < NgMax; k++) {
    const v = pSub[k];
    diffAvg += k * v;
    diffEnt -= v * Math.log2(v + EPS);
    idm += v / (1 + k * k);
    idmn += v / (1 + (k * k) / (NgMax * NgMax));
    id += v / (1 + k);
    idn += v / (1 + k / NgMax);
    if (k > 0) invVar += v / (k * k);
  }
  let diffVar = 0;
  for (let k = 0; k < NgMax; k++) diffVar += (k - diffAvg) ** 2 * pSub[k];
  let sumAvg = 0,
    sumEnt = 0;
  for (let k = 2; k <= 2 * NgMax; k++) {
    sumAvg += k * pAdd[k];
    sumEnt -= pAdd[k] * Math.log2(pAdd[k] + EPS);
  }
  const sigx = Math.sqrt(sigx2);
  const sigy = Math.sqrt(sigy2);
  let corr: number;
  if (sigx * sigy === 0) {
    corr = 1;
    subst[PYRAD_GLCM_FEATURES.indexOf("Correlation")] = 1;
  } else corr = corm / (sigx * sigy + EPS);
  const div = Math.max(hx, hy);
  let imc1: number;
  if (div === 0) {
    imc1 = 0;
    subst[PYRAD_GLCM_FEATURES.indexOf("Imc1")] = 1;
  } else imc1 = (hxy - hxy1) / div;
  let imc2: number;
  if (hxy2 === hxy) {
    imc2 = 0;
    subst[PYRAD_GLCM_FEATURES.indexOf("Imc2")] = 1;
  } else {
    const arg = 1 - Math.exp(-2 * (hxy2 - hxy));
    imc2 = arg >= 0 ? Math.sqrt(arg) : NaN; // numpy gives NaN here, which nanmean then skips
  }
  let mcc: number;
  if (nG < 2) {
    mcc = 1;
    subst[PYRAD_GLCM_FEATURES.indexOf("MCC")] = 1;
  } else mcc = maximalCorrelation(P, nG, px, py);
  const out: Record<PyradGlcmName, number> = {
    Autocorrelation: autoc,
    JointAverage: ux,
    ClusterProminence: prom,
    ClusterShade: shade,
    ClusterTendency: tend,
    Contrast: contrast,
    Correlation: corr,
    DifferenceAverage: diffAvg,
    DifferenceEntropy: diffEnt,
    DifferenceVariance: diffVar,
    JointEnergy: energy,
    JointEntropy: hxy,
    Imc1: imc1,
    Imc2: imc2,
    Idm: idm,
    MCC: mcc,
    Idmn: idmn,
    Id: id,
    Idn: idn,
    InverseVariance: invVar,
    MaximumProbability: maxP,
    SumAverage: sumAvg,
    SumEntropy: sumEnt,
    SumSquares: sigx2,
  };
  return Float64Array.from(PYRAD_GLCM_FEATURES, (n) => out[n]);
}

/**
 * MCC = sqrt(second largest eigenvalue of Q), Q(i, j) = sum_k p(i,k) p(j,k) / (px(i) py(k)). Q is similar to the
 * symmetric positive semi-definite C C^T with C(i,k) = p(i,k) / sqrt(px(i) py(k)) (rows/columns with zero marginal
 * contribute zero eigenvalues), so a symmetric eigensolver gives pyradiomics' numpy.linalg.eigvals result.
 */
function maximalCorrelation(P: Float64Array, nG: number, px: Float64Array, py: Float64Array): number {
  const rows: number[] = [];
  const cols: number[] = [];
  for (let a = 0; a < nG; a++) if (px[a] > 0) rows.push(a);
  for (let b = 0; b < nG; b++) if (py[b] > 0) cols.push(b);
  const nr = rows.length;
  const nc = cols.length;
  const C = new Float64Array(nr * nc);
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) C[r * nc + c] = P[rows[r] * nG + cols[c]] / Math.sqrt(px[rows[r]] * py[cols[c]]);
  }
  const B = new Float64Array(nr * nr);
  for (let r = 0; r < nr; r++) {
    for (let s = 0; s <= r; s++) {
      let acc = 0;
      for (let c = 0; c < nc; c++) acc += C[r * nc + c] * C[s * nc + c];
      B[r * nr + s] = acc;
      B[s * nr + r] = acc;
    }
  }
  const ev = Array.from(symmetricEigenvalues(B, nr));
  for (let k = nr; k < nG; k++) ev.push(0);
  ev.sort((u, v) => u - v);
  return Math.sqrt(Math.max(0, ev[ev.length - 2]));
}

/** pyradiomics' per-angle weights for merging GLCMs (glcm.py). Offsets are [dx, dy, dz]; spacing [sx, sy, sz]. */
export function pyradGlcmWeight(norm: WeightingNorm, o: ArrayLike<number>, spacing: ArrayLike<number>): number {
  const d = [Math.abs(o[0]) * spacing[0], Math.abs(o[1]) * spacing[1], Math.abs(o[2]) * spacing[2]];
  switch (norm) {
    case "infinity":
      return Math.exp(-(Math.max(...d) ** 2));
    case "euclidean":
      return Math.exp(-(d[0] ** 2 + d[1] ** 2 + d[2] ** 2));
    case "manhattan":
      return Math.exp(-((d[0] + d[1] + d[2]) ** 2));
    case "no_weighting":
      return 1;
  }
}

export interface PyradMatrices {
  /** Grey level values of the rows (levels present in the ROI). */
  grayLevels: Float64Array;
  /** Largest grey level present (pyradiomics' Ng). */
  NgMax: number;
  /** Matrices after pyradiomics' post-processing, each nG x nG (GLCM: normalised). */
  matrices: Float64Array[];
}

/** pyradiomics' GLCMs (one per non-empty angle, or one merged with weightingNorm), normalised to sum 1. */
export function pyradGlcmMatrices(
  roi: DiscretisedRoi,
  opts: {
    distance: number | readonly number[];
    symmetric: boolean;
    weightingNorm?: WeightingNorm;
    force2D: boolean;
    dropEmpty?: boolean;
  },
): PyradMatrices {
  const box = roiBox(roi);
  const angles = pyradiomicsAngles(box, opts.distance, false, opts.force2D);
  const { gv, index } = presentLevels(roi);
  const nG = gv.length;
  const nA = angles.length / 3;
  const counts = glcmCounts(roi, angles, index, nG);
  let mats: Float64Array[] = [];
  for (let a = 0; a < nA; a++)
    mats.push(symmetrise(counts.subarray(a * nG * nG, (a + 1) * nG * nG), nG, opts.symmetric));
  if (opts.weightingNorm) {
    const merged = new Float64Array(nG * nG);
    mats.forEach((m, a) => {
      const w = pyradGlcmWeight(opts.weightingNorm!, angles.subarray(3 * a, 3 * a + 3), roi.spacing);
      for (let k = 0; k < m.length; k++) merged[k] += w * m[k];
    });
    mats = [merged];
  }
  if (opts.dropEmpty !== false) mats = mats.filter((m) => m.some((v) => v !== 0));
  for (const m of mats) {
    let s = 0;
    for (let k = 0; k < m.length; k++) s += m[k];
    if (s > 0) for (let k = 0; k < m.length; k++) m[k] /= s;
  }
  return { grayLevels: gv, NgMax: gv.length ? gv[gv.length - 1] : 0, matrices: mats };
}

export function computeGlcmPyradiomics(
  roi: DiscretisedRoi,
  opts: {
    distance: number | readonly number[];
    symmetric: boolean;
    weightingNorm?: WeightingNorm;
    force2D: boolean;
    prefix: string;
  },
): TextureResult {
  const { grayLevels, NgMax, matrices } = pyradGlcmMatrices(roi, opts);
  const res: TextureResult = { values: {}, failures: {} };
  const nF = PYRAD_GLCM_FEATURES.length;
  const subst = matrices.map(() => new Uint8Array(nF));
  const feats = matrices.map((m, a) => pyradGlcmFeatures(m, grayLevels.length, grayLevels, NgMax, subst[a]));
  PYRAD_GLCM_FEATURES.forEach((name, k) => {
    const key = `${opts.prefix}_glcm_${name}`;
    if (feats.length === 0) {
      res.failures[key] = "no pair of neighbouring ROI voxels along any angle: every GLCM is empty (pyradiomics: NaN)";
      return;
    }
    if (subst.every((s) => s[k] === 1)) {
      res.failures[key] = PYRAD_SUBSTITUTES[name] ?? "undefined";
      return;
    }
    const v = nanMean(feats.map((f) => f[k]));
    if (Number.isNaN(v)) res.failures[key] = "undefined for every angle (pyradiomics: NaN)";
    else res.values[key] = v;
  });
  return res;
}
