/**
 * bench/pipeline/predict: Predict wall time for three series (CE-T1, T2, CT) x two regions (intra, peri 5 mm)
 * with handcrafted (107 pyradiomics features) + deep (ResNet34, 64^3 input) features, on a cold and a warm feature
 * cache. Embedded database in memory, one synthetic demo patient imported as DICOM with SEG ROIs, models/resnet34.onnx
 * (run `npm run nac -- models init` first). The bundle is a small one trained here on this feature spec (model size
 * does not matter for timing: prediction is < 50 ms). Reference in the same run: the same features extracted in
 * process from the generator's volumes (no DICOM/SEG reading, no database).
 *
 *   npx tsx bench/pipeline/predict.ts [--runs 3]
 */
import { mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { openMemoryDatabase } from "../../lib/db/database";
import { openEncoder } from "../../lib/deep/node/encoder";
import { buildBundle, canonicalJson } from "../../lib/ml/bundle";
import { makeMatrix } from "../../lib/ml/matrix";
import { runProtocol } from "../../lib/ml/protocol/run-protocol";
import { bundleFeatureSpec } from "../../lib/pipeline/case-features/bundle";
import { extractCaseFeatures, makeCaseFeatureSpec, type CaseRole } from "../../lib/pipeline/case-features";
import { DEMO_PATIENT_SEED, seedDemoPatients } from "../../lib/pipeline/demo/seed";
import { registerBundle } from "../../lib/pipeline/register-bundle";
import { predictPatient } from "../../lib/pipeline/predict";
import { FileStore } from "../../lib/storage/file-store";
import { generatePatient } from "../../lib/synth/generate-patient";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const runs = Number(arg("--runs", "3"));
const median = (v: number[]) => {
  const s = v.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ROLE: Record<string, CaseRole> = { "CE-T1": "CE_T1", T2: "T2", CT: "CT" };

async function main() {
  const spec = makeCaseFeatureSpec({ deep: { backbone: "resnet34" } });
  const db = await openMemoryDatabase();
  const store = new FileStore(mkdtempSync(path.join(tmpdir(), "nac-bench-predict-")));
  const deps = { prisma: db.prisma, store };
  const u = await db.prisma.user.create({
    data: { username: "radiologist", displayName: "Rad", role: "radiologist", passwordHash: "x" },
  });
  const user = { id: u.id, username: u.username };
  await seedDemoPatients(deps, { indices: [0] });
  const patientId = (await db.prisma.patient.findFirstOrThrow()).id;

  // Reference: in-process extraction of the same 12 blocks (6 handcrafted, 6 ResNet34).
  const g = generatePatient(DEMO_PATIENT_SEED, 0, { dicom: false, nifti: false });
  const enc = await openEncoder("resnet34");
  const series = g.series.map((s) => ({ role: ROLE[s.role], volume: s.volume, tumour: s.mask }));
  const refTimes: number[] = [];
  let values: Record<string, number> = {};
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    values = (
      await extractCaseFeatures({ series, clinical: g.clinical as unknown as Record<string, unknown> }, spec, {
        deepSessions: { resnet34: enc },
      })
    ).values;
    refTimes.push(performance.now() - t);
  }

  // A bundle on this spec (perturbed copies of the patient's row; timing only).
  const names = Object.keys(values);
  const X = makeMatrix(30, names.length);
  const y = Uint8Array.from({ length: 30 }, (_, i) => i % 2);
  let s = 3;
  for (let i = 0; i < X.data.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    X.data[i] = values[names[i % names.length]] * (1 + 0.2 * (s / 2 ** 32 - 0.5)) + y[Math.floor(i / names.length)];
  }
  const cfg = { partitions: 10, mrmr: { k: 20 }, rfe: { mode: "count", nFeatures: 8 } };
  const endpoints = Object.fromEntries(
    (["pcr", "response"] as const).map((ep) => [
      ep,
      { result: runProtocol({ X, y, featureNames: names }, cfg), X, label: ep },
    ]),
  );
  const bundle = buildBundle({
    bundleId: "bench",
    bundleVersion: "1",
    created: "2026-01-01T00:00:00.000Z",
    modelCard: { title: "bench", intendedUse: "benchmark", limitations: [], trainingData: "perturbed", demo: true },
    featureSpec: bundleFeatureSpec(spec, names, enc.entry.sha256),
    endpoints,
  });
  await registerBundle(deps, new TextEncoder().encode(canonicalJson(bundle)));

  const cold: number[] = [];
  const warm: number[] = [];
  let detail = "";
  for (let r = 0; r < runs; r++) {
    await db.prisma.featureSet.deleteMany({}); // cold: nothing cached (encoder sessions stay loaded, as in a running server)
    const c = await predictPatient(deps, patientId, user);
    cold.push(c.timings.totalMs);
    const w = await predictPatient(deps, patientId, user);
    warm.push(w.timings.totalMs);
    if (c.timings.featureSetsComputed !== 12 || w.timings.featureSetsCached !== 12)
      throw new Error("unexpected cache behaviour");
    detail = `cold: bundle ${c.timings.bundleMs} ms, features ${c.timings.featuresMs} ms, model ${c.timings.modelMs} ms, store ${c.timings.storeMs} ms`;
  }
  const f = (v: number) => `${(v / 1000).toFixed(2)} s`;
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? "?"}, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  console.log(`predict, 3 series x 2 regions, handcrafted (107) + ResNet34, ${runs} runs (median):`);
  console.log(`  cold feature cache   ${f(median(cold))}  (runs ${cold.map(f).join(", ")}; last ${detail})`);
  console.log(`  warm feature cache   ${f(median(warm))}  (runs ${warm.map(f).join(", ")})`);
  console.log(
    `  reference: same features in process, no DICOM/DB   ${f(median(refTimes))}  (runs ${refTimes.map(f).join(", ")})`,
  );
  await db.close();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
