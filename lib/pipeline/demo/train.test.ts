import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpointBytes } from "../../deep/testdata/fixtures";
import { closeEncoders, openEncoder } from "../../deep/node/encoder";
import { importMedicalNet, initModels } from "../../deep/node/model-store";
import { loadBundleOrThrow, predictWithBundle, reevaluateBundle } from "../../ml/bundle";
import { evaluateBinary } from "../../ml/metrics/evaluate";
import { protocolConfigSchema } from "../../ml/protocol/config";
import { summariseMetrics } from "../../ml/metrics/summary";
import { resolveSettings } from "../../radiomics/settings";
import { generatePatient } from "../../synth/generate-patient";
import { samplePatientTruth } from "../../synth/patient-model";
import { caseSpecFromBundle } from "../case-features/bundle";
import { blockParametersHash, extractCaseFeatures, makeCaseFeatureSpec, type CaseRole } from "../case-features";
import { extractCohortFeatures, type CohortPatientFeatures } from "./cohort-features";
import { DEMO_LABEL, demoCaseFeatureSpec, demoProtocolConfig, trainDemoBundle } from "./train";
import { demoReference } from "./train-reference";

const ROLE: Record<string, CaseRole> = { "CE-T1": "CE_T1", T2: "T2", CT: "CT" };
const BUNDLE = path.resolve("models/demo-bundle.json.gz");

describe("demo train (small cohort)", () => {
  let modelsDir: string;
  let rows: CohortPatientFeatures[];
  // A reduced spec keeps the test fast; the wiring is the same as the demo's.
  const spec = makeCaseFeatureSpec({
    roles: ["CE_T1"],
    handcrafted: resolveSettings({ mode: "pyradiomics", families: ["morphology", "intensity_statistics", "glcm"] }),
    deep: { backbone: "resnet10", regions: ["intra"], preprocess: { inputSize: [16, 16, 16] } },
  });

  beforeAll(() => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "nac-demo-train-"));
    modelsDir = path.join(tmp, "models");
    const ck = path.join(tmp, "resnet10_w4.pth");
    writeFileSync(ck, checkpointBytes(10, "zip"));
    importMedicalNet(ck, 10, path.join(modelsDir, "resnet10.onnx")); // tiny MedicalNet-format encoder (width 4)
  });

  it("extracts the same cohort features whatever the number of worker threads", async () => {
    const two = await extractCohortFeatures({ seed: "unit-demo", patients: 2, spec, workers: 2, modelsDir });
    const one = await extractCohortFeatures({ seed: "unit-demo", patients: 2, spec, workers: 1, modelsDir });
    const strip = (r: CohortPatientFeatures[]) => r.map(({ ms: _ms, ...x }) => x);
    expect(strip(two)).toEqual(strip(one));
    for (const r of two) {
      expect(r.missing).toEqual([]);
      expect(r.outcome).toEqual(samplePatientTruth("unit-demo", r.index).outcome);
      expect(Object.keys(r.values).filter((k) => k.startsWith("CE_T1.intra.resnet10_"))).toHaveLength(32);
      expect(r.values["CE_T1.peri.original_glcm_Contrast"]).toBeGreaterThan(0);
    }
    rows = two;
  }, 240_000);

  it("trains identical bundle bytes twice, loadable, re-evaluating to its own validation numbers", async () => {
    // 40 training rows around the 2 extracted patients (deterministic perturbations; labels planted on one feature).
    let s = 11;
    const fake: CohortPatientFeatures[] = Array.from({ length: 40 }, (_, r) => {
      const base = rows[r % 2];
      const pcr = (r % 3 === 0 ? 1 : 0) as 0 | 1;
      const response = (r % 4 === 0 ? 0 : 1) as 0 | 1;
      const values: Record<string, number> = {};
      for (const [k, v] of Object.entries(base.values)) {
        s = (s * 1664525 + 1013904223) >>> 0;
        values[k] =
          v * (1 + 0.1 * (s / 2 ** 32 - 0.5)) +
          (k === "CE_T1.intra.original_firstorder_Mean" ? 50 * pcr + 30 * response : 0);
      }
      return {
        ...base,
        index: r,
        patientId: `UNIT-${r}`,
        values,
        outcome: { pcr, response },
        probabilities: { pPcr: 0.3, pResponse: 0.7 },
      };
    });
    const opts = { seed: "unit-demo", spec, partitions: 2, workers: 2 };
    const a = await trainDemoBundle(fake, opts);
    const b = await trainDemoBundle(fake, { ...opts, workers: 1 });
    expect(b.sha256).toBe(a.sha256);
    expect(b.json).toBe(a.json);
    const lb = loadBundleOrThrow(a.json);
    expect(Object.keys(lb.bundle.endpoints).sort()).toEqual(["pcr", "response"]);
    expect(lb.bundle.modelCard.demo).toBe(true);
    expect(lb.bundle.modelCard.title).toContain(DEMO_LABEL);
    expect(lb.bundle.modelCard.notes).not.toContain("untrained encoder"); // this encoder is MedicalNet-format, not seeded
    expect(caseSpecFromBundle(lb.bundle)).toEqual(spec);
    for (const ep of ["pcr", "response"] as const) {
      const re = reevaluateBundle(lb, ep, {
        X: a.data.X,
        featureNames: a.data.featureNames,
        y: a.data.y[ep],
        rowIds: a.data.rowIds,
      });
      expect(re).toEqual(lb.bundle.endpoints[ep].partitions.map((p) => p.metrics));
    }
    // ~30 s of CPU (RFE's inner 5-fold CV, trained twice); the margin is for a machine shared with other jobs.
  }, 600_000);

  afterAll(async () => closeEncoders());
});

