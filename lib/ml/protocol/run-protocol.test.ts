import { describe, expect, it } from "vitest";
import { plantedSignal } from "./testdata/synthetic";
import { runProtocol } from "./run-protocol";
import { stratifiedPartitions } from "./partitions";
import { mulberry32, shuffleInPlace } from "../../random/prng";

const logistic = { type: "logistic", C: 1 } as const;

/**
 * Mean test BA / AUC over 10 INDEPENDENT label permutations, one partition each. (Ten partitions of one permutation
 * share rows, so a chance association of that one permutation with some feature shows up in all of them: their
 * mean does not average out. Independent permutations do: SD of one test BA (120 rows) ≈ 0.046, of the mean of 10
 * ≈ 0.015, so |mean − 0.5| < 0.05 is a > 3 SD bound.)
 */
function shuffledRuns(
  data: ReturnType<typeof plantedSignal>,
  cfg: Record<string, unknown>,
): { ba: number; auc: number } {
  let ba = 0,
    auc = 0;
  for (let k = 0; k < 10; k++) {
    const y = Array.from(data.y);
    shuffleInPlace(y, mulberry32(100 + k));
    const r = runProtocol({ ...data, y: Uint8Array.from(y) }, { ...cfg, partitions: 1, seed: k });
    ba += r.partitions[0].metrics.balancedAccuracy / 10;
    auc += r.partitions[0].metrics.auc / 10;
  }
  return { ba, auc };
}

