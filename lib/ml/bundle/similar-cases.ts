/**
 * Similar cases: the k training patients nearest to a patient in the space of the final model's
 * selected features, standardised as the model sees them (training-median imputation, z-scores of the final
 * preprocessor), Euclidean distance. De-identified by construction: the bundle's training cases carry feature values
 * and outcomes only (no name, no identifier, canonical row order), and so does every result.
 */
import { NacError } from "../../errors";
import type { Matrix } from "../matrix";
import type { LoadedBundle } from "./load-bundle";
import type { FeatureRow } from "./predict-with-bundle";
import type { BundleEndpoint, TrainingCases } from "./schema";

export interface SimilarCase {
  /** 1 = nearest. */
  rank: number;
  /** Euclidean distance in the standardised selected-feature space (0 = identical). */
  distance: number;
  /** Every endpoint's outcome of that training patient (1 = positive class). */
  outcomes: Record<string, 0 | 1>;
  /** The patient's values of the endpoint's selected features (null = missing, imputed for the distance). */
  features: { feature: string; value: number | null }[];
}

/**
 * De-identified training cases for a bundle: the union of `features` (the final models' selected features) of every
 * row, with every endpoint's outcome; rows sorted by their values so that their order says nothing about the table's.
 */
export function trainingCasesOf(
  X: Matrix,
  featureNames: string[],
  outcomes: Record<string, ArrayLike<number>>,
  features: string[],
): TrainingCases {
  const cols = [...new Set(features)].map((f) => {
    const c = featureNames.indexOf(f);
    if (c < 0) throw new NacError("DATA_INVALID", `training cases: no column ${f}`);
    return c;
  });
  for (const [ep, y] of Object.entries(outcomes))
    if (y.length !== X.rows)
      throw new NacError("DATA_INVALID", `training cases: ${X.rows} rows but ${y.length} ${ep} outcomes`);
  // An outcome other than 0/1 (e.g. -1, not recorded) is left out of that row; a row with no outcome is left out.
  const rows = Array.from({ length: X.rows }, (_, r) => ({
    values: cols.map((c) => (Number.isNaN(X.data[r * X.cols + c]) ? null : X.data[r * X.cols + c])),
    outcomes: Object.fromEntries(
      Object.entries(outcomes)
        .filter(([, y]) => y[r] === 0 || y[r] === 1)
        .map(([ep, y]) => [ep, y[r] as 0 | 1]),
    ) as Record<string, 0 | 1>,
  })).filter((row) => Object.keys(row.outcomes).length > 0);
  const key = (v: number | null) => (v === null ? -Infinity : v);
  rows.sort((a, b) => {
    for (let j = 0; j < a.values.length; j++)
      if (key(a.values[j]) !== key(b.values[j])) return key(a.values[j]) - key(b.values[j]);
    return JSON.stringify(a.outcomes) < JSON.stringify(b.outcomes) ? -1 : 1;
  });
  return { features: cols.map((c) => featureNames[c]), rows };
}

function standardiser(e: BundleEndpoint): (f: string, v: number | null | undefined) => number {
  const pp = e.final.preprocessor;
  const at = new Map(e.featureNames.map((f, i) => [f, i]));
  return (f, v) => {
    const i = at.get(f)!;
    const x = v === null || v === undefined || Number.isNaN(v) ? pp.medians[i] : v;
    return (x - pp.means[i]) / pp.scales[i];
  };
}

/** The k training cases nearest to `row` for an endpoint; null when the bundle carries no training cases. */
export function similarCases(lb: LoadedBundle, row: FeatureRow, endpoint: string, k = 5): SimilarCase[] | null {
  const cases = lb.bundle.trainingCases;
  if (!cases) return null;
  const e = lb.bundle.endpoints[endpoint];
  if (!e) throw new NacError("NOT_FOUND", `bundle has no endpoint "${endpoint}"`);
  if (!Number.isInteger(k) || k < 1) throw new NacError("BAD_REQUEST", `k must be a positive integer, got ${k}`);
  const z = standardiser(e);
  const selected = e.final.selectedFeatures;
  const pos = selected.map((f) => {
    const j = cases.features.indexOf(f);
    if (j < 0) throw new NacError("MODEL_INVALID", `the bundle's training cases lack the selected feature ${f}`);
    return j;
  });
  const target = selected.map((f) => z(f, row[f]));
  const scored = cases.rows.map((c, i) => {
    let d = 0;
    pos.forEach((j, s) => (d += (z(selected[s], c.values[j]) - target[s]) ** 2));
    return { i, d: Math.sqrt(d) };
  });
  scored.sort((a, b) => a.d - b.d || a.i - b.i);
  return scored.slice(0, k).map(({ i, d }, r) => ({
    rank: r + 1,
    distance: d,
    outcomes: { ...cases.rows[i].outcomes },
    features: pos.map((j, s) => ({ feature: selected[s], value: cases.rows[i].values[j] })),
  }));
}
