/**
 * XGBoost 1.7's weighted quantile sketch (src/common/quantile.h: WQSummary, WQuantileSketch) and the cut pipeline of
 * HostSketchContainer for one feature, so `hist` bins equal XGBoost's for any number of rows: values pushed in row
 * order into a queue of 2 x limit_size, summaries merged up a level tree (SetCombine, SetPrune), then pruned to
 * min(n, 8 x max_bin) and to max_bin + 1 entries. Ranks are float (RType = float) as in XGBoost.
 */

interface Entry {
  rmin: number;
  rmax: number;
  wmin: number;
  value: number;
}

const f = Math.fround;
const K_FACTOR = 8;

function makeSummary(queue: { v: number; w: number }[]): Entry[] {
  const q = queue.slice().sort((a, b) => a.v - b.v);
  const out: Entry[] = [];
  let wsum = 0;
  for (let i = 0; i < q.length;) {
    let j = i + 1;
    let w = q[i].w;
    while (j < q.length && q[j].v === q[i].v) {
      w = f(w + q[j].w);
      j++;
    }
    out.push({ rmin: wsum, rmax: f(wsum + w), wmin: w, value: q[i].v });
    wsum = f(wsum + w);
    i = j;
  }
  return out;
}

const rminNext = (e: Entry) => f(e.rmin + e.wmin);
const rmaxPrev = (e: Entry) => f(e.rmax - e.wmin);

/** WQSummary::SetPrune. */
export function setPrune(src: Entry[], maxSize: number): Entry[] {
  if (src.length <= maxSize) return src.map((e) => ({ ...e }));
  const begin = src[0].rmax;
  const range = f(src[src.length - 1].rmin - src[0].rmax);
  const n = maxSize - 1;
  const out: Entry[] = [{ ...src[0] }];
  let i = 1;
  let lastIdx = 0;
  for (let k = 1; k < n; k++) {
    const dx2 = f(2 * f(f(f(k * range) / n) + begin));
    while (i < src.length - 1 && dx2 >= f(src[i + 1].rmax + src[i + 1].rmin)) i++;
    if (i === src.length - 1) break;
    if (dx2 < f(rminNext(src[i]) + rmaxPrev(src[i + 1]))) {
      if (i !== lastIdx) {
        out.push({ ...src[i] });
        lastIdx = i;
      }
    } else if (i + 1 !== lastIdx) {
      out.push({ ...src[i + 1] });
      lastIdx = i + 1;
    }
  }
  if (lastIdx !== src.length - 1) out.push({ ...src[src.length - 1] });
  return out;
}

/** WQSummary::SetCombine followed by FixError. */
function setCombine(sa: Entry[], sb: Entry[]): Entry[] {
  if (sa.length === 0) return sb.map((e) => ({ ...e }));
  if (sb.length === 0) return sa.map((e) => ({ ...e }));
  const out: Entry[] = [];
  let a = 0;
  let b = 0;
  let aprev = 0;
  let bprev = 0;
  while (a < sa.length && b < sb.length) {
    const A = sa[a];
    const B = sb[b];
    if (A.value === B.value) {
      out.push({ rmin: f(A.rmin + B.rmin), rmax: f(A.rmax + B.rmax), wmin: f(A.wmin + B.wmin), value: A.value });
      aprev = rminNext(A);
      bprev = rminNext(B);
      a++;
      b++;
    } else if (A.value < B.value) {
      out.push({ rmin: f(A.rmin + bprev), rmax: f(A.rmax + rmaxPrev(B)), wmin: A.wmin, value: A.value });
      aprev = rminNext(A);
      a++;
    } else {
      out.push({ rmin: f(B.rmin + aprev), rmax: f(B.rmax + rmaxPrev(A)), wmin: B.wmin, value: B.value });
      bprev = rminNext(B);
      b++;
    }
  }
  if (a < sa.length) {
    const brmax = sb[sb.length - 1].rmax;
    for (; a < sa.length; a++)
      out.push({ rmin: f(sa[a].rmin + bprev), rmax: f(sa[a].rmax + brmax), wmin: sa[a].wmin, value: sa[a].value });
  }
  if (b < sb.length) {
    const armax = sa[sa.length - 1].rmax;
    for (; b < sb.length; b++)
      out.push({ rmin: f(sb[b].rmin + aprev), rmax: f(sb[b].rmax + armax), wmin: sb[b].wmin, value: sb[b].value });
  }
  // FixError: keep rmin/rmax monotone and rmax >= rmin + wmin.
  let prevRmin = 0;
  let prevRmax = 0;
  for (const e of out) {
    if (e.rmin < prevRmin) e.rmin = prevRmin;
    else prevRmin = e.rmin;
    if (e.rmax < prevRmax) e.rmax = prevRmax;
    const rn = rminNext(e);
    if (e.rmax < rn) e.rmax = rn;
    prevRmax = e.rmax;
  }
  return out;
}

