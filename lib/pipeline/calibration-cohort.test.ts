/**
 * Issue 18 item 2 acceptance: on a generated 500-patient cohort (the generator's library function, as
 * `nac demo generate --patients 500` draws its patients), the protocol's calibration map lowers the expected calibration
 * error on the held-out partitions relative to the uncalibrated model, and Predict (predictWithBundle) applies it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { buildBundle, loadBundleOrThrow, predictWithBundle } from "../ml/bundle";
import { makeMatrix } from "../ml/matrix";
import { mulberry32, normal } from "../random/prng";
import { runProtocol } from "../ml/protocol/run-protocol";
import { samplePatientTruth } from "../synth/patient-model";
import { scoreEndpoints } from "./predict/score";

const PATIENTS = 500;
const SEED = "calibration-500";

/**
 * A feature table of the cohort without images: the clinical variables as Predict encodes them, the tumour's latents
 * measured with noise (as radiomic surrogates), and pure-noise columns.
 */
function generatedCohort() {
  const rng = mulberry32(18);
  const names = [
    "clinical.age",
    "clinical.ki67",
    "clinical.her2pos",
    "clinical.tnbc",
    "logSize",
    "heterogeneity",
    "logT2Ratio",
    "enhancement",
    "ctHu",
    "peritumoral",
    ...Array.from({ length: 10 }, (_, k) => `noise_${k}`),
  ];
  const X = makeMatrix(PATIENTS, names.length);
  const y = new Uint8Array(PATIENTS);
  for (let i = 0; i < PATIENTS; i++) {
    const t = samplePatientTruth(SEED, i);
    const c = t.clinical;
    const row = [
      c.ageYears,
      c.ki67Percent,
      c.subtype === "HR+/HER2+" || c.subtype === "HR-/HER2+" ? 1 : 0,
      c.subtype === "TNBC" ? 1 : 0,
      Math.log(t.tumour.equivalentDiameterMm) + 0.1 * normal(rng),
      t.tumour.heterogeneity + 0.05 * normal(rng),
      Math.log(t.tumour.t2SignalRatio) + 0.05 * normal(rng),
      t.tumour.enhancementRatio,
      t.tumour.ctEnhancementHu,
      t.tumour.peritumoral,
      ...Array.from({ length: 10 }, () => normal(rng)),
    ];
    row.forEach((v, j) => (X.data[i * names.length + j] = v));
    y[i] = t.outcome.pcr;
  }
  return { X, y, featureNames: names };
}

