/**
 * Exact greedy tree growth as XGBoost 1.7's ColMaker (`tree_method: exact`, updater "grow_colmaker,prune"):
 * level by level, every feature's presorted non-missing values are scanned backward (missing go left) and, for
 * columns with missing values, forward (missing go right); a candidate threshold is the float32 midpoint of adjacent
 * distinct values, the final candidate puts every present value on one side. Ties keep the lowest feature index and
 * the first candidate found. A node splits when its loss change exceeds 1e-6; the pruner then applies gamma.
 */
import type { XGBTree } from "../model";
import type { TrainParams } from "./params";
import { calcGain, calcWeight } from "./split-math";
import { TreeBuilder } from "./tree-builder";

const RT_EPS = 1e-6;

/** Column-sorted view of the training matrix, built once per fit. */
export interface SortedColumns {
  rows: number;
  cols: number;
  /** CSC layout: entries of column c are at [ptr[c], ptr[c+1]), ascending by value. */
  ptr: Int32Array;
  rowIdx: Int32Array;
  /** float32 feature values (XGBoost's DMatrix stores float). */
  value: Float64Array;
  /** Column has at least one missing value (XGBoost: density < 1, enables the forward scan). */
  hasMissing: Uint8Array;
}

export function sortColumns(data: Float64Array, rows: number, cols: number): SortedColumns {
  const ptr = new Int32Array(cols + 1);
  for (let c = 0; c < cols; c++) {
    let n = 0;
    for (let r = 0; r < rows; r++) if (!Number.isNaN(data[r * cols + c])) n++;
    ptr[c + 1] = ptr[c] + n;
  }
  const rowIdx = new Int32Array(ptr[cols]);
  const value = new Float64Array(ptr[cols]);
  const hasMissing = new Uint8Array(cols);
  const order: number[] = [];
  const v32 = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    order.length = 0;
    for (let r = 0; r < rows; r++) {
      const x = data[r * cols + c];
      if (Number.isNaN(x)) continue;
      v32[r] = Math.fround(x);
      order.push(r);
    }
    order.sort((a, b) => v32[a] - v32[b] || a - b);
    hasMissing[c] = order.length < rows ? 1 : 0;
    for (let k = 0; k < order.length; k++) {
      rowIdx[ptr[c] + k] = order[k];
      value[ptr[c] + k] = v32[order[k]];
    }
  }
  return { rows, cols, ptr, rowIdx, value, hasMissing };
}

/**
 * The sorted view of columns `keep` (ascending positions) of the matrix `sc` was built from: each kept column's
 * entries copied as they are. A column's order depends only on its own values and row numbers (ties by row), so this
 * equals sortColumns on the restricted matrix, without sorting again.
 */
export function restrictSortedColumns(sc: SortedColumns, keep: ArrayLike<number>): SortedColumns {
  const cols = keep.length;
  const ptr = new Int32Array(cols + 1);
  for (let j = 0; j < cols; j++) ptr[j + 1] = ptr[j] + (sc.ptr[keep[j] + 1] - sc.ptr[keep[j]]);
  const rowIdx = new Int32Array(ptr[cols]);
  const value = new Float64Array(ptr[cols]);
  const hasMissing = new Uint8Array(cols);
  for (let j = 0; j < cols; j++) {
    const from = sc.ptr[keep[j]],
      to = sc.ptr[keep[j] + 1];
    rowIdx.set(sc.rowIdx.subarray(from, to), ptr[j]);
    value.set(sc.value.subarray(from, to), ptr[j]);
    hasMissing[j] = sc.hasMissing[keep[j]];
  }
  return { rows: sc.rows, cols, ptr, rowIdx, value, hasMissing };
}

/** Best split per node, struct-of-arrays (SplitEntry). */
class BestSplits {
  loss = new Float64Array(0);
  feature = new Int32Array(0);
  threshold = new Float64Array(0);
  defaultLeft = new Uint8Array(0);
  GL = new Float64Array(0);
  HL = new Float64Array(0);
  GR = new Float64Array(0);
  HR = new Float64Array(0);

