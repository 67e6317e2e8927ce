/**
 * Histogram tree growth as XGBoost 1.7's `tree_method: hist` (updater grow_quantile_histmaker, depthwise):
 * features are bucketed once into at most max_bin bins; per node, gradient-pair sums per bin are scanned forward
 * (missing right; split value = the bin's upper cut) and, when the node has missing values for the feature,
 * backward (missing left; split value = the bin's lower cut). A split needs loss > 1e-6 and >= gamma.
 * Cuts: with <= max_bin distinct values, XGBoost's cuts are exactly the distinct values (above the minimum) plus a
 * sentinel; with more, this uses evenly spaced ranks, an approximation of XGBoost's weighted quantile sketch.
 */
import type { XGBTree } from "../model";
import type { TrainParams } from "./params";
import { calcGain, calcSplitGain, calcWeight } from "./split-math";
import { TreeBuilder } from "./tree-builder";

const RT_EPS = 1e-6;

export interface HistCuts {
  /** Cut values of feature f are values[ptr[f]..ptr[f+1]); bin b holds x with cut[b-1] <= x < cut[b]. */
  ptr: Int32Array;
  values: Float64Array;
  /** Below every value of the feature (XGBoost min_vals: min - (|min| + 1e-5)). */
  minValues: Float64Array;
}

export function buildHistCuts(data: Float64Array, rows: number, cols: number, maxBin: number): HistCuts {
  const f = Math.fround;
  const ptr = new Int32Array(cols + 1);
  const all: number[] = [];
  const minValues = new Float64Array(cols);
  const vals: number[] = [];
  for (let c = 0; c < cols; c++) {
    vals.length = 0;
    for (let r = 0; r < rows; r++) {
      const x = data[r * cols + c];
      if (!Number.isNaN(x)) vals.push(f(x));
    }
    vals.sort((a, b) => a - b);
    const distinct: number[] = [];
    for (const v of vals) if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
    if (distinct.length === 0) {
      ptr[c + 1] = all.length;
      continue;
    }
    let summary: number[];
    if (distinct.length <= maxBin) summary = distinct;
    else {
      summary = [];
      for (let i = 0; i <= maxBin; i++) {
        const v = vals[Math.round((i * (vals.length - 1)) / maxBin)];
        if (summary.length === 0 || summary[summary.length - 1] !== v) summary.push(v);
      }
    }
    const required = Math.min(summary.length, maxBin);
    for (let i = 1; i < required; i++) {
      const v = summary[i];
      if (i === 1 || v > all[all.length - 1]) all.push(v);
    }
    const mx = summary[summary.length - 1];
    all.push(f(mx + f(Math.abs(mx) + f(1e-5))));
    const mn = summary[0];
    minValues[c] = f(mn - f(Math.abs(mn) + f(1e-5)));
    ptr[c + 1] = all.length;
  }
  return { ptr, values: Float64Array.from(all), minValues };
}

/** Global bin index per (row, feature), -1 for missing. */
export function binMatrix(data: Float64Array, rows: number, cols: number, cuts: HistCuts): Int32Array {
  const out = new Int32Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    const lo0 = cuts.ptr[c];
    const hi0 = cuts.ptr[c + 1];
    for (let r = 0; r < rows; r++) {
      const x = data[r * cols + c];
      if (Number.isNaN(x) || hi0 === lo0) {
        out[r * cols + c] = -1;
        continue;
      }
      const v = Math.fround(x);
      // upper_bound: first cut > v.
      let lo = lo0;
      let hi = hi0;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cuts.values[mid] <= v) lo = mid + 1;
        else hi = mid;
      }
      out[r * cols + c] = Math.min(lo, hi0 - 1);
    }
  }
  return out;
}

interface Cand {
  loss: number;
  feature: number;
  threshold: number;
  /** Last bin going left (bins <= splitBin go left); missing follow defaultLeft. */
  splitBin: number;
  defaultLeft: boolean;
  GL: number;
  HL: number;
  GR: number;
  HR: number;
}

function better(b: Cand, loss: number, feature: number): boolean {
  if (!Number.isFinite(loss)) return false;
  if (b.feature <= feature) return loss > b.loss;
  return !(b.loss > loss);
}