describe("committed demo bundle (models/demo-bundle.json.gz)", () => {
  const json = new TextDecoder().decode(gunzipSync(new Uint8Array(readFileSync(BUNDLE))));

  it("was trained with the untrained encoders that `models init` builds (no 'encoder weights differ' warning on demo predictions)", () => {
    const bundle = JSON.parse(json) as Parameters<typeof caseSpecFromBundle>[0];
    const spec = caseSpecFromBundle(bundle);
    const manifest = JSON.parse(readFileSync(path.resolve("models/manifest.json"), "utf8")) as {
      models: Record<string, { sha256: string }>;
    };
    const deep = bundle.featureSpec.filter((f) => f.extractor === `deep:${spec.deep!.backbone}`);
    expect(deep.length).toBeGreaterThan(0);
    for (const f of deep) {
      const block = {
        role: f.sourceRole as CaseRole,
        region: f.region === "intra" ? "intra" : "peri",
        extractor: "deep",
      } as const;
      expect(f.settingsHash).toBe(blockParametersHash(block, spec, manifest.models[spec.deep!.backbone].sha256));
    }
  });

  it("was trained with the current demo settings, so that `demo train` reproduces it", () => {
    const lb = loadBundleOrThrow(json);
    expect(caseSpecFromBundle(lb.bundle)).toEqual(demoCaseFeatureSpec());
    for (const e of Object.values(lb.bundle.endpoints)) {
      expect(e.config).toEqual(protocolConfigSchema.parse(demoProtocolConfig(e.partitions.length, e.config.threshold)));
    }
  });

  it("loads, and its stored test probabilities with the generator's planted labels give its validation metrics", () => {
    const lb = loadBundleOrThrow(json);
    const seed = /seed "([^"]+)"/.exec(lb.bundle.modelCard.trainingData)![1];
    expect(lb.bundle.modelCard.demo).toBe(true);
    expect(lb.bundle.modelCard.title).toContain(DEMO_LABEL);
    expect(lb.bundle.modelCard.notes).toContain("untrained encoder: demo only");
    for (const [ep, e] of Object.entries(lb.bundle.endpoints)) {
      expect(e.partitions).toHaveLength(10);
      const metrics = e.partitions.map((p) => {
        const y = p.testRows.map((i) => samplePatientTruth(seed, i).outcome[ep as "pcr" | "response"]);
        const m = evaluateBinary(y, p.testProbabilities, e.config.threshold, e.config.ciLevel);
        expect(m).toEqual(p.metrics);
        return m;
      });
      expect(summariseMetrics(metrics)).toEqual(e.metrics.summary);
    }
  });

  it("records the shuffled-label control, near chance and clearly below the real labels, for both endpoints", () => {
    const lb = loadBundleOrThrow(json);
    for (const [ep, e] of Object.entries(lb.bundle.endpoints)) {
      const line = lb.bundle.modelCard.notes!.split("\n").find((l) => l.startsWith(`${ep}: balanced accuracy`));
      expect(line, `model card line for ${ep}`).toBeDefined();
      const real = Number(/^\w+: balanced accuracy ([\d.]+)%/.exec(line!)![1]) / 100;
      const shuffled = Number(/shuffled labels ([\d.]+)%/.exec(line!)![1]) / 100;
      expect(real).toBeCloseTo(e.metrics.summary.balancedAccuracy!.mean, 2); // the line describes this bundle
      expect(Math.abs(shuffled - 0.5)).toBeLessThan(0.06);
      expect(real - shuffled).toBeGreaterThan(0.1);
    }
  });

  it("demo reference (no images) reproduces the bundle's recorded Bayes-rule and oracle figures on the same partitions", () => {
    const lb = loadBundleOrThrow(json);
    const seed = /seed "([^"]+)"/.exec(lb.bundle.modelCard.trainingData)![1];
    const n = Number(/, (\d+) patients \(pCR/.exec(lb.bundle.modelCard.trainingData)![1]);
    for (const r of demoReference(seed, n)) {
      const line = lb.bundle.modelCard
        .notes!.split("\n")
        .find((l) => l.startsWith(`${r.endpoint}: balanced accuracy`))!;
      const bayes = Number(/Bayes rule \(true probabilities\) scores ([\d.]+)%/.exec(line)![1]);
      const oracle = Number(/six true terms ([\d.]+)%/.exec(line)![1]);
      expect((100 * r.bayesRule.balancedAccuracy.mean).toFixed(1)).toBe(bayes.toFixed(1));
      expect((100 * r.oracle.balancedAccuracy.mean).toFixed(1)).toBe(oracle.toFixed(1));
      // The oracle is fitted on training rows only: on average it cannot beat the truth by more than noise.
      expect(r.oracle.balancedAccuracy.mean).toBeLessThan(r.bayesRule.balancedAccuracy.mean + 0.02);
    }
  });

  it("re-extracting a test patient reproduces the partition model's stored test probability", async () => {
    const lb = loadBundleOrThrow(json);
    const spec = caseSpecFromBundle(lb.bundle);
    const seed = /seed "([^"]+)"/.exec(lb.bundle.modelCard.trainingData)![1];
    const dir = mkdtempSync(path.join(os.tmpdir(), "nac-demo-enc-"));
    initModels(dir, { depths: [Number(spec.deep!.backbone.slice(6)) as 10] }); // the seeded demo encoder, same bytes
    const enc = await openEncoder(spec.deep!.backbone, { dir, threads: 1 });
    // A patient in the first test set of both endpoints (their splits are stratified on different labels).
    const index = lb.bundle.endpoints.pcr.partitions[0].testRows.find((i) =>
      lb.bundle.endpoints.response.partitions[0].testRows.includes(i),
    )!;
    expect(index).toBeDefined();
    const g = generatePatient(seed, index, { dicom: false, nifti: false });
    const f = await extractCaseFeatures(
      {
        series: g.series.map((s) => ({ role: ROLE[s.role], volume: s.volume, tumour: s.mask })),
        clinical: g.clinical as unknown as Record<string, unknown>,
      },
      spec,
      { deepSessions: { [spec.deep!.backbone]: enc } },
    );
    for (const ep of ["pcr", "response"] as const) {
      const e = lb.bundle.endpoints[ep];
      const pos = e.partitions[0].testRows.indexOf(index);
      expect(pos).toBeGreaterThanOrEqual(0);
      expect(predictWithBundle(lb, f.values, ep).partitionProbabilities[0]).toBeCloseTo(
        e.partitions[0].testProbabilities[pos],
        12,
      );
    }
    await closeEncoders();
  }, 240_000);
});