  ensure(n: number): void {
    if (this.loss.length >= n) return;
    const cap = Math.max(n, this.loss.length * 2, 16);
    const g64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.loss = g64(this.loss);
    this.threshold = g64(this.threshold);
    this.GL = g64(this.GL);
    this.HL = g64(this.HL);
    this.GR = g64(this.GR);
    this.HR = g64(this.HR);
    const f = new Int32Array(cap);
    f.set(this.feature);
    this.feature = f;
    const d = new Uint8Array(cap);
    d.set(this.defaultLeft);
    this.defaultLeft = d;
  }

  reset(nid: number): void {
    this.loss[nid] = 0;
    this.feature[nid] = 0;
    this.threshold[nid] = 0;
    this.defaultLeft[nid] = 0;
  }

  /** SplitEntry::Update with NeedReplace: larger loss wins; on a tie the lower feature index wins, same feature keeps the first. */
  update(
    nid: number,
    loss: number,
    f: number,
    thr: number,
    dl: boolean,
    GL: number,
    HL: number,
    GR: number,
    HR: number,
  ): void {
    if (loss === Infinity || loss === -Infinity || loss !== loss) return;
    const bf = this.feature[nid];
    if (bf <= f ? !(loss > this.loss[nid]) : this.loss[nid] > loss) return;
    this.loss[nid] = loss;
    this.feature[nid] = f;
    this.threshold[nid] = thr;
    this.defaultLeft[nid] = dl ? 1 : 0;
    this.GL[nid] = GL;
    this.HL[nid] = HL;
    this.GR[nid] = GR;
    this.HR[nid] = HR;
  }
}

/** Per-node sums of the column scan (ThreadEntry). */
interface ScanState {
  tG: Float64Array;
  tH: Float64Array;
  tLast: Float64Array;
  nodeG: Float64Array;
  nodeH: Float64Array;
  rootGain: Float64Array;
}

/**
 * One directional scan of feature f over the nodes in qexpand (ColMaker::EnumerateSplit + UpdateEnumeration).
 * Backward: the accumulated side is the right child, missing values go left; forward: the reverse.
 */
function enumerate(
  sc: SortedColumns,
  f: number,
  qexpand: number[],
  backward: boolean,
  position: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  st: ScanState,
  best: BestSplits,
  p: TrainParams,
  runs: NodeRuns,
  direct: boolean,
): void {
  const { tG, tH, tLast, nodeG, nodeH, rootGain } = st;
  const mcw = p.min_child_weight;
  const f32 = Math.fround;
  if (p.max_delta_step !== 0) {
    enumerateGeneric(sc, f, qexpand, backward, position, grad, hess, st, best, p);
    return;
  }
  if (screenable(p)) {
    if (direct) {
      // Backward only: direct scans are for columns without missing values.
      const nid = qexpand[0];
      scanRootBackward(sc.rowIdx, sc.value, grad, hess, sc.ptr[f], sc.ptr[f + 1], f, nid, st, best, p);
    } else {
      // Each node alone over its run of this feature's entries (NodeRuns), in the same order as a joint scan.
      for (let i = 0; i < qexpand.length; i++) {
        const nid = qexpand[i];
        const lo = runs.lo[nid],
          hi = runs.hi[nid];
        if (lo === hi) {
          // As the joint scan: zero sums, the node's last value left as it was.
          tG[nid] = 0;
          tH[nid] = 0;
        } else scanRun(runs.g, runs.h, runs.value, lo, hi, f, nid, backward, st, best, p);
      }
    }
    finishScan(f, qexpand, backward, st, best, p);
    return;
  }
  // Hot loop with CalcGain's max_delta_step = 0 form inlined: float(T(G)^2) / float(H + lambda), T = L1 soft
  // threshold, each child's score a float and their sum a float, as XGBoost's evaluator.
  const alpha = p.alpha;
  const lambda = p.lambda;
  const bestLoss = best.loss;
  for (let i = 0; i < qexpand.length; i++) {
    tG[qexpand[i]] = 0;
    tH[qexpand[i]] = 0;
  }
  const rowIdx = sc.rowIdx;
  const value = sc.value;
  const start = sc.ptr[f];
  const end = sc.ptr[f + 1];
  const step = backward ? -1 : 1;
  const k0 = backward ? end - 1 : start;
  const kEnd = backward ? start - 1 : end;
  for (let k = k0; k !== kEnd; k += step) {
    const r = rowIdx[k];
    const nid = position[r];
    if (nid < 0) continue;
    const fv = value[k];
    const eH = tH[nid];
    if (eH === 0) {
      // First entry of this node (XGBoost tests sum_hess == 0 for "empty").
      tG[nid] += grad[r];
      tH[nid] += hess[r];
      tLast[nid] = fv;
      continue;
    }
    if (fv !== tLast[nid] && eH >= mcw) {
      const cH = nodeH[nid] - eH;
      if (cH >= mcw) {
        const eG = tG[nid];
        const cG = nodeG[nid] - eG;
        const te = eG > alpha ? eG - alpha : eG < -alpha ? eG + alpha : 0;
        const tc = cG > alpha ? cG - alpha : cG < -alpha ? cG + alpha : 0;
        const ge = eH > 0 ? f32(f32(te * te) / f32(eH + lambda)) : 0;
        const gc = cH > 0 ? f32(f32(tc * tc) / f32(cH + lambda)) : 0;
        const loss = f32(f32(f32(gc) + f32(ge)) - rootGain[nid]);
        // Cheap pre-check: a candidate can only replace the best when loss >= best loss.
        if (loss >= bestLoss[nid]) {
          const thr = f32(f32(fv + tLast[nid]) * 0.5);
          if (backward) best.update(nid, loss, f, thr, true, cG, cH, eG, eH);
          else best.update(nid, loss, f, thr, false, eG, eH, cG, cH);
        }
      }
    }
    tG[nid] += grad[r];
    tH[nid] += hess[r];
    tLast[nid] = fv;
  }
  finishScan(f, qexpand, backward, st, best, p);
}

