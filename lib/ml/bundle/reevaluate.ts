import { NacError } from "../../errors";
import { selectColumns, selectRows, type Matrix } from "../matrix";
import { evaluateBinary, type BinaryMetrics } from "../metrics/evaluate";
import type { LoadedBundle } from "./load-bundle";
import { bundlePipelineProba } from "./predict-with-bundle";

export interface ReevaluationData {
  /** Raw features with columns named by featureNames (any order, extra columns ignored). */
  X: Matrix;
  featureNames: string[];
  y: Uint8Array;
  /** When given (and the bundle recorded ids), test rows are found by id; otherwise by stored row index. */
  rowIds?: string[];
}

/**
 * Re-scores each partition model of an endpoint on its recorded test rows of the original data set, with the
 * endpoint's own threshold and CI level: reproduces the bundle's validation metrics when data and models match.
 */
export function reevaluateBundle(lb: LoadedBundle, endpoint: string, d: ReevaluationData): BinaryMetrics[] {
  const e = lb.bundle.endpoints[endpoint];
  if (!e) throw new NacError("NOT_FOUND", `bundle has no endpoint "${endpoint}"`);
  const colOf = new Map(d.featureNames.map((f, i) => [f, i]));
  const cols = e.featureNames.map((f) => {
    const c = colOf.get(f);
    if (c === undefined) throw new NacError("DATA_INVALID", `re-evaluation data lacks feature ${f}`);
    return c;
  });
  const X = selectColumns(d.X, cols);
  const rowOf = d.rowIds ? new Map(d.rowIds.map((id, i) => [id, i])) : null;
  return e.partitions.map((p, i) => {
    const rows =
      rowOf && p.testRowIds
        ? p.testRowIds.map((id) => {
            const r = rowOf.get(id);
            if (r === undefined) throw new NacError("DATA_INVALID", `re-evaluation data lacks row ${id}`);
            return r;
          })
        : p.testRows;
    for (const r of rows)
      if (r >= X.rows) throw new NacError("DATA_INVALID", `test row ${r} beyond the ${X.rows} data rows`);
    const prob = bundlePipelineProba(
      lb.models[endpoint].partitions[i],
      p.pipeline,
      e.featureNames,
      selectRows(X, rows),
    );
    return evaluateBinary(
      Uint8Array.from(rows, (r) => d.y[r]),
      prob,
      e.config.threshold,
      e.config.ciLevel,
    );
  });
}
