/** IBSI tag suffixes of the aggregation methods (as in the IBSI reference CSVs). */
import type { MatrixAggregation, ZoneAggregation } from "./types";

const MATRIX_SUFFIX: Record<MatrixAggregation, string> = {
  "2D_avg": "2D_avg",
  "2D_smrg": "2D_comb",
  "2.5D_dmrg": "2_5D_avg",
  "2.5D_mrg": "2_5D_comb",
  "3D_avg": "3D_avg",
  "3D_mrg": "3D_comb",
};

/** IBSI tag suffix of a GLCM/GLRLM aggregation (as in the IBSI reference CSVs). */
export function matrixAggregationSuffix(a: MatrixAggregation): string {
  return MATRIX_SUFFIX[a];
}

export function zoneSuffix(a: ZoneAggregation): string {
  return a === "2D" ? "2D" : a === "2.5D" ? "2_5D" : "3D";
}