/**
 * Screen for the scans below (alpha = 0, lambda > 0, max_delta_step = 0). A candidate can only change the best split
 * when its float32 loss f32(f32(gc + ge) - rootGain) >= the node's best loss b. The exact score ge + gc =
 * eG^2/(eH + lambda) + cG^2/(cH + lambda) is compared in double, division-free, against b + rootGain: the float32
 * path is within ~4e-7 relative of it (a handful of float roundings), so a candidate whose double score is below
 * by more than SCREEN_MARGIN (1e-5, relative) cannot reach b and is skipped; every other candidate takes the
 * unchanged float32 path. Most candidates of a scan fall far below the best, so most divisions are saved. The
 * result is the same split, bit for bit (the screen only skips candidates the float32 comparison would reject).
 */
const SCREEN_MARGIN = 1e-5;

/** Threshold on ge + gc below which no candidate of this node can reach its best loss (see SCREEN_MARGIN). */
function screenBar(bestLoss: number, rootGain: number): number {
  // The absolute 1e-30 covers float32 subnormals, whose rounding error is absolute rather than relative.
  return (bestLoss + rootGain - SCREEN_MARGIN * Math.abs(rootGain) - 1e-30) / (1 + SCREEN_MARGIN);
}

/** True when the scans below apply (alpha = 0, lambda > 0, max_delta_step = 0: the common case). */
function screenable(p: TrainParams): boolean {
  return p.max_delta_step === 0 && p.alpha === 0 && p.lambda > 0;
}

/**
 * Entries of one feature regrouped by open node: node nid's entries at [lo[nid], hi[nid]) in the column's order, with
 * their gradient, hessian and value gathered, so each node is scanned alone over contiguous arrays with its sums in
 * locals (scanRun). Scanning all nodes at once through per-node arrays took about twice the work per entry; the
 * regrouping pass costs less than the difference. Each node sees the same entries in the same order, so the sums,
 * candidates and best splits are the same.
 */
class NodeRuns {
  g = new Float64Array(0);
  h = new Float64Array(0);
  value = new Float64Array(0);
  lo = new Int32Array(16);
  hi = new Int32Array(16);
  private start = new Int32Array(16);
  /** This level's regrouping runs on the thread's scratch heap (HEAP_I32 / HEAP_F64, see gatherHeap). */
  private heap = false;
  private heapFor: SortedColumns | null = null;
  private posOff = 0;
  private gOff = 0;
  private hOff = 0;
  private hiOff = 0;
  private outOff = 0;

