import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { loadBundleOrThrow, reevaluateBundle } from "../ml/bundle";
import { parseExperimentTable, protocolInputOf, resolveFeatureSets } from "../experiments";
import { QUICK_PROTOCOL, syntheticExperimentCsv } from "../experiments/testdata/synthetic-table";
import { FileStore } from "../storage/file-store";
import { loadActiveBundleOrThrow } from "./active-bundle";
import { caseSpecFromBundle } from "./case-features/bundle";
import { inProcessBundleBuilder } from "./experiment/compute";
import { executeExperimentJob, inProcessCompute, submitExperiment } from "./experiment/job";
import { activateBundle, exportBundle, importBundle, listBundles, registerFromExperiment } from "./model-registry";

describe(`model registry (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let dir: string;
  const admin = { id: null as string | null, username: "admin" };
  const researcher = { id: null, username: "researcher" };
  const csv = syntheticExperimentCsv({ rows: 48 });
  const config = {
    name: "registry",
    featureSets: [
      { extractor: "handcrafted", modalities: ["CE_T1"], clinical: true },
      { extractor: "resnet10", modalities: ["CE_T1"], regions: ["intra"] },
    ],
    protocol: QUICK_PROTOCOL,
  };
  let experimentId = "";

  beforeAll(async () => {
    db = await openTestDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "nac-registry-int-"));
    store = new FileStore(dir);
    const u = await db.prisma.user.create({
      data: { username: "admin", displayName: "Admin", role: "admin", passwordHash: "x" },
    });
    admin.id = u.id;
    const deps = { prisma: db.prisma, store };
    const s = await submitExperiment(deps, {
      tableBytes: new TextEncoder().encode(csv),
      configInput: config,
      source: "file t.csv",
      actor: researcher,
    });
    expect(await executeExperimentJob(deps, s.jobId, inProcessCompute(1))).toBe("succeeded");
    experimentId = s.experimentId;
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers a feature set as a versioned bundle that reproduces the experiment; an admin's activation is audited and earlier bundles stay", async () => {
    const deps = { prisma: db.prisma, store };
    const build = inProcessBundleBuilder(1);
    const a = await registerFromExperiment(deps, {
      experimentId,
      featureSet: "handcrafted.CE_T1.both+clinical",
      actor: researcher,
      demo: true,
      build,
    });
    const b = await registerFromExperiment(deps, {
      experimentId,
      featureSet: "resnet10.CE_T1.intra",
      actor: researcher,
      demo: true,
      build,
    });
    expect(a.bundleId).toBe("nacpredict-handcrafted.ce_t1.both-clinical");
    expect(a.version).toBe(`1.0.0-${experimentId.slice(0, 8)}`);
    const again = await registerFromExperiment(deps, {
      experimentId,
      featureSet: "handcrafted.CE_T1.both+clinical",
      actor: researcher,
      demo: true,
      build,
    });
    expect(again.version).toBe(`2.0.0-${experimentId.slice(0, 8)}`);

    const row = await db.prisma.modelBundle.findUniqueOrThrow({ where: { id: a.id } });
    expect(row.isActive).toBe(false);
    const lb = loadBundleOrThrow(new TextDecoder().decode(await store.get(row.storageKey)));
    const card = lb.bundle.modelCard;
    expect(card.demo).toBe(true);
    expect(card.notes).toMatch(
      /pCR \(n = 48, positive \d+; 4 partitions, threshold 0\.4\): balanced accuracy \d+\.\d ± \d+\.\d \[\d+\.\d, \d+\.\d\] %/,
    );
    expect(card.notes).toMatch(/Final model features \(fitted on all rows\):\npcr: /);
    expect(card.notes).toContain("No deep features (no encoder).");
    const encCard = loadBundleOrThrow(
      new TextDecoder().decode(
        await store.get((await db.prisma.modelBundle.findUniqueOrThrow({ where: { id: b.id } })).storageKey),
      ),
    ).bundle.modelCard;
    expect(encCard.limitations.join(" ")).toMatch(
      /untrained encoder \(resnet10, seeded weights: untrained encoder: demo only\)/,
    );
    // The bundle's partitions are the experiment's: re-scoring them on the table gives the stored metrics.
    const table = parseExperimentTable(csv);
    const set = resolveFeatureSets(lb.bundle.endpoints.pcr.config as never, table.columns);
    expect(set).toBeTruthy();
    const cols = lb.bundle.endpoints.pcr.featureNames.map((f) => table.columns.indexOf(f));
    const input = protocolInputOf(table, cols, "pCR");
    const stored = await db.prisma.experimentResult.findFirstOrThrow({
      where: { experimentId, featureSet: "handcrafted.CE_T1.both+clinical", endpoint: "pCR" },
    });
    expect(
      reevaluateBundle(lb, "pcr", { X: input.X, featureNames: input.featureNames, y: input.y, rowIds: input.rowIds }),
    ).toEqual((stored.partitions as { metrics: unknown }[]).map((p) => p.metrics));
    // Predict recomputes exactly these features: the spec names CE-T1 only, both regions, handcrafted, the two clinical variables.
    const spec = caseSpecFromBundle(lb.bundle);
    expect([spec.roles, spec.regions, spec.deep, spec.clinical]).toEqual([
      ["CE_T1"],
      ["intra", "peri"],
      null,
      ["ki67", "her2pos"],
    ]);

    await activateBundle(deps, a.id, admin);
    expect((await loadActiveBundleOrThrow(deps)).row.id).toBe(a.id);
    await activateBundle(deps, b.id, admin);
    expect((await loadActiveBundleOrThrow(deps)).row.id).toBe(b.id);
    const events = await db.prisma.auditEvent.findMany({ where: { action: "model.activate" }, orderBy: { at: "asc" } });
    expect(
      events.map((e) => [
        e.targetId,
        e.username,
        (e.details as { previous: { id: string } | null }).previous?.id ?? null,
      ]),
    ).toEqual([
      [a.id, "admin", null],
      [b.id, "admin", a.id],
    ]);
    const list = await listBundles(deps);
    expect(list.map((x) => [x.id, x.isActive, x.source])).toEqual(
      expect.arrayContaining([
        [a.id, false, "experiment"],
        [b.id, true, "experiment"],
        [again.id, false, "experiment"],
      ]),
    );
    await expect(
      registerFromExperiment(deps, { experimentId, featureSet: "nope", actor: researcher, build }),
    ).rejects.toThrow(/no feature set nope/);
  });

  it("export then import at another site; a tampered file is refused naming the part", async () => {
    const deps = { prisma: db.prisma, store };
    const [first] = await listBundles(deps);
    const exported = await exportBundle(deps, first.id, researcher);
    const other = await openTestDatabase();
    const otherDir = mkdtempSync(path.join(os.tmpdir(), "nac-registry-site2-"));
    try {
      const site2 = { prisma: other.prisma, store: new FileStore(otherDir) };
      const text = new TextDecoder().decode(exported.bytes);
      const tampered = text.replace(/"intendedUse":"Research use only/, '"intendedUse":"Clinical use');
      expect(tampered).not.toBe(text);
      await expect(importBundle(site2, new TextEncoder().encode(tampered), researcher)).rejects.toThrow(
        /integrity check failed: part "modelCard" was modified/,
      );
      const probs = text.replace(
        /"testProbabilities":\[0\.(\d)/,
        (_m, d: string) => `"testProbabilities":[0.${(Number(d) + 1) % 10}`,
      );
      await expect(importBundle(site2, new TextEncoder().encode(probs), researcher)).rejects.toThrow(
        /MODEL_INVALID|integrity check failed/,
      );
      expect(await other.prisma.modelBundle.count()).toBe(0);
      const ok = await importBundle(site2, exported.bytes, researcher);
      expect(ok.action).toBe("registered");
      expect((await importBundle(site2, exported.bytes, researcher)).action).toBe("exists");
      const row = await other.prisma.modelBundle.findUniqueOrThrow({ where: { id: ok.id } });
      expect([row.isActive, row.sha256]).toEqual([false, first.sha256]);
    } finally {
      await other.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
    expect(await db.prisma.auditEvent.count({ where: { action: "model.export" } })).toBe(1);
  });
});
