/**
 * Growable tree in XGBoost's node layout (RegTree): children allocated in pairs in expansion order, pruned nodes
 * kept as deleted (XGBoost's marker), so node ids and leaf indices equal XGBoost's.
 */
import { ROOT_PARENT, type XGBTree } from "../model";

export const DELETED_SPLIT_INDEX = 2147483647;

export class TreeBuilder {
  left: number[] = [-1];
  right: number[] = [-1];
  parent: number[] = [ROOT_PARENT];
  splitIndex: number[] = [0];
  splitCond: number[] = [0];
  defaultLeft: number[] = [0];
  baseWeight: number[] = [0];
  lossChg: number[] = [0];
  sumHess: number[] = [0];
  deleted: boolean[] = [false];

  get numNodes(): number {
    return this.left.length;
  }

  isLeaf(nid: number): boolean {
    return this.left[nid] === -1;
  }

  private alloc(parent: number): number {
    const id = this.left.length;
    this.left.push(-1);
    this.right.push(-1);
    this.parent.push(parent);
    this.splitIndex.push(0);
    this.splitCond.push(0);
    this.defaultLeft.push(0);
    this.baseWeight.push(0);
    this.lossChg.push(0);
    this.sumHess.push(0);
    this.deleted.push(false);
    return id;
  }

  /** Turns leaf `nid` into a split with two fresh leaves (left allocated first, as RegTree::ExpandNode). */
  expand(
    nid: number,
    feature: number,
    threshold: number,
    defaultLeft: boolean,
    leftValue: number,
    rightValue: number,
  ): [number, number] {
    const l = this.alloc(nid);
    const r = this.alloc(nid);
    this.left[nid] = l;
    this.right[nid] = r;
    this.splitIndex[nid] = feature;
    this.splitCond[nid] = Math.fround(threshold);
    this.defaultLeft[nid] = defaultLeft ? 1 : 0;
    this.splitCond[l] = Math.fround(leftValue);
    this.splitCond[r] = Math.fround(rightValue);
    return [l, r];
  }

  setLeaf(nid: number, value: number): void {
    this.left[nid] = -1;
    this.right[nid] = -1;
    this.splitIndex[nid] = 0;
    this.defaultLeft[nid] = 0;
    this.splitCond[nid] = Math.fround(value);
  }

  depth(nid: number): number {
    let d = 0;
    while (this.parent[nid] !== ROOT_PARENT) {
      nid = this.parent[nid];
      d++;
    }
    return d;
  }

  /** XGBoost's TreePruner (updater_prune.cc): collapse splits whose two children are leaves and whose loss < gamma. */
  prune(gamma: number, eta: number): void {
    const tryPrune = (nid: number): void => {
      while (this.parent[nid] !== ROOT_PARENT) {
        const pid = this.parent[nid];
        const l = this.left[pid];
        const r = this.right[pid];
        if (!(this.isLeaf(l) && this.isLeaf(r)) || !(this.lossChg[pid] < gamma)) return;
        for (const c of [l, r]) {
          this.deleted[c] = true;
          this.splitIndex[c] = DELETED_SPLIT_INDEX;
          this.defaultLeft[c] = 1;
        }
        this.setLeaf(pid, Math.fround(eta * this.baseWeight[pid]));
        nid = pid;
      }
    };
    const n = this.numNodes;
    for (let nid = 0; nid < n; nid++) if (this.isLeaf(nid) && !this.deleted[nid]) tryPrune(nid);
  }

  build(): XGBTree {
    return {
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      parent: Int32Array.from(this.parent),
      splitIndex: Int32Array.from(this.splitIndex),
      splitCondition: Float32Array.from(this.splitCond),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      baseWeight: Float32Array.from(this.baseWeight),
      lossChange: Float32Array.from(this.lossChg),
      sumHessian: Float32Array.from(this.sumHess),
      numDeleted: this.deleted.filter(Boolean).length,
    };
  }
}
