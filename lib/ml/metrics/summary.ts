import { NacError } from "../../errors";
import { METRIC_NAMES, type BinaryMetrics, type MetricName } from "./evaluate";

export interface MeanSd {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  sd: number;
  min: number;
  max: number;
  /** Partitions that had a value (calibration slope can be undefined on a separated partition). */
  n: number;
}

export function meanSd(values: ArrayLike<number>): MeanSd {
  const n = values.length;
  if (n === 0) throw new NacError("DATA_INVALID", "meanSd: no values");
  let s = 0,
    min = Infinity,
    max = -Infinity;
  for (let i = 0; i < n; i++) {
    s += values[i];
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min, max, n };
}

export type MetricsSummary = Record<MetricName, MeanSd | null>;

/** Mean ± SD of each metric across partitions; a metric with no defined value in any partition is null. */
export function summariseMetrics(perPartition: BinaryMetrics[]): MetricsSummary {
  const out = {} as MetricsSummary;
  for (const name of METRIC_NAMES) {
    const vals = perPartition.map((m) => m[name]).filter((v): v is number => v !== null);
    out[name] = vals.length ? meanSd(vals) : null;
  }
  return out;
}

export interface SelectionFrequency {
  feature: string;
  /** Partitions whose final selection contains the feature. */
  count: number;
  frequency: number;
}

/** How often each feature was selected across partitions, most frequent first (ties by name). */
export function selectionFrequency(selections: string[][]): SelectionFrequency[] {
  const counts = new Map<string, number>();
  for (const sel of selections) for (const f of new Set(sel)) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts.entries()]
    .map(([feature, count]) => ({ feature, count, frequency: count / selections.length }))
    .sort((a, b) => b.count - a.count || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
}
