import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { FileStore } from "../storage/file-store";
import { registerBundle } from "./register-bundle";
import { saveOutcome } from "./outcomes";
import { loadPatientOutcomes, type OutcomeSource } from "./patient-outcomes";
import { activeModelTrackRecord } from "./track-record";

describe(`local track record of the active model (${testBackend()})`, () => {
  let db: Database;
  let dir: string;
  beforeAll(async () => {
    db = await openTestDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "nac-track-"));
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts the active model's predictions for patients with generated outcomes, audited", async () => {
    const deps = { prisma: db.prisma, store: new FileStore(dir) };
    const reg = await registerBundle(deps, gunzipSync(readFileSync("models/demo-bundle.json.gz")), { activate: true });
    const other = await db.prisma.modelBundle.create({
      data: { bundleId: "old", version: "1", name: "old", storageKey: "x", sha256: "0", card: {}, metrics: {} },
    });
    const outcomes: { patientId: string; pCR?: 0 | 1; response?: 0 | 1 }[] = [];
    for (let i = 0; i < 12; i++) {
      const p = await db.prisma.patient.create({
        data: { patientKey: `TR-${i}`, displayName: `Track ${i}`, isSynthetic: true },
      });
      const prob = (i + 0.5) / 12;
      const outputs = { endpoints: { pcr: { probability: prob }, response: { probability: 1 - prob } } };
      await db.prisma.prediction.create({
        data: {
          patientId: p.id,
          modelBundleId: reg.id,
          modelVersion: reg.version,
          inputs: {},
          outputs,
          provenanceHash: "h",
        },
      });
      // a prediction of an earlier model must not count for this one
      await db.prisma.prediction.create({
        data: {
          patientId: p.id,
          modelBundleId: other.id,
          modelVersion: "1",
          inputs: {},
          outputs: { endpoints: { pcr: { probability: 0.01 }, response: { probability: 0.01 } } },
          provenanceHash: "h",
        },
      });
      if (i < 10)
        outcomes.push({
          patientId: p.id,
          pCR: i >= 6 ? 1 : 0,
          ...(i < 8 ? { response: (i < 4 ? 1 : 0) as 0 | 1 } : {}),
        });
    }
    const source: OutcomeSource = async (_prisma, ids) => outcomes.filter((o) => ids.includes(o.patientId));
    const r = await activeModelTrackRecord(deps, { id: null, username: "oncologist" }, source);
    expect([r.bundleId, r.predictions, r.patientsWithOutcome]).toEqual([reg.bundleId, 12, 10]);
    const [pcr, response] = r.endpoints;
    expect([pcr.n, pcr.nPositive, response.n, response.nPositive]).toEqual([10, 4, 8, 4]);
    // pCR probabilities increase with i and positives are i >= 6: perfectly ranked
    expect(pcr.auc).toBe(1);
    expect(response.auc).toBe(1);
    expect(
      await db.prisma.auditEvent.count({ where: { action: "model.track_record.view", username: "oncologist" } }),
    ).toBe(1);
  });

  it("reads recorded outcomes: the latest version of each patient, an unrecorded endpoint left out", async () => {
    const user = { id: null, username: "oncologist" };
    const a = await db.prisma.patient.create({
      data: { patientKey: "OUT-A", displayName: "Outcome A", isSynthetic: true },
    });
    const b = await db.prisma.patient.create({
      data: { patientKey: "OUT-B", displayName: "Outcome B", isSynthetic: true },
    });
    const c = await db.prisma.patient.create({
      data: { patientKey: "OUT-C", displayName: "Outcome C", isSynthetic: true },
    });
    const base = {
      preDiameterMm: null,
      postDiameterMm: null,
      outcomeDate: "2026-11-02",
      source: "surgical pathology report",
    };
    await saveOutcome(db.prisma, { patientId: a.id, values: { ...base, pcr: 0, response: 1 }, user });
    await saveOutcome(db.prisma, { patientId: a.id, values: { ...base, pcr: 1, response: 1 }, user }); // corrected: version 2
    await saveOutcome(db.prisma, { patientId: b.id, values: { ...base, pcr: 0, response: null }, user });
    const got = await loadPatientOutcomes(db.prisma, [a.id, b.id, c.id]);
    expect(got.sort((x, y) => x.patientId.localeCompare(y.patientId))).toEqual(
      [
        { patientId: a.id, pCR: 1, response: 1 },
        { patientId: b.id, pCR: 0 },
      ].sort((x, y) => x.patientId.localeCompare(y.patientId)),
    );
  });
});
