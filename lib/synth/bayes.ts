/**
 * Bayes-optimal balanced accuracy for a binary endpoint given each patient's true probability p_i.
 *
 * Balanced accuracy = (TPR + TNR) / 2. With prevalence pi = E[p], a decision rule d(p) has expected
 *   TPR = E[p d] / pi,   TNR = E[(1 - p)(1 - d)] / (1 - pi),
 * so BA is maximised pointwise by d = 1 exactly when p / pi > (1 - p) / (1 - pi), i.e. when p > pi. The Bayes rate is
 *   BA* = ( E[p 1{p > pi}] / pi + E[(1 - p) 1{p <= pi}] / (1 - pi) ) / 2.
 * Applied to a large Monte Carlo sample of p from the generative model this is the population Bayes rate; applied to a
 * cohort's own p_i it is that cohort's expected Bayes rate (the realised labels then scatter around it).
 */
import { NacError } from "../errors/nac-error";

export interface BayesResult {
  /** Prevalence used as the decision threshold (mean of p). */
  threshold: number;
  balancedAccuracy: number;
  sensitivity: number;
  specificity: number;
}

export function bayesBalancedAccuracy(p: ArrayLike<number>): BayesResult {
  const n = p.length;
  if (n === 0) throw new NacError("DATA_INVALID", "Bayes balanced accuracy needs at least one probability");
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) throw new NacError("DATA_INVALID", `probability ${p[i]} at ${i} is not in [0, 1]`);
    sum += p[i];
  }
  const pi = sum / n;
  if (pi <= 0 || pi >= 1)
    throw new NacError("DATA_INVALID", "Bayes balanced accuracy is undefined for prevalence 0 or 1");
  let tp = 0;
  let tn = 0;
  for (let i = 0; i < n; i++) {
    if (p[i] > pi) tp += p[i];
    else tn += 1 - p[i];
  }
  const sensitivity = tp / sum;
  const specificity = tn / (n - sum);
  return { threshold: pi, balancedAccuracy: (sensitivity + specificity) / 2, sensitivity, specificity };
}

/** Realised balanced accuracy of the rule "predict 1 when p > threshold" against drawn labels. */
export function realisedBalancedAccuracy(p: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): number {
  let pos = 0,
    neg = 0,
    tp = 0,
    tn = 0;
  for (let i = 0; i < p.length; i++) {
    if (labels[i] === 1) {
      pos++;
      if (p[i] > threshold) tp++;
    } else {
      neg++;
      if (p[i] <= threshold) tn++;
    }
  }
  if (pos === 0 || neg === 0) throw new NacError("DATA_INVALID", "balanced accuracy needs both classes present");
  return (tp / pos + tn / neg) / 2;
}
