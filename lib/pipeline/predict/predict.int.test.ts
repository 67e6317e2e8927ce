import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/database";
import { openTestDatabase, testBackend } from "../../db/test-database";
import { checkpointBytes } from "../../deep/testdata/fixtures";
import { closeEncoders, openEncoder } from "../../deep/node/encoder";
import { importMedicalNet } from "../../deep/node/model-store";
import { makeMatrix } from "../../ml/matrix";
import { buildBundle, canonicalJson } from "../../ml/bundle";
import { runProtocol } from "../../ml/protocol/run-protocol";
import { FileStore } from "../../storage/file-store";
import { generatePatient } from "../../synth/generate-patient";
import { bundleFeatureSpec } from "../case-features/bundle";
import { activeShellMeasure } from "../active-bundle";
import { extractCaseFeatures, makeCaseFeatureSpec, periShellModeOf, type CaseRole } from "../case-features";
import { DEMO_PATIENT_SEED, seedDemoPatients } from "../demo/seed";
import { registerBundle } from "../register-bundle";
import { predictionResponse } from "../../api/schemas";
import { predictPatient } from ".";
import { verifyPrediction } from "./verify";

/**
 * Predict end to end on a real (test) database: demo patients imported as DICOM with SEG ROIs, a small bundle trained
 * on case features of the same kind, a tiny MedicalNet-format encoder (width 4) standing in for the 57 MB ResNet10.
 */
const ROLE: Record<string, CaseRole> = { "CE-T1": "CE_T1", T2: "T2", CT: "CT" };

