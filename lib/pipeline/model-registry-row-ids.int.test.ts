import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { parseExperimentTable, protocolInputOf } from "../experiments";
import { QUICK_PROTOCOL, syntheticExperimentCsv } from "../experiments/testdata/synthetic-table";
import { loadBundleOrThrow, predictWithBundle, reevaluateBundle } from "../ml/bundle";
import { FileStore } from "../storage/file-store";
import { inProcessBundleBuilder } from "./experiment/compute";
import { executeExperimentJob, inProcessCompute, submitExperiment } from "./experiment/job";
import { pseudonymFor } from "./import-upload";
import { activateBundle, exportBundle, registerFromExperiment } from "./model-registry";
import { activeModelTrackRecord } from "./track-record";

/**
 * A bundle file moves between sites: registered from an experiment whose feature table names patients by site ID and
 * by pseudonym, it holds neither, and still re-scores its partitions, predicts and gets a local track record.
 */
describe(`a registered bundle holds no patient identifier (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let dir: string;
  const researcher = { id: null, username: "researcher" };
  const admin = { id: null as string | null, username: "admin" };
  const salt = "site-salt-for-this-test";
  const rows = 48;
  const siteIds = Array.from({ length: rows }, (_, r) => `SITE-BR-${String(r).padStart(3, "0")}`);
  const pseudonyms = siteIds.map((id) => pseudonymFor(id, salt));
  // half the rows as a site's own IDs, half already pseudonymised (a table exported for a researcher)
  const rowId = (r: number) => (r % 2 ? pseudonyms[r] : siteIds[r]);
  const csv = syntheticExperimentCsv({ rows }).replace(/^SYN-(\d{3})/gm, (_m, n: string) => rowId(Number(n)));
  let experimentId = "";

  beforeAll(async () => {
    db = await openTestDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "nac-registry-ids-"));
    store = new FileStore(dir);
    admin.id = (
      await db.prisma.user.create({
        data: { username: "admin", displayName: "Admin", role: "admin", passwordHash: "x" },
      })
    ).id;
    const deps = { prisma: db.prisma, store };
    const s = await submitExperiment(deps, {
      tableBytes: new TextEncoder().encode(csv),
      configInput: {
        name: "row ids",
        featureSets: [{ extractor: "handcrafted", modalities: ["CE_T1"], clinical: true }],
        protocol: QUICK_PROTOCOL,
      },
      source: "file ids.csv",
      actor: researcher,
    });
    expect(await executeExperimentJob(deps, s.jobId, inProcessCompute(1))).toBe("succeeded");
    experimentId = s.experimentId;
  }, 300_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the exported bundle file contains none of the table's site IDs or pseudonyms; card, re-scoring and track record work", async () => {
    const deps = { prisma: db.prisma, store };
    expect(csv).toContain(`\n${siteIds[0]},`);
    expect(csv).toContain(`\n${pseudonyms[1]},`);
    const featureSet = "handcrafted.CE_T1.both+clinical";
    const reg = await registerFromExperiment(deps, {
      experimentId,
      featureSet,
      actor: researcher,
      demo: true,
      build: inProcessBundleBuilder(1),
      allowSimilarCases: true,
    });
    const text = new TextDecoder().decode((await exportBundle(deps, reg.id, researcher)).bytes);
    const leaked = [...siteIds, ...pseudonyms].filter((id) => text.includes(id));
    expect(leaked).toEqual([]);
    expect(text).not.toMatch(/NAC-[0-9A-F]{10}/);
    expect(text).not.toContain("testRowIds");

    // The partitions still name their test rows (by index into the table the model card's sha256 identifies) and
    // re-scoring them reproduces the experiment's stored metrics.
    const lb = loadBundleOrThrow(text);
    const table = parseExperimentTable(csv);
    expect(lb.bundle.modelCard.trainingData).toContain(table.sha256);
    const e = lb.bundle.endpoints.pcr;
    const input = protocolInputOf(
      table,
      e.featureNames.map((f) => table.columns.indexOf(f)),
      "pCR",
    );
    const stored = await db.prisma.experimentResult.findFirstOrThrow({
      where: { experimentId, featureSet, endpoint: "pCR" },
    });
    expect(reevaluateBundle(lb, "pcr", { X: input.X, featureNames: input.featureNames, y: input.y })).toEqual(
      (stored.partitions as { metrics: unknown }[]).map((p) => p.metrics),
    );
    const median = Object.fromEntries(e.featureNames.map((f) => [f, e.trainingSummary[f].q50]));
    expect(predictWithBundle(lb, median, "pcr").probability).toBeGreaterThan(0);

    // Activated, its local track record counts its predictions against recorded outcomes.
    await activateBundle(deps, reg.id, admin);
    const outcomes: { patientId: string; pCR: 0 | 1; response: 0 | 1 }[] = [];
    for (let i = 0; i < 4; i++) {
      const p = await db.prisma.patient.create({
        data: { patientKey: `TR-${i}`, displayName: `Track ${i}`, isSynthetic: true },
      });
      await db.prisma.prediction.create({
        data: {
          patientId: p.id,
          modelBundleId: reg.id,
          modelVersion: reg.version,
          inputs: {},
          outputs: { endpoints: { pcr: { probability: 0.2 + 0.2 * i }, response: { probability: 0.5 } } },
          provenanceHash: "h",
        },
      });
      outcomes.push({ patientId: p.id, pCR: i >= 2 ? 1 : 0, response: i % 2 ? 1 : 0 });
    }
    const record = await activeModelTrackRecord(deps, researcher, async (_p, ids) =>
      outcomes.filter((o) => ids.includes(o.patientId)),
    );
    expect([record.bundleId, record.predictions, record.patientsWithOutcome]).toEqual([reg.bundleId, 4, 4]);
    expect(record.endpoints[0].auc).toBe(1);
  }, 600_000);
});