/** WQuantileSketch<float, float> for one column of `maxn` values. */
class WQuantileSketch {
  readonly limit: number;
  private queue: { v: number; w: number }[] = [];
  private qcap = 1;
  private level: Entry[][] = [];

  constructor(maxn: number, eps: number) {
    // LimitSizeLevel
    let nlevel = 1;
    let limit: number;
    for (;;) {
      limit = Math.min(maxn, Math.ceil(nlevel / eps) + 1);
      if (2 ** nlevel * limit >= maxn) break;
      nlevel++;
    }
    this.limit = limit;
  }

  push(x: number, w = 1): void {
    if (this.queue.length === this.qcap) {
      if (this.qcap === 1) this.qcap = this.limit * 2;
      else {
        const temp = makeSummary(this.queue);
        this.queue = [];
        this.pushTemp(temp);
      }
    }
    const q = this.queue;
    if (q.length === 0 || q[q.length - 1].v !== x) q.push({ v: x, w });
    else q[q.length - 1].w = f(q[q.length - 1].w + w);
  }

  private initLevel(n: number): void {
    while (this.level.length < n) this.level.push([]);
  }

  private pushTemp(tempIn: Entry[]): void {
    let temp = tempIn;
    for (let l = 1; ; l++) {
      this.initLevel(l + 1);
      if (this.level[l].length === 0) {
        this.level[l] = setPrune(temp, this.limit);
        break;
      }
      this.level[0] = setPrune(temp, this.limit);
      temp = setCombine(this.level[0], this.level[l]);
      if (temp.length > this.limit) this.level[l] = [];
      else {
        this.level[l] = temp;
        break;
      }
    }
  }

  getSummary(): Entry[] {
    let out = makeSummary(this.queue);
    if (this.level.length !== 0) {
      this.level[0] = setPrune(out, this.limit);
      for (let l = 1; l < this.level.length; l++) {
        if (this.level[l].length === 0) continue;
        if (this.level[0].length === 0) this.level[0] = this.level[l].map((e) => ({ ...e }));
        else {
          out = setCombine(this.level[0], this.level[l]);
          this.level[0] = setPrune(out, this.limit);
        }
      }
      return this.level[0].map((e) => ({ ...e }));
    }
    return out.length > this.limit ? setPrune(out, this.limit) : out;
  }
}

/**
 * Summary values XGBoost derives cut points from, for one feature's non-missing float32 values in row order
 * (HostSketchContainer: sketch, AllReduce prune to min(n, 8 x max_bin), MakeCuts prune to max_bin + 1).
 * Also returns the number of cuts to take (AddCutPoint's max_num_bins).
 */
export function sketchSummary(values: ArrayLike<number>, maxBin: number): { summary: number[]; maxNumBins: number } {
  const n = values.length;
  if (n === 0) return { summary: [], maxNumBins: 0 };
  const sketch = new WQuantileSketch(n, 1 / (maxBin * K_FACTOR));
  for (let i = 0; i < n; i++) sketch.push(values[i]);
  const intermediate = Math.min(n, maxBin * K_FACTOR);
  const reduced = setPrune(sketch.getSummary(), intermediate);
  const maxNumBins = Math.min(intermediate, maxBin);
  return { summary: setPrune(reduced, maxNumBins + 1).map((e) => e.value), maxNumBins };
}