export function growHistTree(
  cuts: HistCuts,
  bins: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  active: Uint8Array,
  features: Int32Array,
  p: TrainParams,
): XGBTree {
  const n = grad.length;
  const F = cuts.ptr.length - 1;
  const nBins = cuts.values.length;
  const tree = new TreeBuilder();
  const position = new Int32Array(n);
  let G0 = 0;
  let H0 = 0;
  for (let r = 0; r < n; r++) {
    position[r] = active[r] ? 0 : -1;
    if (active[r]) {
      G0 += grad[r];
      H0 += hess[r];
    }
  }
  const eta = p.eta;
  const rootW = Math.fround(calcWeight(p, G0, H0));
  tree.baseWeight[0] = rootW;
  tree.sumHess[0] = Math.fround(H0);
  tree.setLeaf(0, Math.fround(eta * rootW));
  const stats = new Map<number, { G: number; H: number }>([[0, { G: G0, H: H0 }]]);

  let level = [0];
  for (let depth = 0; depth < p.max_depth && level.length > 0; depth++) {
    // Histograms of every node on this level in one pass over the rows.
    const slot = new Map<number, number>();
    level.forEach((nid, i) => slot.set(nid, i));
    const hg = new Float64Array(level.length * nBins);
    const hh = new Float64Array(level.length * nBins);
    for (let r = 0; r < n; r++) {
      const nid = position[r];
      if (nid < 0) continue;
      const o = slot.get(nid)! * nBins;
      const g = grad[r];
      const h = hess[r];
      const rowOff = r * F;
      for (let i = 0; i < features.length; i++) {
        const b = bins[rowOff + features[i]];
        if (b < 0) continue;
        hg[o + b] += g;
        hh[o + b] += h;
      }
    }
    const next: number[] = [];
    const splits: { nid: number; c: Cand }[] = [];
    for (const nid of level) {
      const { G, H } = stats.get(nid)!;
      const rootGain = Math.fround(calcGain(p, G, H));
      const o = slot.get(nid)! * nBins;
      const best: Cand = { loss: 0, feature: 0, threshold: 0, splitBin: 0, defaultLeft: false, GL: 0, HL: 0, GR: 0, HR: 0 };
      const consider = (loss: number, f: number, thr: number, bin: number, dl: boolean, GL: number, HL: number, GR: number, HR: number) => {
        if (!better(best, loss, f)) return;
        Object.assign(best, { loss, feature: f, threshold: thr, splitBin: bin, defaultLeft: dl, GL, HL, GR, HR });
      };
      for (let fi = 0; fi < features.length; fi++) {
        const f = features[fi];
        const b0 = cuts.ptr[f];
        const b1 = cuts.ptr[f + 1];
        if (b1 === b0) continue;
        let aG = 0;
        let aH = 0;
        for (let b = b0; b < b1; b++) {
          aG += hg[o + b];
          aH += hh[o + b];
          const rG = G - aG;
          const rH = H - aH;
          if (aH >= p.min_child_weight && rH >= p.min_child_weight) {
            const loss = Math.fround(calcSplitGain(p, aG, aH, rG, rH) - rootGain);
            consider(loss, f, cuts.values[b], b, false, aG, aH, rG, rH);
          }
        }
        if (aG === G && aH === H) continue; // no missing values in this node for f
        aG = 0;
        aH = 0;
        for (let b = b1 - 1; b >= b0; b--) {
          aG += hg[o + b];
          aH += hh[o + b];
          const lG = G - aG;
          const lH = H - aH;
          if (aH >= p.min_child_weight && lH >= p.min_child_weight) {
            const loss = Math.fround(calcSplitGain(p, lG, lH, aG, aH) - rootGain);
            const thr = b === b0 ? cuts.minValues[f] : cuts.values[b - 1];
            consider(loss, f, thr, b - 1, true, lG, lH, aG, aH);
          }
        }
      }
      tree.lossChg[nid] = 0;
      if (best.loss > RT_EPS && best.HL !== 0 && best.HR !== 0 && !(best.loss < p.gamma)) splits.push({ nid, c: best });
    }
    for (const { nid, c } of splits) {
      const lw = Math.fround(calcWeight(p, c.GL, c.HL));
      const rw = Math.fround(calcWeight(p, c.GR, c.HR));
      const [l, r] = tree.expand(nid, c.feature, c.threshold, c.defaultLeft, Math.fround(lw * eta), Math.fround(rw * eta));
      tree.lossChg[nid] = c.loss;
      tree.baseWeight[l] = lw;
      tree.baseWeight[r] = rw;
      tree.sumHess[l] = Math.fround(c.HL);
      tree.sumHess[r] = Math.fround(c.HR);
      stats.set(l, { G: c.GL, H: c.HL });
      stats.set(r, { G: c.GR, H: c.HR });
      next.push(l, r);
    }
    const splitOf = new Map(splits.map((s) => [s.nid, s.c]));
    for (let r = 0; r < n; r++) {
      const nid = position[r];
      if (nid < 0) continue;
      const split = splitOf.get(nid);
      if (!split) {
        position[r] = -1;
        continue;
      }
      const b = bins[r * F + split.feature];
      const goLeft = b < 0 ? split.defaultLeft : b <= split.splitBin;
      position[r] = goLeft ? tree.left[nid] : tree.right[nid];
    }
    level = next;
  }
  return tree.build();
}
