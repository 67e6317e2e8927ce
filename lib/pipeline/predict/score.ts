/**
 * Both endpoints' probabilities from a feature row: the final model's probability, the spread across partition
 * models, the top TreeSHAP contributions in words, and the features outside the training range.
 */
import type { LoadedBundle } from "../../ml/bundle";
import { predictWithBundle } from "../../ml/bundle";
import type { MissingFeature } from "../case-features";
import type { Endpoints } from "./types";
import { factContributionWords, featureWords } from "./words";

export const TOP_CONTRIBUTIONS = 8;
export const ENDPOINTS = ["pcr", "response"] as const;

/** Why a feature has no value: its own missing entry, or its group's (`T2.*`, `CT.peri.original_*`). */
export function missingReason(missing: readonly MissingFeature[], feature: string): string | undefined {
  return (
    missing.find((m) => m.name === feature) ??
    missing.find((m) => m.name.endsWith("*") && feature.startsWith(m.name.slice(0, -1)))
  )?.reason;
}

export function scoreEndpoints(
  lb: LoadedBundle,
  values: Record<string, number>,
  missing: readonly MissingFeature[] = [],
): { endpoints: Endpoints; warnings: string[] } {
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
      .map((c) => {
        // The model imputes a missing input with the training median: said as such, never as the patient's value.
        const imputed = c.value === null ? (missingReason(missing, c.feature) ?? "no value") : undefined;
        return {
          feature: c.feature,
          words: factContributionWords(c.feature, c.value, c.contribution, imputed),
          value: c.contribution,
          input: c.value,
          ...(imputed ? { imputed } : {}),
        };
      });
    endpoints[ep] = {
      probability: p.probability,
      spread: { mean, sd: p.spread.sd, min: p.spread.min, max: p.spread.max, n },
      contributions,
      calibration: p.calibration?.method ?? null,
      uncalibratedProbability: p.uncalibratedProbability,
    };
    for (const o of p.outOfRange)
      if (o.usedByFinalModel && o.kind !== "missing")
        outOfRange.add(
          `${featureWords(o.feature)} = ${o.value!.toPrecision(4)} is ${o.kind} the training range [${o.trainingMin.toPrecision(4)}, ${o.trainingMax.toPrecision(4)}]`,
        );
  }
  return { endpoints, warnings: [...outOfRange].map((w) => `feature outside the training range: ${w}`) };
}
