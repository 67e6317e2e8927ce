/** Pooling of the responses of a filter's orientations (rotation invariance), one response at a time. */
export type Pooling = "average" | "max" | "min";

export class Pooler {
  private acc: Float64Array | null = null;
  private count = 0;
  constructor(private readonly how: Pooling) {}

  add(x: Float64Array): void {
    this.count++;
    const out = this.acc;
    if (!out) {
      this.acc = Float64Array.from(x);
      return;
    }
    if (this.how === "max")
      for (let i = 0; i < out.length; i++) {
        if (x[i] > out[i]) out[i] = x[i];
      }
    else if (this.how === "min")
      for (let i = 0; i < out.length; i++) {
        if (x[i] < out[i]) out[i] = x[i];
      }
    else for (let i = 0; i < out.length; i++) out[i] += x[i];
  }

  result(): Float64Array {
    if (!this.acc) throw new RangeError("nothing to pool");
    if (this.how === "average") for (let i = 0; i < this.acc.length; i++) this.acc[i] /= this.count;
    return this.acc;
  }
}
