/**
 * Exact greedy tree growth as XGBoost 1.7's ColMaker (`tree_method: exact`, updater "grow_colmaker,prune"):
 * level by level, every feature's presorted non-missing values are scanned backward (missing go left) and, for
 * columns with missing values, forward (missing go right); a candidate threshold is the float32 midpoint of adjacent
 * distinct values, the final candidate puts every present value on one side. Ties keep the lowest feature index and
 * the first candidate found. A node splits when its loss change exceeds 1e-6; the pruner then applies gamma.
 */
import type { XGBTree } from "../model";
import type { TrainParams } from "./params";
import { calcGain, calcSplitGain, calcWeight } from "./split-math";
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

interface Best {
  loss: number;
  feature: number;
  threshold: number;
  defaultLeft: boolean;
  GL: number;
  HL: number;
  GR: number;
  HR: number;
}

function newBest(): Best {
  return { loss: 0, feature: 0, threshold: 0, defaultLeft: false, GL: 0, HL: 0, GR: 0, HR: 0 };
}

/** SplitEntry::NeedReplace: larger loss wins; on a tie the lower feature index wins, same feature keeps the first. */
function needReplace(b: Best, loss: number, feature: number): boolean {
  if (!Number.isFinite(loss)) return false;
  if (b.feature <= feature) return loss > b.loss;
  return !(b.loss > loss);
}

function update(b: Best, loss: number, f: number, thr: number, dl: boolean, GL: number, HL: number, GR: number, HR: number): void {
  if (!needReplace(b, loss, f)) return;
  b.loss = loss;
  b.feature = f;
  b.threshold = thr;
  b.defaultLeft = dl;
  b.GL = GL;
  b.HL = HL;
  b.GR = GR;
  b.HR = HR;
}

/**
 * Grows one tree. `grad`/`hess` are float32 gradient pairs; rows with `active[r] === 0` (subsampled out) take no part.
 * `features` is the sorted column subset allowed for this tree (colsample_bytree).
 */
