/**
 * Histogram tree growth as XGBoost 1.7's `tree_method: hist` (updater grow_quantile_histmaker, depthwise):
 * features are bucketed once into at most max_bin bins; per node, gradient-pair sums per bin are scanned forward
 * (missing right; split value = the bin's upper cut) and, when the node has missing values for the feature,
 * backward (missing left; split value = the bin's lower cut). A split needs loss > 1e-6 and >= gamma.
 * Cuts: XGBoost's weighted quantile sketch (quantile-sketch.ts), then AddCutPoint (summary values above the minimum
 * plus a sentinel above the maximum).
 */
import type { XGBTree } from "../model";
import type { TrainParams } from "./params";
import { sketchSummary } from "./quantile-sketch";
import { calcGain, calcWeight } from "./split-math";
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
    if (vals.length === 0) {
      ptr[c + 1] = all.length;
      continue;
    }
    // XGBoost's quantile sketch over the values in row order.
    const { summary, maxNumBins } = sketchSummary(vals, maxBin);
    const required = Math.min(summary.length, maxNumBins);
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

/** Two reusable histogram buffers (current level, next level), kept across the rounds of one fit. */
export class HistWorkspace {
  private bufs: { g: Float64Array; h: Float64Array }[] = [
    { g: new Float64Array(0), h: new Float64Array(0) },
    { g: new Float64Array(0), h: new Float64Array(0) },
  ];

  /** Buffer `i` with at least `n` zeroed entries. */
  take(i: number, n: number): { g: Float64Array; h: Float64Array } {
    let b = this.bufs[i];
    if (b.g.length < n) b = this.bufs[i] = { g: new Float64Array(n), h: new Float64Array(n) };
    else {
      b.g.fill(0, 0, n);
      b.h.fill(0, 0, n);
    }
    return b;
  }
}

/** float(T(G)^2) / float(H + lambda) with the max_delta_step = 0 branch inlined (as calcGain). */
function gainOf(p: TrainParams, G: number, H: number): number {
  if (p.max_delta_step !== 0) return calcGain(p, G, H);
  if (H <= 0) return 0;
  const a = p.alpha;
  const t = G > a ? G - a : G < -a ? G + a : 0;
  return Math.fround(Math.fround(t * t) / Math.fround(H + p.lambda));
}