  /** Per level: each open node's run starts after the previous node's rows (its active rows bound its entries). */
  plan(
    qexpand: number[],
    position: Int32Array,
    numNodes: number,
    sc: SortedColumns,
    grad: Float64Array,
    hess: Float64Array,
  ): void {
    const n = position.length;
    if (this.lo.length < numNodes) {
      const cap = Math.max(numNodes, this.lo.length * 2);
      this.lo = new Int32Array(cap);
      this.start = new Int32Array(cap);
      this.heapFor = null;
    }
    const cap = this.lo.length;
    const nnz = sc.ptr[sc.cols];
    this.heap = nnz + n + cap <= heapLimit && nnz + 5 * n <= heapLimit;
    if (this.heap) {
      // Layout: HEAP_I32 = sorted row indices | positions | run ends; HEAP_F64 = sorted values | gradients |
      // hessians | gathered gradients | gathered hessians | gathered values.
      if (heapOwner !== sc) {
        HEAP_I32.set(sc.rowIdx, 0);
        HEAP_F64.set(sc.value, 0);
        heapOwner = sc;
      }
      if (this.heapFor !== sc) {
        this.posOff = nnz;
        this.hiOff = nnz + n;
        this.gOff = nnz;
        this.hOff = nnz + n;
        this.outOff = nnz + 2 * n;
        this.g = HEAP_F64.subarray(this.outOff, this.outOff + n);
        this.h = HEAP_F64.subarray(this.outOff + n, this.outOff + 2 * n);
        this.value = HEAP_F64.subarray(this.outOff + 2 * n, this.outOff + 3 * n);
        this.hi = HEAP_I32.subarray(this.hiOff, this.hiOff + cap);
        this.heapFor = sc;
      }
      HEAP_I32.set(position, this.posOff);
      HEAP_F64.set(grad, this.gOff);
      HEAP_F64.set(hess, this.hOff);
    } else {
      if (this.heapFor !== null || this.g.length < n) {
        this.g = new Float64Array(n);
        this.h = new Float64Array(n);
        this.value = new Float64Array(n);
        this.heapFor = null;
      }
      if (this.hi.length < cap || this.hi.buffer === HEAP_I32.buffer) this.hi = new Int32Array(cap);
    }
    const start = this.start;
    for (let i = 0; i < qexpand.length; i++) start[qexpand[i]] = 0;
    for (let r = 0; r < n; r++) if (position[r] >= 0) start[position[r]]++;
    let offset = 0;
    for (let i = 0; i < qexpand.length; i++) {
      const nid = qexpand[i];
      const count = start[nid];
      start[nid] = offset;
      offset += count;
    }
  }

  /** Regroups feature f's entries (rows in finished nodes dropped). */
  group(
    sc: SortedColumns,
    f: number,
    qexpand: number[],
    position: Int32Array,
    grad: Float64Array,
    hess: Float64Array,
  ): void {
    const { lo, hi, start } = this;
    for (let i = 0; i < qexpand.length; i++) lo[qexpand[i]] = hi[qexpand[i]] = start[qexpand[i]];
    const n = position.length;
    if (this.heap) gatherHeap(sc.ptr[f], sc.ptr[f + 1], this.posOff, this.gOff, this.hOff, this.hiOff, this.outOff, n);
    else
      gatherRuns(sc.rowIdx, sc.value, sc.ptr[f], sc.ptr[f + 1], position, grad, hess, hi, this.g, this.h, this.value);
  }
}

/**
 * Per-thread scratch for the regrouping pass. V8 re-checks a typed array passed as an argument (map, length, data
 * pointer) at every access inside a loop that also stores to typed arrays; module constants are folded into the
 * code. gatherHeap is gatherRuns over copies in these two arrays (sorted columns once per fit, positions, gradients
 * and hessians once per level): about a third less time per entry. Fits too large for it use gatherRuns.
 */