describe(`predictPatient (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let modelsDir: string;
  let user: { id: string; username: string };
  let reference: Record<string, number>;
  // The voxel-centre shell, not the default: so that the overlay test below can tell the bundle's mode from the default.
  const spec = makeCaseFeatureSpec({
    periShellMode: "centres",
    deep: { backbone: "resnet10", roles: ["CE_T1"], regions: ["intra"], preprocess: { inputSize: [32, 32, 32] } },
  });

  beforeAll(async () => {
    db = await openTestDatabase();
    const tmp = mkdtempSync(path.join(os.tmpdir(), "nac-predict-"));
    store = new FileStore(path.join(tmp, "storage"));
    modelsDir = path.join(tmp, "models");
    const ck = path.join(tmp, "resnet10_w4.pth");
    writeFileSync(ck, checkpointBytes(10, "zip"));
    const enc = importMedicalNet(ck, 10, path.join(modelsDir, "resnet10.onnx"));
    const u = await db.prisma.user.create({
      data: { username: "radiologist", displayName: "Rad", role: "radiologist", passwordHash: "x" },
    });
    user = { id: u.id, username: u.username };
    // Patient 0: ROIs on all three series + clinical record; patient 5: no ROI at all.
    await seedDemoPatients({ prisma: db.prisma, store }, { indices: [0, 5] });

    // The same patient's features computed in process from the generator (the training path).
    const g = generatePatient(DEMO_PATIENT_SEED, 0, { dicom: false, nifti: false });
    const session = await openEncoder("resnet10", { dir: modelsDir });
    const f = await extractCaseFeatures(
      {
        series: g.series.map((s) => ({ role: ROLE[s.role], volume: s.volume, tumour: s.mask })),
        clinical: { ...g.clinical, grade: String(g.clinical.grade) },
      },
      spec,
      { deepSessions: { resnet10: session } },
    );
    expect(f.missing).toEqual([]);
    reference = f.values;
    // A small training set around it (the plumbing is under test, not the model): deterministic perturbations.
    const names = Object.keys(f.values);
    const rows = 24;
    const X = makeMatrix(rows, names.length);
    const y = new Uint8Array(rows);
    let s = 7;
    for (let r = 0; r < rows; r++) {
      y[r] = r % 2;
      names.forEach((n, c) => {
        s = (s * 1664525 + 1013904223) >>> 0;
        X.data[r * names.length + c] =
          f.values[n] * (1 + 0.2 * (s / 2 ** 32 - 0.5)) +
          (n === "CE_T1.intra.original_firstorder_Mean" ? 40 * y[r] : 0);
      });
    }
    const cfg = {
      partitions: 2,
      mrmr: { k: 8 },
      rfe: { mode: "count", nFeatures: 4 },
      classifier: { type: "xgboost", params: { num_boost_round: 10 } },
    };
    const endpoints = Object.fromEntries(
      (["pcr", "response"] as const).map((ep) => [
        ep,
        { result: runProtocol({ X, y, featureNames: names }, cfg), X, label: ep },
      ]),
    );
    const bundle = buildBundle({
      bundleId: "test-bundle",
      bundleVersion: "1",
      created: "2026-01-01T00:00:00.000Z",
      modelCard: {
        title: "test demo bundle",
        intendedUse: "tests",
        limitations: [],
        trainingData: "perturbed",
        demo: true,
      },
      featureSpec: bundleFeatureSpec(spec, names, enc.entry.sha256),
      endpoints,
    });
    (globalThis as { __bundleBytes?: Uint8Array }).__bundleBytes = new TextEncoder().encode(canonicalJson(bundle));
  }, 600_000);
  afterAll(async () => {
    await closeEncoders();
    await db?.close();
  });

  const deps = () => ({ prisma: db.prisma, store, modelsDir });
  // Seeded patients in index order (0: every ROI, 5: none); keys are the generator's pseudonyms.
  const patientWith = async (which: "full" | "noRoi") =>
    (await db.prisma.patient.findMany({ orderBy: { patientKey: "asc" } }))[which === "full" ? 0 : 1].id;

  it("refuses without an active model bundle, then registers one once", async () => {
    const p = await patientWith("full");
    await expect(predictPatient(deps(), p, user)).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "no active model bundle",
    });
    // The viewer's shell overlay follows the active bundle; without one, what a new bundle would use.
    expect(await activeShellMeasure(deps())).toBe(periShellModeOf(makeCaseFeatureSpec({})));
    expect(periShellModeOf(makeCaseFeatureSpec({}))).not.toBe("centres");
    const bytes = (globalThis as { __bundleBytes?: Uint8Array }).__bundleBytes!;
    expect(await registerBundle(deps(), bytes)).toMatchObject({ action: "registered", isActive: true });
    expect(await activeShellMeasure(deps())).toBe("centres");
    expect(await registerBundle(deps(), bytes)).toMatchObject({ action: "exists" });
    expect(await db.prisma.modelBundle.count()).toBe(1);
  });

  it("predicts a demo patient from stored DICOM + SEG with exactly the training features, stores and audits it", async () => {
    const p = await patientWith("full");
    const r = await predictPatient(deps(), p, user);
    // The answer as the route sends it matches the schema the route declares and the predict panel reads.
    expect(predictionResponse.safeParse(JSON.parse(JSON.stringify(r))).error).toBeUndefined();
    for (const ep of ["pcr", "response"] as const) {
      const e = r.endpoints[ep];
      expect(e.probability).toBeGreaterThanOrEqual(0);
      expect(e.probability).toBeLessThanOrEqual(1);
      expect(e.spread.n).toBe(2);
      expect(e.spread.min).toBeLessThanOrEqual(e.spread.mean);
      expect(e.spread.max).toBeGreaterThanOrEqual(e.spread.mean);
      expect(e.contributions.length).toBeGreaterThan(0);
      expect(e.contributions.length).toBeLessThanOrEqual(8);
      for (const c of e.contributions)
        expect(c.words).toMatch(/^(CE-T1|T2|CT) (intra|peri)tumoral .+: [+-]?\d+\.\d\d$|^.+: [+-]?\d+\.\d\d$/);
    }
    expect(r.model).toMatchObject({ bundleId: "test-bundle", version: "1", isDemo: true });
    expect(r.warnings.some((w) => w.startsWith("demo model"))).toBe(true);
    expect(r.warnings.some((w) => /no tumour ROI|no .* series/.test(w))).toBe(false);
    expect(r.timings.featureSetsComputed).toBe(7); // 3 roles x 2 regions radiomics + CE-T1 intra deep
    expect(await db.prisma.featureSet.count()).toBe(7);

    const row = await db.prisma.prediction.findUniqueOrThrow({ where: { id: r.predictionId } });
    expect(row.provenanceHash).toBe(r.provenance.provenanceHash);
    const stored = (row.inputs as { features: Record<string, number> }).features;
    // DICOM files + SEG round trip reproduce the in-process training features exactly (radiomics) / to float32 (deep).
    expect(Object.keys(stored).sort()).toEqual(Object.keys(reference).sort());
    for (const [k, v] of Object.entries(reference)) {
      if (k.includes(".resnet10_")) expect(stored[k]).toBeCloseTo(v, 5);
      else expect([k, stored[k]]).toEqual([k, v]);
    }
    expect(await db.prisma.auditEvent.count({ where: { action: "prediction.create", targetId: r.predictionId } })).toBe(
      1,
    );
  }, 300_000);

  it("hits the feature cache on the second call (no new FeatureSet rows, same result)", async () => {
    const p = await patientWith("full");
    const first = await db.prisma.prediction.findFirstOrThrow({ where: { patientId: p } });
    const r = await predictPatient(deps(), p, user);
    expect(r.timings.featureSetsComputed).toBe(0);
    expect(r.timings.featureSetsCached).toBe(7);
    expect(await db.prisma.featureSet.count()).toBe(7);
    expect(r.provenance.provenanceHash).toBe(first.provenanceHash);
    expect((first.outputs as { endpoints: { pcr: { probability: number } } }).endpoints.pcr.probability).toBe(
      r.endpoints.pcr.probability,
    );
    expect(await db.prisma.prediction.count({ where: { patientId: p } })).toBe(2);
    console.log(`predict cold vs warm feature cache: features ${r.timings.featuresMs} ms warm`);
  }, 300_000);

  it("20 concurrent predictions all succeed while another request's extraction blocks the event loop (issue 15 item 5)", async () => {
    const p = await patientWith("full");
    const before = await db.prisma.prediction.count();
    // Stand-in for a cold-cache feature extraction of another request: once, while a prediction's transaction is open,
    // the event loop is blocked for 6 s (longer than Prisma's default 5 s transaction limit).
    let stalled = false;
    const prisma = new Proxy(db.prisma, {
      get(target, key) {
        const v = Reflect.get(target, key);
        if (key !== "$transaction") return typeof v === "function" ? v.bind(target) : v;
        return (fn: unknown, opts?: unknown) =>
          typeof fn !== "function"
            ? target.$transaction(fn as never, opts as never)
            : target.$transaction(async (tx) => {
                if (!stalled) {
                  stalled = true;
                  setImmediate(() => {
                    const end = Date.now() + 6000;
                    while (Date.now() < end);
                  });
                }
                return (fn as (t: typeof tx) => Promise<unknown>)(tx);
              }, opts as never);
      },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => predictPatient({ ...deps(), prisma }, p, user)),
    );
    const failures = results
      .filter((r) => r.status === "rejected")
      .map((r) => String((r as PromiseRejectedResult).reason).slice(0, 300));
    expect(stalled).toBe(true);
    expect(failures).toEqual([]);
    expect(await db.prisma.prediction.count()).toBe(before + 20);
    expect(await db.prisma.auditEvent.count({ where: { action: "prediction.create" } })).toBe(before + 20);
  }, 300_000);

  it("warns (does not fail) for a patient without ROIs", async () => {
    const p = await patientWith("noRoi");
    const r = await predictPatient(deps(), p, user);
    expect(r.endpoints.pcr.probability).toBeGreaterThanOrEqual(0);
    expect(r.endpoints.pcr.probability).toBeLessThanOrEqual(1);
    for (const role of ["CE-T1", "T2", "CT"])
      expect(r.warnings).toContain(`${role}: no tumour ROI on the ${role} series`);
    expect(r.timings.featureSetsComputed).toBe(0);
  }, 300_000);
  it("names what it used: ROI version, volume and longest diameter per series, clinical version and every clinical variable (issue 18 item 0)", async () => {
    const r = await predictPatient(deps(), await patientWith("full"), user);
    const used = r.inputsUsed!;
    expect(used.incomplete).toEqual([]);
    expect(used.series.map((s) => s.label)).toEqual(["CE-T1", "T2", "CT"]);
    for (const s of used.series) {
      expect(s.roiVersion).toBe(1);
      expect(s.absent).toBeUndefined();
      expect(s.volumeMl).toBeGreaterThan(0.1);
      expect(s.longestDiameterMm).toBeGreaterThan(3);
      // Issue 17 item 4: in-plane and axial (RECIST-like) longest diameters, never longer than the 3D one.
      expect(s.longestInPlaneDiameterMm).toBeGreaterThan(3);
      expect(s.longestInPlaneDiameterMm!).toBeLessThanOrEqual(s.longestDiameterMm!);
      expect(s.longestAxialDiameterMm!).toBeLessThanOrEqual(s.longestDiameterMm!);
      expect(s.volumeMl! * 1000).toBeCloseTo(
        (await db.prisma.roi.findUniqueOrThrow({ where: { id: s.roiId } })).volumeMm3,
        6,
      );
    }
    expect(used.clinical?.version).toBe(1);
    expect(used.clinical!.variables.map((v) => v.name)).toEqual(spec.clinical);
    const hrHer2neg = used.clinical!.variables.find((v) => v.name === "hrposHer2neg")!;
    expect(hrHer2neg.words).toMatch(/^HR\+\/HER2− subtype: (yes|no)$/);
    const stored = await db.prisma.prediction.findUniqueOrThrow({ where: { id: r.predictionId } });
    expect((stored.outputs as { inputsUsed: unknown }).inputsUsed).toEqual(JSON.parse(JSON.stringify(used)));
  }, 300_000);

  it("an incomplete patient is refused unless the user predicts anyway; imputed inputs are named as such (issue 18 item 0)", async () => {
    const p = await patientWith("noRoi");
    const before = await db.prisma.prediction.count({ where: { patientId: p } });
    const refused = await predictPatient(deps(), p, user, { requireComplete: true }).catch((e) => e);
    expect(refused).toMatchObject({ code: "PREDICTION_INCOMPLETE" });
    expect(refused.details.incomplete).toEqual([
      "no tumour ROI on the CE-T1 series",
      "no tumour ROI on the T2 series",
      "no tumour ROI on the CT series",
    ]);
    expect(await db.prisma.prediction.count({ where: { patientId: p } })).toBe(before);
    const r = await predictPatient(deps(), p, user, { requireComplete: false });
    expect(r.inputsUsed!.incomplete).toHaveLength(3);
    const contributions = [...r.endpoints.pcr.contributions, ...r.endpoints.response.contributions];
    const imputed = contributions.filter((c) => c.input === null);
    expect(imputed.length).toBeGreaterThan(0);
    for (const c of imputed)
      expect(c.words).toMatch(
        /\(imputed: no tumour ROI on the (CE-T1|T2|CT) series, training median used\); contribution: [+-]?\d+\.\d\d$/,
      );
    for (const c of contributions.filter((x) => x.input !== null)) expect(c.imputed).toBeUndefined();
  }, 300_000);

  it("replay: a stored prediction recomputes bit for bit from its stored inputs (issue 18 item 4)", async () => {
    for (const which of ["full", "noRoi"] as const) {
      const p = await db.prisma.prediction.findFirstOrThrow({
        where: { patientId: await patientWith(which) },
        orderBy: { createdAt: "asc" },
      });
      const v = await verifyPrediction(deps(), p.id, { user });
      expect(v).toMatchObject({ predictionId: p.id, identical: true, firstDifference: null });
      expect(v.compared).toEqual(expect.arrayContaining(["inputs.features", "outputs.endpoints", "provenance hash"]));
    }
    expect(await db.prisma.auditEvent.count({ where: { action: "prediction.verify" } })).toBe(2);
  }, 300_000);

  it("replay: an altered stored image file is reported, and so is an image whose recorded hash was changed with it", async () => {
    const patientId = await patientWith("full");
    const p = await db.prisma.prediction.findFirstOrThrow({ where: { patientId }, orderBy: { createdAt: "asc" } });
    const roi = (p.inputs as { rois: { role: string; seriesId: string }[] }).rois.find((r) => r.role === "T2")!;
    const inst = await db.prisma.dicomInstance.findFirstOrThrow({
      where: { seriesId: roi.seriesId },
      orderBy: { sopInstanceUid: "asc" },
    });
    const bytes = new Uint8Array(await store.get(inst.storageKey));
    bytes[bytes.length - 1] ^= 0x55; // last byte of the pixel data: still a readable DICOM file
    const altered = await store.put(inst.storageKey, bytes);
    const v1 = await verifyPrediction(deps(), p.id);
    expect(v1.identical).toBe(false);
    expect(v1.firstDifference).toContain("STORAGE_CORRUPT");
    expect(v1.firstDifference).toContain(inst.storageKey);
    // The same alteration with the database row updated to match: the recomputed features are not the stored ones.
    await db.prisma.dicomInstance.update({ where: { id: inst.id }, data: { sha256: altered.sha256 } });
    const v2 = await verifyPrediction(deps(), p.id);
    expect(v2.identical).toBe(false);
    expect(v2.firstDifference).toMatch(/^inputs\.featureSets\[\d\]: stored "[0-9a-f]{64}", recomputed "[0-9a-f]{64}"$/);
  }, 300_000);
});