export function growHistTree(
  cuts: HistCuts,
  bins: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  active: Uint8Array,
  features: Int32Array,
  p: TrainParams,
  ws: HistWorkspace = new HistWorkspace(),
): XGBTree {
  const n = grad.length;
  const F = cuts.ptr.length - 1;
  const nBins = cuts.values.length;
  const mcw = p.min_child_weight;
  const f32 = Math.fround;
  const tree = new TreeBuilder();
  // Sampled-out rows stay in the partition with a zero gradient pair, as XGBoost's hist sampling does.
  const g0 = new Float64Array(n);
  const h0 = new Float64Array(n);
  const position = new Int32Array(n);
  let G0 = 0;
  let H0 = 0;
  for (let r = 0; r < n; r++) {
    if (active[r]) {
      g0[r] = grad[r];
      h0[r] = hess[r];
    }
    G0 += g0[r];
    H0 += h0[r];
  }
  const eta = p.eta;
  const rootW = f32(calcWeight(p, G0, H0));
  tree.baseWeight[0] = rootW;
  tree.sumHess[0] = f32(H0);
  tree.setLeaf(0, f32(eta * rootW));
  // Node sums and, per node of the current level, its histogram slot.
  const nodeG = new Map<number, number>([[0, G0]]);
  const nodeH = new Map<number, number>([[0, H0]]);
  // Last bin going left, per split node (training routes rows by bin, consistent with x < threshold).
  const splitBinOf: number[] = [];

  // Histograms of the current level's nodes, one nBins block per node in `level` order. The root's is built from
  // the rows; below, each split builds the child with the smaller hessian sum and derives its sibling as
  // parent - built (XGBoost's subtraction trick, which also fixes the rounding of the sibling's bins).
  let level = [0];
  let hists = ws.take(0, nBins);
  for (let r = 0; r < n; r++) {
    const rowOff = r * F;
    for (let i = 0; i < features.length; i++) {
      const b = bins[rowOff + features[i]];
      if (b < 0) continue;
      hists.g[b] += g0[r];
      hists.h[b] += h0[r];
    }
  }
  for (let depth = 0; depth < p.max_depth && level.length > 0; depth++) {
    const slot = new Map<number, number>();
    level.forEach((nid, i) => slot.set(nid, i));
    const hg = hists.g;
    const hh = hists.h;
    const next: number[] = [];
    for (const nid of level) {
      const G = nodeG.get(nid)!;
      const H = nodeH.get(nid)!;
      const rootGain = f32(gainOf(p, G, H));
      const o = slot.get(nid)! * nBins;
      let bLoss = 0;
      let bFeat = 0;
      let bThr = 0;
      let bBin = 0;
      let bDL = false;
      let bGL = 0;
      let bHL = 0;
      let bGR = 0;
      let bHR = 0;
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
          if (aH >= mcw && rH >= mcw) {
            const loss = f32(f32(gainOf(p, aG, aH) + gainOf(p, rG, rH)) - rootGain);
            if (Number.isFinite(loss) && (bFeat <= f ? loss > bLoss : !(bLoss > loss))) {
              bLoss = loss;
              bFeat = f;
              bThr = cuts.values[b];
              bBin = b;
              bDL = false;
              bGL = aG;
              bHL = aH;
              bGR = rG;
              bHR = rH;
            }
          }
        }
        if (aG === G && aH === H) continue; // no missing values of f in this node: backward scan skipped as XGBoost
        aG = 0;
        aH = 0;
        for (let b = b1 - 1; b >= b0; b--) {
          aG += hg[o + b];
          aH += hh[o + b];
          const lG = G - aG;
          const lH = H - aH;
          if (aH >= mcw && lH >= mcw) {
            const loss = f32(f32(gainOf(p, lG, lH) + gainOf(p, aG, aH)) - rootGain);
            if (Number.isFinite(loss) && (bFeat <= f ? loss > bLoss : !(bLoss > loss))) {
              bLoss = loss;
              bFeat = f;
              bThr = b === b0 ? cuts.minValues[f] : cuts.values[b - 1];
              bBin = b - 1;
              bDL = true;
              bGL = lG;
              bHL = lH;
              bGR = aG;
              bHR = aH;
            }
          }
        }
      }
      // ExpandEntry::IsValid: loss above 1e-6 and at least gamma, both children with hessian.
      if (!(bLoss > RT_EPS && bHL !== 0 && bHR !== 0 && !(bLoss < p.gamma))) continue;
      const lw = f32(calcWeight(p, bGL, bHL));
      const rw = f32(calcWeight(p, bGR, bHR));
      const [l, r] = tree.expand(nid, bFeat, bThr, bDL, f32(lw * eta), f32(rw * eta));
      tree.lossChg[nid] = bLoss;
      tree.baseWeight[l] = lw;
      tree.baseWeight[r] = rw;
      tree.sumHess[l] = f32(bHL);
      tree.sumHess[r] = f32(bHR);
      nodeG.set(l, bGL);
      nodeH.set(l, bHL);
      nodeG.set(r, bGR);
      nodeH.set(r, bHR);
      splitBinOf[nid] = bBin;
      next.push(l, r);
    }
    for (let r = 0; r < n; r++) {
      const nid = position[r];
      if (nid < 0) continue;
      if (tree.left[nid] === -1) {
        position[r] = -1;
        continue;
      }
      const b = bins[r * F + tree.splitIndex[nid]];
      const goLeft = b < 0 ? tree.defaultLeft[nid] === 1 : b <= splitBinOf[nid];
      position[r] = goLeft ? tree.left[nid] : tree.right[nid];
    }
    if (next.length === 0 || depth + 1 >= p.max_depth) {
      level = next;
      continue;
    }
    const nextSlot = new Map<number, number>();
    next.forEach((nid, i) => nextSlot.set(nid, i));
    const nextHists = ws.take(depth % 2 === 0 ? 1 : 0, next.length * nBins);
    const ng = nextHists.g;
    const nh = nextHists.h;
    const build = new Uint8Array(tree.numNodes);
    for (let i = 0; i < next.length; i += 2) {
      const l = next[i];
      const r = next[i + 1];
      // Build the child with fewer hessian (right when strictly fewer), subtract for the other.
      build[nodeH.get(r)! < nodeH.get(l)! ? r : l] = 1;
    }
    for (let r = 0; r < n; r++) {
      const nid = position[r];
      if (nid < 0 || !build[nid]) continue;
      const o = nextSlot.get(nid)! * nBins;
      const rowOff = r * F;
      for (let i = 0; i < features.length; i++) {
        const b = bins[rowOff + features[i]];
        if (b < 0) continue;
        ng[o + b] += g0[r];
        nh[o + b] += h0[r];
      }
    }
    for (let i = 0; i < next.length; i += 2) {
      const l = next[i];
      const r = next[i + 1];
      const [built, sub] = build[l] ? [l, r] : [r, l];
      const parent = tree.parent[l];
      const po = slot.get(parent)! * nBins;
      const bo = nextSlot.get(built)! * nBins;
      const so = nextSlot.get(sub)! * nBins;
      for (let k = 0; k < nBins; k++) {
        ng[so + k] = hg[po + k] - ng[bo + k];
        nh[so + k] = hh[po + k] - nh[bo + k];
      }
    }
    hists = nextHists;
    level = next;
  }
  return tree.build();
}