describe("calibration on a generated 500-patient cohort", () => {
  const data = generatedCohort();
  const config = {
    partitions: 10,
    mrmr: { k: 10 },
    rfe: { mode: "none" as const },
    calibration: { method: "auto" as const, folds: 5 },
  };
  const result = runProtocol(data, config);

  it("lowers the held-out expected calibration error relative to the uncalibrated model", () => {
    const c = result.calibration!;
    const before = c.before.ece.mean;
    const after = c.after.ece.mean;
    console.log(
      `ECE before ${before.toFixed(4)} ± ${c.before.ece.sd.toFixed(4)}, after ${after.toFixed(4)} ± ${c.after.ece.sd.toFixed(4)}; Brier ${c.before.brier.mean.toFixed(4)} -> ${c.after.brier.mean.toFixed(4)}; methods ${JSON.stringify(c.methods)}`,
    );
    expect(after).toBeLessThan(before);
    // Partition by partition, not only on average.
    const drops = result.partitions.filter(
      (p) => p.calibrationMetrics!.after.ece < p.calibrationMetrics!.before.ece,
    ).length;
    console.log(`ECE dropped in ${drops} of ${result.partitions.length} partitions`);
    expect(drops).toBeGreaterThanOrEqual(7);
    // The discrimination is untouched by a monotone map (AUC of the partition model itself is unchanged: metrics are
    // on the uncalibrated probabilities), and the Brier score does not get worse on average.
    expect(c.after.brier.mean).toBeLessThanOrEqual(c.before.brier.mean + 1e-3);
    // The pooled reliability curves cover every test row.
    expect(c.curve.before.reduce((s, b) => s + b.n, 0)).toBe(
      result.partitions.reduce((s, p) => s + p.testRows.length, 0),
    );
  });

  it("never lets a partition's test rows into its calibration map", () => {
    const p = result.partitions[0];
    const scrambled = { ...data, X: { ...data.X, data: Float64Array.from(data.X.data) } };
    for (const r of p.testRows)
      for (let j = 0; j < data.X.cols; j++) scrambled.X.data[r * data.X.cols + j] = 1000 + r + j;
    const again = runProtocol(scrambled, { ...config, partitions: 1, finalModel: false });
    expect(again.partitions[0].calibration).toEqual(p.calibration);
  });

  it("Predict applies the final model's map; a bundle without one says uncalibrated", () => {
    const bundleOf = (r: typeof result) =>
      buildBundle({
        bundleId: "calibrated",
        bundleVersion: "1",
        modelCard: { title: "t", intendedUse: "tests", limitations: [], trainingData: "generated", demo: true },
        featureSpec: data.featureNames.map((name) => ({ name })),
        endpoints: { pcr: { result: r, X: data.X, label: "pCR" } },
      });
    const lb = loadBundleOrThrow(JSON.stringify(bundleOf(result)));
    const e = lb.bundle.endpoints.pcr;
    expect(e.final.calibration?.method).toMatch(/^(platt|isotonic)$/);
    const row = Object.fromEntries(data.featureNames.map((f, j) => [f, data.X.data[7 * data.X.cols + j]]));
    const p = predictWithBundle(lb, row, "pcr");
    expect(p.calibration).toEqual({ method: e.final.calibration!.method });
    const expected = loadBundleOrThrow(JSON.stringify(bundleOf(result))).calibrators.pcr.final!.predict([
      p.uncalibratedProbability,
    ])[0];
    expect(p.probability).toBe(expected);
    expect(p.probability).not.toBe(p.uncalibratedProbability);
    // Each partition model's probability goes through that partition's own map.
    e.partitions.forEach((part, i) => {
      expect(part.pipeline.calibration).toBeDefined();
      expect(p.partitionProbabilities[i]).toBeGreaterThanOrEqual(0);
    });
    // Predict's scoring step shows the calibrated probability and names the map (both endpoints here share the result).
    const both = loadBundleOrThrow(
      JSON.stringify(
        buildBundle({
          bundleId: "calibrated",
          bundleVersion: "2",
          modelCard: { title: "t", intendedUse: "tests", limitations: [], trainingData: "generated", demo: true },
          featureSpec: data.featureNames.map((name) => ({ name })),
          endpoints: { pcr: { result, X: data.X, label: "pCR" }, response: { result, X: data.X, label: "response" } },
        }),
      ),
    );
    const scored = scoreEndpoints(both, row as Record<string, number>).endpoints.pcr;
    expect(scored.probability).toBe(p.probability);
    expect(scored.uncalibratedProbability).toBe(p.uncalibratedProbability);
    expect(scored.calibration).toBe(e.final.calibration!.method);
    // The same model without calibration: probability is the classifier's, labelled uncalibrated.
    const plain = runProtocol(data, { ...config, partitions: 2, calibration: undefined });
    const q = predictWithBundle(loadBundleOrThrow(JSON.stringify(bundleOf(plain))), row, "pcr");
    expect(q.calibration).toBeNull();
    expect(q.probability).toBe(q.uncalibratedProbability);
  });
});

describe("a schema-1 bundle (the committed demo bundle, made before calibration)", () => {
  it("loads, predicts with the classifier's own probability and says uncalibrated", () => {
    const json = new TextDecoder().decode(
      gunzipSync(new Uint8Array(readFileSync(path.resolve("models/demo-bundle.json.gz")))),
    );
    const lb = loadBundleOrThrow(json);
    expect(lb.bundle.schemaVersion).toBe(1);
    const e = lb.bundle.endpoints.pcr;
    const row = Object.fromEntries(e.featureNames.map((f) => [f, e.trainingSummary[f].q50]));
    const p = predictWithBundle(lb, row, "pcr");
    expect(p.calibration).toBeNull();
    expect(p.probability).toBe(p.uncalibratedProbability);
    expect(lb.calibrators.pcr.partitions.every((c) => c === null)).toBe(true);
  });
});
