import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { loadBundleOrThrow, predictWithBundle, similarCases } from "../ml/bundle";
import { QUICK_PROTOCOL, syntheticExperimentCsv } from "../experiments/testdata/synthetic-table";
import { FileStore } from "../storage/file-store";
import { inProcessBundleBuilder } from "./experiment/compute";
import { executeExperimentJob, inProcessCompute, submitExperiment } from "./experiment/job";
import { readBundleFile, registerFromExperiment } from "./model-registry";

/** Issue 18 at registration: calibration maps by default; de-identified training cases only when the site allows. */
describe(`registration: calibration and similar cases (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let dir: string;
  const researcher = { id: null, username: "researcher" };
  const csv = syntheticExperimentCsv({ rows: 80 });
  const config = {
    name: "issue18",
    featureSets: [{ extractor: "handcrafted", modalities: ["CE_T1"], clinical: true }],
    protocol: QUICK_PROTOCOL,
  };
  let experimentId = "";
  let featureSet = "";

  beforeAll(async () => {
    db = await openTestDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "nac-registry18-"));
    store = new FileStore(dir);
    const deps = { prisma: db.prisma, store };
    const s = await submitExperiment(deps, {
      tableBytes: new TextEncoder().encode(csv),
      configInput: config,
      source: "file t.csv",
      actor: researcher,
    });
    expect(await executeExperimentJob(deps, s.jobId, inProcessCompute(1))).toBe("succeeded");
    experimentId = s.experimentId;
    featureSet = (await db.prisma.experimentResult.findFirstOrThrow({ where: { experimentId } })).featureSet;
  }, 300_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("calibrates by default and carries no training cases unless allowed; with the setting, similar cases come without ids", async () => {
    const deps = { prisma: db.prisma, store };
    const build = inProcessBundleBuilder(1);
    const plain = await registerFromExperiment(deps, {
      experimentId,
      featureSet,
      actor: researcher,
      demo: true,
      build,
    });
    const a = loadBundleOrThrow((await readBundleFile(deps, plain.id)).bundle);
    expect(a.bundle.schemaVersion).toBe(2);
    expect(a.bundle.trainingCases).toBeUndefined();
    for (const ep of ["pcr", "response"]) {
      const e = a.bundle.endpoints[ep];
      expect(e.final.calibration?.method).toMatch(/^(platt|isotonic)$/);
      expect(e.partitions.every((p) => p.pipeline.calibration && p.calibrationMetrics)).toBe(true);
      expect(e.metrics.calibration?.after.ece.n).toBe(e.partitions.length);
    }
    const row = Object.fromEntries(
      a.bundle.endpoints.pcr.featureNames.map((f) => [f, a.bundle.endpoints.pcr.trainingSummary[f].q50]),
    );
    expect(predictWithBundle(a, row, "pcr").calibration).not.toBeNull();
    expect(similarCases(a, row, "pcr")).toBeNull();
    // A table from a file has no stored series: no acquisition distribution (Predict says unchecked).
    expect(a.bundle.acquisition).toBeUndefined();

    const allowed = await registerFromExperiment(deps, {
      experimentId,
      featureSet,
      actor: researcher,
      demo: true,
      build,
      allowSimilarCases: true,
    });
    const b = loadBundleOrThrow((await readBundleFile(deps, allowed.id)).bundle);
    const cases = b.bundle.trainingCases!;
    expect(cases.rows.length).toBe(80);
    const ids = csv
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split(",")[0]);
    expect(ids.length).toBe(80);
    const text = JSON.stringify(cases);
    for (const id of ids) expect(text).not.toContain(`"${id}"`);
    const s = similarCases(b, row, "response", 5)!;
    expect(s).toHaveLength(5);
    for (const c of s) expect(Object.keys(c.outcomes).sort()).toEqual(["pcr", "response"]);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "model.register", targetId: allowed.id },
    });
    expect((audit.details as { similarCases?: boolean }).similarCases).toBe(true);
  }, 600_000);
});
