/**
 * Acquisition check: each series a prediction uses, compared with the bundle's training
 * distribution of acquisition parameters. A bundle without that distribution (schema 1, or registered from a table
 * with no stored series) is not checked, and the result says so instead of staying silent.
 */
import { checkAcquisition, type AcquisitionParameters } from "../../acquisition";
import type { LoadedBundle } from "../../ml/bundle";
import { seriesAcquisition } from "../series-acquisition";
import type { PredictInputs } from "./select-inputs";
import type { PredictDeps } from "./types";

export interface AcquisitionCheck {
  checked: boolean;
  /** Why not checked. */
  reason?: string;
  /** Where the training distribution came from. */
  trainingSource?: string;
  series: AcquisitionParameters[];
  /** One sentence per parameter outside the training distribution. */
  warnings: string[];
}

export async function checkInputAcquisition(
  deps: Pick<PredictDeps, "store">,
  lb: LoadedBundle,
  inputs: PredictInputs,
): Promise<AcquisitionCheck> {
  const series: AcquisitionParameters[] = [];
  for (const r of inputs.roles) {
    if (!("series" in r)) continue;
    const p = await seriesAcquisition(deps.store, r.series);
    if (p) series.push(p);
  }
  const d = lb.bundle.acquisition;
  if (!d)
    return {
      checked: false,
      reason: "the model bundle records no training acquisition parameters",
      series,
      warnings: [],
    };
  return {
    checked: true,
    trainingSource: d.source,
    series,
    warnings: series
      .flatMap((p) => checkAcquisition(d, p))
      .map((w) => `acquisition outside the training data: ${w.message}`),
  };
}