export function growExactTree(
  sc: SortedColumns,
  grad: Float64Array,
  hess: Float64Array,
  active: Uint8Array,
  features: Int32Array,
  p: TrainParams,
): XGBTree {
  const tree = new TreeBuilder();
  const n = sc.rows;
  // position[r] = node the row sits in, -1 once its node is final or when the row is inactive.
  const position = new Int32Array(n);
  for (let r = 0; r < n; r++) position[r] = active[r] ? 0 : -1;
  const mcw = p.min_child_weight;
  const eta = p.eta;

  // Per-node statistics (indexed by node id, grown as the tree grows).
  let nodeG = new Float64Array(1);
  let nodeH = new Float64Array(1);
  let rootGain = new Float64Array(1);
  let weight = new Float64Array(1);
  const best: Best[] = [newBest()];

  const initNodes = (qexpand: number[]) => {
    const nn = tree.numNodes;
    if (nodeG.length < nn) {
      const grow = <T extends Float64Array>(a: T): T => {
        const b = new Float64Array(nn * 2) as T;
        b.set(a);
        return b;
      };
      nodeG = grow(nodeG);
      nodeH = grow(nodeH);
      rootGain = grow(rootGain);
      weight = grow(weight);
    }
    while (best.length < nn) best.push(newBest());
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
      rootGain[nid] = Math.fround(calcGain(p, nodeG[nid], nodeH[nid]));
      best[nid] = newBest();
    }
  };

  // Scratch per node for the column scans.
  let tG = new Float64Array(0);
  let tH = new Float64Array(0);
  let tLast = new Float64Array(0);

  const enumerate = (f: number, qexpand: number[], backward: boolean) => {
    for (const nid of qexpand) {
      tG[nid] = 0;
      tH[nid] = 0;
    }
    const start = sc.ptr[f];
    const end = sc.ptr[f + 1];
    const rowIdx = sc.rowIdx;
    const value = sc.value;
    const step = backward ? -1 : 1;
    const k0 = backward ? end - 1 : start;
    const kEnd = backward ? start - 1 : end;
    for (let k = k0; k !== kEnd; k += step) {
      const r = rowIdx[k];
      const nid = position[r];
      if (nid < 0) continue;
      const fv = value[k];
      const g = grad[r];
      const h = hess[r];
      if (tH[nid] === 0) {
        // First entry of this node (XGBoost tests sum_hess == 0 for "empty").
        tG[nid] += g;
        tH[nid] += h;
        tLast[nid] = fv;
        continue;
      }
      if (fv !== tLast[nid] && tH[nid] >= mcw) {
        const cG = nodeG[nid] - tG[nid];
        const cH = nodeH[nid] - tH[nid];
        if (cH >= mcw) {
          const thr = Math.fround(Math.fround(fv + tLast[nid]) * 0.5);
          if (backward) {
            const loss = Math.fround(calcSplitGain(p, cG, cH, tG[nid], tH[nid]) - rootGain[nid]);
            update(best[nid], loss, f, thr, true, cG, cH, tG[nid], tH[nid]);
          } else {
            const loss = Math.fround(calcSplitGain(p, tG[nid], tH[nid], cG, cH) - rootGain[nid]);
            update(best[nid], loss, f, thr, false, tG[nid], tH[nid], cG, cH);
          }
        }
      }
      tG[nid] += g;
      tH[nid] += h;
      tLast[nid] = fv;
    }
    // Every present value on one side, the missing ones on the other.
    for (const nid of qexpand) {
      const eG = tG[nid];
      const eH = tH[nid];
      const cG = nodeG[nid] - eG;
      const cH = nodeH[nid] - eH;
      if (eH >= mcw && cH >= mcw) {
        const last = tLast[nid];
        const gap = Math.fround(Math.abs(last) + RT_EPS);
        const thr = Math.fround(last + (backward ? -gap : gap));
        if (backward) {
          const loss = Math.fround(calcSplitGain(p, cG, cH, eG, eH) - rootGain[nid]);
          update(best[nid], loss, f, thr, true, cG, cH, eG, eH);
        } else {
          const loss = Math.fround(calcSplitGain(p, eG, eH, cG, cH) - rootGain[nid]);
          update(best[nid], loss, f, thr, false, eG, eH, cG, cH);
        }
      }
    }
  };

  let qexpand = [0];
  initNodes(qexpand);
  for (let depth = 0; depth < p.max_depth && qexpand.length > 0; depth++) {
    const nn = tree.numNodes;
    if (tG.length < nn) {
      tG = new Float64Array(nn * 2);
      tH = new Float64Array(nn * 2);
      tLast = new Float64Array(nn * 2);
    }
    for (let i = 0; i < features.length; i++) {
      const f = features[i];
      const cnt = sc.ptr[f + 1] - sc.ptr[f];
      const indicator = cnt !== 0 && sc.value[sc.ptr[f]] === sc.value[sc.ptr[f + 1] - 1];
      if (sc.hasMissing[f] && !indicator) enumerate(f, qexpand, false);
      enumerate(f, qexpand, true);
    }
    // Apply the best split of each node (or make it a leaf).
    for (const nid of qexpand) {
      const b = best[nid];
      if (b.loss > RT_EPS) {
        const lw = Math.fround(Math.fround(calcWeight(p, b.GL, b.HL)) * eta);
        const rw = Math.fround(Math.fround(calcWeight(p, b.GR, b.HR)) * eta);
        tree.expand(nid, b.feature, b.threshold, b.defaultLeft, lw, rw);
      } else {
        tree.setLeaf(nid, Math.fround(weight[nid] * eta));
      }
    }
    // Route rows to the children; rows in nodes that became leaves are done.
    for (let r = 0; r < n; r++) {
      const nid = position[r];
      if (nid < 0) continue;
      if (tree.isLeaf(nid)) {
        position[r] = -1;
        continue;
      }
    }
    const splitNodes = qexpand.filter((nid) => !tree.isLeaf(nid));
    const splitFeatures = new Set(splitNodes.map((nid) => tree.splitIndex[nid]));
    const moved = new Uint8Array(n);
    for (const f of splitFeatures) {
      for (let k = sc.ptr[f]; k < sc.ptr[f + 1]; k++) {
        const r = sc.rowIdx[k];
        const nid = position[r];
        if (nid < 0 || moved[r] || tree.isLeaf(nid) || tree.splitIndex[nid] !== f) continue;
        position[r] = sc.value[k] < tree.splitCond[nid] ? tree.left[nid] : tree.right[nid];
        moved[r] = 1;
      }
    }
    for (let r = 0; r < n; r++) {
      const nid = position[r];
      if (nid < 0 || moved[r]) continue;
      // Missing value for the split feature: default direction.
      position[r] = tree.defaultLeft[nid] ? tree.left[nid] : tree.right[nid];
    }
    qexpand = [];
    for (const nid of splitNodes) qexpand.push(tree.left[nid], tree.right[nid]);
    initNodes(qexpand);
  }
  // Nodes still open at max_depth become leaves.
  for (const nid of qexpand) tree.setLeaf(nid, Math.fround(weight[nid] * eta));
  const nn = tree.numNodes;
  for (let nid = 0; nid < nn; nid++) {
    tree.lossChg[nid] = Math.fround(best[nid].loss);
    tree.baseWeight[nid] = weight[nid];
    tree.sumHess[nid] = Math.fround(nodeH[nid]);
  }
  tree.prune(p.gamma, eta);
  return tree.build();
}
