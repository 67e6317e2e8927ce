/**
 * Collects feature values and explicit failures. A feature is either a finite number or a named failure with a
 * reason; a non-finite value is turned into a failure here so that no NaN ever leaves the engine.
 */
export class FeatureSet {
  readonly values: Record<string, number> = {};
  readonly failures: Record<string, string> = {};

  set(name: string, value: number): void {
    if (Number.isFinite(value)) {
      this.values[name] = value;
      delete this.failures[name];
    } else {
      this.fail(name, `computation gave a non-finite value (${value})`);
    }
  }

  /** Set `value` unless `reason` says why it cannot be computed. */
  setOrFail(name: string, value: number, reason: string | null): void {
    if (reason) this.fail(name, reason);
    else this.set(name, value);
  }

  fail(name: string, reason: string): void {
    delete this.values[name];
    this.failures[name] = reason;
  }

  merge(other: { values: Record<string, number>; failures: Record<string, string> }): void {
    for (const [k, v] of Object.entries(other.values)) this.set(k, v);
    for (const [k, r] of Object.entries(other.failures)) this.fail(k, r);
  }
}
