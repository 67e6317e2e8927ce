/**
 * Both endpoints' probabilities from a feature row: the final model's probability, the spread across partition
 * models, the top TreeSHAP contributions in words, and the features outside the training range.
 */
import type { LoadedBundle } from "../../ml/bundle";
import { predictWithBundle } from "../../ml/bundle";
import type { Endpoints } from "./types";
import { contributionWords, featureWords } from "./words";

export const TOP_CONTRIBUTIONS = 8;
export const ENDPOINTS = ["pcr", "response"] as const;

export function scoreEndpoints(lb: LoadedBundle, values: Record<string, number>): { endpoints: Endpoints; warnings: string[] } {
  const endpoints = {} as Endpoints;
  const outOfRange = new Set<string>();
  for (const ep of ENDPOINTS) {
    const p = predictWithBundle(lb, values, ep);
    const n = p.partitionProbabilities.length;
    const mean = p.partitionProbabilities.reduce((a, b) => a + b, 0) / n;
    const contributions = (p.contributions?.features ?? [])
      .slice()
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.feature < b.feature ? -1 : 1))
      .slice(0, TOP_CONTRIBUTIONS)
      .map((c) => ({ feature: c.feature, words: contributionWords(c.feature, c.contribution), value: c.contribution }));
    endpoints[ep] = { probability: p.probability, spread: { mean, sd: p.spread.sd, min: p.spread.min, max: p.spread.max, n }, contributions };
    for (const o of p.outOfRange) if (o.usedByFinalModel && o.kind !== "missing") outOfRange.add(`${featureWords(o.feature)} = ${o.value!.toPrecision(4)} is ${o.kind} the training range [${o.trainingMin.toPrecision(4)}, ${o.trainingMax.toPrecision(4)}]`);
  }
  return { endpoints, warnings: [...outOfRange].map((w) => `feature outside the training range: ${w}`) };
}