const HEAP_SIZE = 1 << 17;
const HEAP_I32 = new Int32Array(HEAP_SIZE);
const HEAP_F64 = new Float64Array(HEAP_SIZE);
/** The sorted columns currently copied at the start of the heap. */
let heapOwner: SortedColumns | null = null;
let heapLimit = HEAP_SIZE;

/** Runs fn with the scratch heap limited to `limit` entries (tests: 0 forces gatherRuns). */
export function withExactScratchLimit<T>(limit: number, fn: () => T): T {
  const saved = heapLimit;
  heapLimit = Math.min(limit, HEAP_SIZE);
  try {
    return fn();
  } finally {
    heapLimit = saved;
  }
}

function gatherHeap(
  from: number,
  end: number,
  posOff: number,
  gOff: number,
  hOff: number,
  hiOff: number,
  outOff: number,
  n: number,
): void {
  const oG = outOff,
    oH = outOff + n,
    oV = outOff + 2 * n;
  for (let k = from; k < end; k++) {
    const r = HEAP_I32[k];
    const nid = HEAP_I32[posOff + r];
    if (nid < 0) continue;
    const d = HEAP_I32[hiOff + nid]++;
    HEAP_F64[oG + d] = HEAP_F64[gOff + r];
    HEAP_F64[oH + d] = HEAP_F64[hOff + r];
    HEAP_F64[oV + d] = HEAP_F64[k];
  }
}

function gatherRuns(
  rowIdx: Int32Array,
  value: Float64Array,
  from: number,
  end: number,
  position: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  hi: Int32Array,
  outG: Float64Array,
  outH: Float64Array,
  outValue: Float64Array,
): void {
  for (let k = from; k < end; k++) {
    const r = rowIdx[k];
    const nid = position[r];
    if (nid < 0) continue;
    const d = hi[nid]++;
    outG[d] = grad[r];
    outH[d] = hess[r];
    outValue[d] = value[k];
  }
}

/**
 * The scan of one node over a contiguous run [lo, hi) of gathered gradients, hessians and values (NodeRuns), sums in
 * locals. The inner loops take typed arrays and numbers only and run one direction each: V8 keeps them tight.
 */
function scanRun(
  g: Float64Array,
  h: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  f: number,
  nid: number,
  backward: boolean,
  st: ScanState,
  best: BestSplits,
  p: TrainParams,
): void {
  const mcw = p.min_child_weight;
  const lambda = p.lambda;
  const nG = st.nodeG[nid],
    nH = st.nodeH[nid],
    root = st.rootGain[nid];
  let bar = screenBar(best.loss[nid], root);
  let eG = 0,
    eH = 0,
    last = 0;
  if (backward) {
    for (let k = hi - 1; k >= lo; k--) {
      const fv = v[k];
      if (eH >= mcw && eH !== 0 && fv !== last) {
        const cH = nH - eH;
        if (cH >= mcw) {
          const cG = nG - eG;
          const d1 = eH + lambda,
            d2 = cH + lambda;
          if (eG * eG * d2 + cG * cG * d1 >= bar * d1 * d2)
            bar = candidate(best, nid, f, true, eG, eH, cG, cH, lambda, root, fv, last, bar);
        }
      }
      eG += g[k];
      eH += h[k];
      last = fv;
    }
  } else {
    for (let k = lo; k < hi; k++) {
      const fv = v[k];
      if (eH >= mcw && eH !== 0 && fv !== last) {
        const cH = nH - eH;
        if (cH >= mcw) {
          const cG = nG - eG;
          const d1 = eH + lambda,
            d2 = cH + lambda;
          if (eG * eG * d2 + cG * cG * d1 >= bar * d1 * d2)
            bar = candidate(best, nid, f, false, eG, eH, cG, cH, lambda, root, fv, last, bar);
        }
      }
      eG += g[k];
      eH += h[k];
      last = fv;
    }
  }
  st.tG[nid] = eG;
  st.tH[nid] = eH;
  st.tLast[nid] = last;
}

/**
 * The root's backward scan when every row is active (one open node, no row sampled out): straight over the sorted
 * column, gradients read through the row index. Same entries, order and sums as scanRun.
 */
