import { makeMatrix, type Matrix } from "../../matrix";
import { mulberry32, normal, shuffleInPlace } from "../../../random/prng";

export interface PlantedSignalOptions {
  rows: number;
  features: number;
  /** Informative features: columns 0..informative−1. */
  informative: number;
  /** Class-mean difference on each informative feature, in SD units. */
  shift: number;
  /** Fraction of positives (exact count = round(rows · fraction)). */
  positiveFraction?: number;
  seed: number;
}

export interface PlantedSignalData {
  X: Matrix;
  y: Uint8Array;
  featureNames: string[];
  /**
   * Bayes-optimal balanced accuracy: the classes are N(±Δ/2, I), so the optimal rule for balanced accuracy is the
   * equal-prior LDA boundary and both class recalls equal Φ(‖Δ‖/2) with ‖Δ‖ = shift · √informative.
   */
  bayesBalancedAccuracy: number;
}

/** Standard normal CDF through the Numerical Recipes erfc approximation (relative error < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r / 2 : r / 2;
}

/** Two Gaussian classes separated along a few informative features among many pure-noise features. */
export function plantedSignal(o: PlantedSignalOptions): PlantedSignalData {
  const rng = mulberry32(o.seed);
  const X = makeMatrix(o.rows, o.features);
  const nPos = Math.round(o.rows * (o.positiveFraction ?? 0.5));
  const labels = Array.from({ length: o.rows }, (_, i) => (i < nPos ? 1 : 0));
  shuffleInPlace(labels, rng);
  const y = Uint8Array.from(labels);
  for (let r = 0; r < o.rows; r++) {
    for (let c = 0; c < o.features; c++) {
      X.data[r * o.features + c] = normal(rng) + (c < o.informative ? (y[r] ? o.shift / 2 : -o.shift / 2) : 0);
    }
  }
  const featureNames = Array.from({ length: o.features }, (_, c) => (c < o.informative ? `signal_${c}` : `noise_${c}`));
  return { X, y, featureNames, bayesBalancedAccuracy: normalCdf((o.shift * Math.sqrt(o.informative)) / 2) };
}