describe("protocol acceptance on planted-signal data (default XGBoost classifier)", () => {
  // 2 informative features with a 1.2-SD shift among 100: ‖Δ‖ = 1.2·√2 = 1.697, Bayes BA = Φ(0.8485) = 0.8019.
  // (Two features keep the Bayes boundary within reach of 100 depth-3 trees on 480 training rows.)
  const data = plantedSignal({ rows: 600, features: 100, informative: 2, shift: 1.2, seed: 1 });
  const cfg = { mrmr: { k: 5 }, rfe: { mode: "count", nFeatures: 2 }, finalModel: false };

  it("balanced accuracy is within 3 points of the Bayes rate", () => {
    expect(data.bayesBalancedAccuracy).toBeCloseTo(0.801928, 5); // scipy.stats.norm.cdf(1.2·√2/2)
    const r = runProtocol(data, cfg);
    expect(r.config.classifier.type).toBe("xgboost");
    expect(r.partitions[0].model.kind).toBe("xgboost");
    const ba = r.summary.balancedAccuracy!.mean;
    console.log(
      `XGBoost planted signal: BA ${ba.toFixed(4)} ± ${r.summary.balancedAccuracy!.sd.toFixed(4)} vs Bayes ${data.bayesBalancedAccuracy.toFixed(4)}`,
    );
    expect(Math.abs(ba - data.bayesBalancedAccuracy)).toBeLessThan(0.03);
    expect(r.selectionFrequency.slice(0, 2)).toEqual([
      { feature: "signal_0", count: 10, frequency: 1 },
      { feature: "signal_1", count: 10, frequency: 1 },
    ]);
  });

  it("shuffled labels give chance-level balanced accuracy", () => {
    const { ba, auc } = shuffledRuns(data, cfg);
    console.log(`XGBoost shuffled labels: BA ${ba.toFixed(4)}, AUC ${auc.toFixed(4)}`);
    expect(Math.abs(ba - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(auc - 0.5)).toBeLessThan(0.05);
  });
});

describe("protocol acceptance on planted-signal data (logistic classifier)", () => {
  // 4 informative features with a 0.8-SD class shift each among 200 features: ‖Δ‖ = 1.6, Bayes BA = Φ(0.8) = 0.7881.
  const data = plantedSignal({ rows: 600, features: 200, informative: 4, shift: 0.8, seed: 1 });

  it("balanced accuracy is within 3 points of the Bayes rate, signal features selected", () => {
    expect(data.bayesBalancedAccuracy).toBeCloseTo(0.788145, 5); // scipy.stats.norm.cdf(0.8)
    const r = runProtocol(data, { mrmr: { k: 20 }, rfe: { mode: "count", nFeatures: 4 }, classifier: logistic });
    const ba = r.summary.balancedAccuracy!.mean;
    console.log(
      `planted signal: BA ${ba.toFixed(4)} ± ${r.summary.balancedAccuracy!.sd.toFixed(4)} vs Bayes ${data.bayesBalancedAccuracy.toFixed(4)}`,
    );
    expect(Math.abs(ba - data.bayesBalancedAccuracy)).toBeLessThan(0.03);
    expect(r.partitions).toHaveLength(10);
    for (const f of ["signal_0", "signal_1", "signal_2", "signal_3"]) {
      expect(r.selectionFrequency.find((s) => s.feature === f)?.frequency).toBe(1);
    }
    expect(r.final?.selectedFeatures.slice().sort()).toEqual(["signal_0", "signal_1", "signal_2", "signal_3"]);
  });

  it("shuffled labels give chance-level balanced accuracy (no leakage)", () => {
    const { ba, auc } = shuffledRuns(data, {
      mrmr: { k: 20 },
      rfe: { mode: "count", nFeatures: 4 },
      classifier: logistic,
      finalModel: false,
    });
    console.log(`shuffled labels: BA ${ba.toFixed(4)}, AUC ${auc.toFixed(4)}`);
    expect(Math.abs(ba - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(auc - 0.5)).toBeLessThan(0.05);
  });

  it("a feature that carries the label only on test rows is neither selected nor helpful", () => {
    // Plant a 'leaky' column: 10 x label on the TEST rows of the split, constant 5 on its training rows. Seen from the
    // training rows alone it has F = 0 and can never be an mRMR candidate; any use of test rows in imputation,
    // scaling or mRMR would make it the most relevant column and push balanced accuracy to 1.
    // Partitions are reproducible from the seed, so the split is known in advance.
    const base = plantedSignal({ rows: 300, features: 60, informative: 0, shift: 0, seed: 7 });
    const split = stratifiedPartitions(base.y, 1, 0.8, 42)[0];
    const leakCol = 0;
    for (const i of split.test) base.X.data[i * base.X.cols + leakCol] = base.y[i] * 10;
    for (const i of split.train) base.X.data[i * base.X.cols + leakCol] = 5;
    const cfg = {
      partitions: 1,
      seed: 42,
      mrmr: { k: 10 },
      rfe: { mode: "count", nFeatures: 3 },
      classifier: logistic,
      finalModel: false,
    };
    const r = runProtocol(base, cfg);
    expect(r.partitions[0].testRows).toEqual(split.test);
    expect(r.partitions[0].mrmrFeatures).not.toContain(base.featureNames[leakCol]);
    expect(r.partitions[0].metrics.balancedAccuracy).toBeLessThan(0.7);
    // Control: the same column is picked up at once when it carries the label on the training rows too.
    for (const i of split.train) base.X.data[i * base.X.cols + leakCol] = base.y[i] * 10;
    const leaky = runProtocol(base, cfg);
    expect(leaky.partitions[0].mrmrFeatures[0]).toBe(base.featureNames[leakCol]);
    expect(leaky.partitions[0].metrics.balancedAccuracy).toBe(1);
  });
});

describe("no test row reaches any fitted part", () => {
  it("scrambling the test rows' features leaves every fitted part of every partition unchanged", () => {
    // (Labels cannot be changed without changing the stratified split itself; the leaky-column test covers them.)
    const d = plantedSignal({ rows: 200, features: 40, informative: 3, shift: 1, seed: 3 });
    for (let i = 0; i < d.X.data.length; i += 17) d.X.data[i] = Number.NaN; // exercise imputation too
    const cfg = {
      partitions: 3,
      mrmr: { k: 8 },
      rfe: { mode: "count", nFeatures: 3 },
      classifier: logistic,
      finalModel: false,
    };
    const a = runProtocol(d, cfg);
    const parts = stratifiedPartitions(d.y, 3, 0.8, 42);
    for (const [p, { test }] of parts.entries()) {
      const X = { ...d.X, data: d.X.data.slice() };
      const rng = mulberry32(p);
      for (const i of test) {
        for (let c = 0; c < X.cols; c++)
          X.data[i * X.cols + c] = rng.next() < 0.3 ? Number.NaN : 1e3 * (rng.next() - 0.5);
      }
      const b = runProtocol({ ...d, X }, cfg);
      expect(b.partitions[p].testRows).toEqual(a.partitions[p].testRows);
      const strip = ({ preprocessor, mrmrFeatures, selectedFeatures, model }: (typeof a.partitions)[number]) => ({
        preprocessor,
        mrmrFeatures,
        selectedFeatures,
        model,
      });
      expect(strip(b.partitions[p])).toEqual(strip(a.partitions[p]));
      // ...while the test predictions do change (the scrambled values are really used at prediction time).
      expect(b.partitions[p].testProbabilities).not.toEqual(a.partitions[p].testProbabilities);
    }
  });
});

describe("RFE by inner cross-validation", () => {
  it("chooses the count inside each training part and records the CV path", () => {
    const d = plantedSignal({ rows: 200, features: 30, informative: 2, shift: 2, seed: 12 });
    const r = runProtocol(d, { partitions: 2, mrmr: { k: 6 }, rfe: { mode: "cv", folds: 3 }, classifier: logistic });
    for (const p of r.partitions) {
      expect(p.rfeCvScores!.map((s) => s.nFeatures)).toEqual([6, 5, 4, 3, 2, 1]);
      const best = Math.max(...p.rfeCvScores!.map((s) => s.mean));
      const chosen = p.rfeCvScores!.filter((s) => s.mean === best).map((s) => s.nFeatures);
      expect(p.selectedFeatures.length).toBe(Math.min(...chosen));
      expect(p.selectedFeatures).toEqual(expect.arrayContaining(["signal_0", "signal_1"]));
    }
  });
});

describe("partitions", () => {
  it("are stratified, disjoint, complete and reproducible", () => {
    const y = Uint8Array.from({ length: 53 }, (_, i) => (i % 3 === 0 ? 1 : 0)); // 18 positives, 35 negatives
    const a = stratifiedPartitions(y, 5, 0.8, 3);
    const b = stratifiedPartitions(y, 5, 0.8, 3);
    expect(a).toEqual(b);
    for (const p of a) {
      expect(new Set([...p.train, ...p.test]).size).toBe(53);
      expect(p.train.length + p.test.length).toBe(53);
      expect(p.train.filter((i) => y[i]).length).toBe(Math.round(18 * 0.8));
      expect(p.train.filter((i) => !y[i]).length).toBe(Math.round(35 * 0.8));
    }
    expect(a[0].test).not.toEqual(a[1].test);
  });
});