function scanRootBackward(
  rowIdx: Int32Array,
  value: Float64Array,
  grad: Float64Array,
  hess: Float64Array,
  lo: number,
  hi: number,
  f: number,
  nid: number,
  st: ScanState,
  best: BestSplits,
  p: TrainParams,
): void {
  const mcw = p.min_child_weight;
  const lambda = p.lambda;
  const nG = st.nodeG[nid],
    nH = st.nodeH[nid],
    root = st.rootGain[nid];
  let bar = screenBar(best.loss[nid], root);
  let eG = 0,
    eH = 0,
    last = 0;
  for (let k = hi - 1; k >= lo; k--) {
    const r = rowIdx[k];
    const fv = value[k];
    if (eH >= mcw && eH !== 0 && fv !== last) {
      const cH = nH - eH;
      if (cH >= mcw) {
        const cG = nG - eG;
        const d1 = eH + lambda,
          d2 = cH + lambda;
        if (eG * eG * d2 + cG * cG * d1 >= bar * d1 * d2)
          bar = candidate(best, nid, f, true, eG, eH, cG, cH, lambda, root, fv, last, bar);
      }
    }
    eG += grad[r];
    eH += hess[r];
    last = fv;
  }
  st.tG[nid] = eG;
  st.tH[nid] = eH;
  st.tLast[nid] = last;
}

/**
 * A candidate that passed the screen: the float32 loss as XGBoost's evaluator computes it, recorded when it can
 * replace the node's best; returns the (possibly raised) screen bar. eG/eH: the accumulated side, cG/cH: the other.
 */
function candidate(
  best: BestSplits,
  nid: number,
  f: number,
  backward: boolean,
  eG: number,
  eH: number,
  cG: number,
  cH: number,
  lambda: number,
  root: number,
  fv: number,
  last: number,
  bar: number,
): number {
  const f32 = Math.fround;
  const ge = f32(f32(eG * eG) / f32(eH + lambda));
  const gc = cH > 0 ? f32(f32(cG * cG) / f32(cH + lambda)) : 0;
  const loss = f32(f32(gc + ge) - root);
  if (!(loss >= best.loss[nid])) return bar;
  const thr = f32(f32(fv + last) * 0.5);
  if (backward) best.update(nid, loss, f, thr, true, cG, cH, eG, eH);
  else best.update(nid, loss, f, thr, false, eG, eH, cG, cH);
  return screenBar(best.loss[nid], root);
}

/** Same scan for max_delta_step != 0 (weight-clipped gain), not on the hot path. */
function enumerateGeneric(
  sc: SortedColumns,
  f: number,
  qexpand: number[],
  backward: boolean,
  position: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  st: ScanState,
  best: BestSplits,
  p: TrainParams,
): void {
  const { tG, tH, tLast, nodeG, nodeH, rootGain } = st;
  const mcw = p.min_child_weight;
  const f32 = Math.fround;
  for (const nid of qexpand) {
    tG[nid] = 0;
    tH[nid] = 0;
  }
  const step = backward ? -1 : 1;
  const kEnd = backward ? sc.ptr[f] - 1 : sc.ptr[f + 1];
  for (let k = backward ? sc.ptr[f + 1] - 1 : sc.ptr[f]; k !== kEnd; k += step) {
    const r = sc.rowIdx[k];
    const nid = position[r];
    if (nid < 0) continue;
    const fv = sc.value[k];
    if (tH[nid] !== 0 && fv !== tLast[nid] && tH[nid] >= mcw) {
      const eG = tG[nid];
      const eH = tH[nid];
      const cG = nodeG[nid] - eG;
      const cH = nodeH[nid] - eH;
      if (cH >= mcw) {
        const loss = f32(f32(calcGain(p, cG, cH) + calcGain(p, eG, eH)) - rootGain[nid]);
        const thr = f32(f32(fv + tLast[nid]) * 0.5);
        if (backward) best.update(nid, loss, f, thr, true, cG, cH, eG, eH);
        else best.update(nid, loss, f, thr, false, eG, eH, cG, cH);
      }
    }
    tG[nid] += grad[r];
    tH[nid] += hess[r];
    tLast[nid] = fv;
  }
  finishScan(f, qexpand, backward, st, best, p);
}

