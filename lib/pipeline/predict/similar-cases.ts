/**
 * Similar cases: per endpoint, the k nearest de-identified training cases the bundle carries
 * (only when the registering site allowed it); null when it carries none.
 */
import { similarCases, type LoadedBundle, type SimilarCase } from "../../ml/bundle";
import { ENDPOINTS } from "./score";

export const SIMILAR_CASES_K = 5;

export type SimilarCasesResult = Record<(typeof ENDPOINTS)[number], SimilarCase[]> | null;

export function findSimilarCases(
  lb: LoadedBundle,
  values: Record<string, number>,
  k = SIMILAR_CASES_K,
): SimilarCasesResult {
  if (!lb.bundle.trainingCases) return null;
  return Object.fromEntries(ENDPOINTS.map((ep) => [ep, similarCases(lb, values, ep, k) ?? []])) as SimilarCasesResult;
}