function finishScan(
  f: number,
  qexpand: number[],
  backward: boolean,
  st: ScanState,
  best: BestSplits,
  p: TrainParams,
): void {
  const { tG, tH, tLast, nodeG, nodeH, rootGain } = st;
  const mcw = p.min_child_weight;
  const f32 = Math.fround;
  // Every present value on one side, the missing ones on the other.
  for (let i = 0; i < qexpand.length; i++) {
    const nid = qexpand[i];
    const eG = tG[nid];
    const eH = tH[nid];
    const cG = nodeG[nid] - eG;
    const cH = nodeH[nid] - eH;
    if (eH >= mcw && cH >= mcw) {
      const last = tLast[nid];
      const gap = f32(Math.abs(last) + RT_EPS);
      const thr = f32(last + (backward ? -gap : gap));
      const loss = f32(f32(calcGain(p, cG, cH) + calcGain(p, eG, eH)) - rootGain[nid]);
      if (backward) best.update(nid, loss, f, thr, true, cG, cH, eG, eH);
      else best.update(nid, loss, f, thr, false, eG, eH, cG, cH);
    }
  }
}

function grow64(a: Float64Array, n: number): Float64Array {
  if (a.length >= n) return a;
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Scratch arrays of growExactTree, kept across the trees of one fit (fresh per-tree typed arrays were a measurable
 * share of the time). Every entry a tree reads is written for that tree first (per-node values when its node opens).
 */
export class ExactWorkspace {
  position = new Int32Array(0);
  moved = new Uint8Array(0);
  st: ScanState = {
    tG: new Float64Array(16),
    tH: new Float64Array(16),
    tLast: new Float64Array(16),
    nodeG: new Float64Array(16),
    nodeH: new Float64Array(16),
    rootGain: new Float64Array(16),
  };
  weight: Float64Array = new Float64Array(16);
  best = new BestSplits();
  runs = new NodeRuns();

  rows(n: number): void {
    if (this.position.length !== n) {
      this.position = new Int32Array(n);
      this.moved = new Uint8Array(n);
    }
  }
}

/**
 * Grows one tree. `grad`/`hess` are float32 gradient pairs; rows with `active[r] === 0` (subsampled out) take no part.
 * `features` is the sorted column subset allowed for this tree (colsample_bytree). `influential` receives the columns
 * whose candidate was some node's best (with repeats): growing the tree without any other column gives the same tree.
 */
export function growExactTree(
  sc: SortedColumns,
  grad: Float64Array,
  hess: Float64Array,
  active: Uint8Array,
  features: Int32Array,
  p: TrainParams,
  ws: ExactWorkspace = new ExactWorkspace(),
  influential?: number[],
): XGBTree {
  const tree = new TreeBuilder();
  const n = sc.rows;
  ws.rows(n);
  // position[r] = node the row sits in, -1 once its node is final or when the row is inactive.
  const position = ws.position;
  let allActive = true;
  for (let r = 0; r < n; r++) {
    position[r] = active[r] ? 0 : -1;
    if (!active[r]) allActive = false;
  }
  const eta = p.eta;
  const st = ws.st;
  const best = ws.best;

  const initNodes = (qexpand: number[]) => {
    const nn = tree.numNodes;
    st.tG = grow64(st.tG, nn);
    st.tH = grow64(st.tH, nn);
    st.tLast = grow64(st.tLast, nn);
    st.nodeG = grow64(st.nodeG, nn);
    st.nodeH = grow64(st.nodeH, nn);
    st.rootGain = grow64(st.rootGain, nn);
    ws.weight = grow64(ws.weight, nn);
    const weight = ws.weight;
    best.ensure(nn);
    const { nodeG, nodeH } = st;
    for (const nid of qexpand) {
      nodeG[nid] = 0;
      nodeH[nid] = 0;
    }
    for (let r = 0; r < n; r++) {
      const nid = position[r];
      if (nid < 0) continue;
      nodeG[nid] += grad[r];
      nodeH[nid] += hess[r];
    }
    for (const nid of qexpand) {
      weight[nid] = Math.fround(calcWeight(p, nodeG[nid], nodeH[nid]));
      st.rootGain[nid] = Math.fround(calcGain(p, nodeG[nid], nodeH[nid]));
      best.reset(nid);
    }
  };

  let qexpand = [0];
  initNodes(qexpand);
  const moved = ws.moved;
  for (let depth = 0; depth < p.max_depth && qexpand.length > 0; depth++) {
    // The root with every row active is scanned straight over the sorted columns; every other level (and a root
    // with rows sampled out) is regrouped by node first.
    const rootAll = depth === 0 && allActive;
    const screen = screenable(p);
    if (screen) ws.runs.plan(qexpand, position, tree.numNodes, sc, grad, hess);
    for (let i = 0; i < features.length; i++) {
      const f = features[i];
      const cnt = sc.ptr[f + 1] - sc.ptr[f];
      const indicator = cnt !== 0 && sc.value[sc.ptr[f]] === sc.value[sc.ptr[f + 1] - 1];
      const forward = sc.hasMissing[f] === 1 && !indicator;
      // A column with missing values is scanned twice: regrouping it pays off even at the root.
      const direct = rootAll && !forward;
      if (screen && !direct) ws.runs.group(sc, f, qexpand, position, grad, hess);
      if (forward) enumerate(sc, f, qexpand, false, position, grad, hess, st, best, p, ws.runs, false);
      enumerate(sc, f, qexpand, true, position, grad, hess, st, best, p, ws.runs, direct);
    }
    // Apply the best split of each node (or make it a leaf).
    for (const nid of qexpand) {
      if (best.loss[nid] > RT_EPS) {
        const lw = Math.fround(Math.fround(calcWeight(p, best.GL[nid], best.HL[nid])) * eta);
        const rw = Math.fround(Math.fround(calcWeight(p, best.GR[nid], best.HR[nid])) * eta);
        tree.expand(nid, best.feature[nid], best.threshold[nid], best.defaultLeft[nid] === 1, lw, rw);
      } else {
        tree.setLeaf(nid, Math.fround(ws.weight[nid] * eta));
      }
    }
    // Route rows: present values of the split feature by threshold, missing ones by default; rows of new leaves stop.
    const splitNodes = qexpand.filter((nid) => !tree.isLeaf(nid));
    const splitFeatures = new Set(splitNodes.map((nid) => tree.splitIndex[nid]));
    moved.fill(0);
    for (const f of splitFeatures) {
      for (let k = sc.ptr[f]; k < sc.ptr[f + 1]; k++) {
        const r = sc.rowIdx[k];
        const nid = position[r];
        if (nid < 0 || tree.left[nid] === -1 || tree.splitIndex[nid] !== f) continue;
        position[r] = sc.value[k] < tree.splitCond[nid] ? tree.left[nid] : tree.right[nid];
        moved[r] = 1;
      }
    }
    for (let r = 0; r < n; r++) {
      const nid = position[r];
      if (nid < 0 || moved[r]) continue;
      if (tree.left[nid] === -1) position[r] = -1;
      else position[r] = tree.defaultLeft[nid] ? tree.left[nid] : tree.right[nid];
    }
    qexpand = [];
    for (const nid of splitNodes) qexpand.push(tree.left[nid], tree.right[nid]);
    initNodes(qexpand);
  }
  // Nodes still open at max_depth become leaves.
  for (const nid of qexpand) tree.setLeaf(nid, Math.fround(ws.weight[nid] * eta));
  const nn = tree.numNodes;
  // A node's record (split or leaf loss_chg) comes from its best candidate, which exists when its loss is > 0 (the
  // first accepted candidate must beat the reset loss 0); every other column only lost to it.
  if (influential) for (let nid = 0; nid < nn; nid++) if (best.loss[nid] > 0) influential.push(best.feature[nid]);
  for (let nid = 0; nid < nn; nid++) {
    tree.lossChg[nid] = Math.fround(best.loss[nid]);
    tree.baseWeight[nid] = ws.weight[nid];
    tree.sumHess[nid] = Math.fround(st.nodeH[nid]);
  }
  tree.prune(p.gamma, eta);
  return tree.build();
}
