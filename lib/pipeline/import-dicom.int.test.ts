import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
// aliased: the name starts with "use", which ESLint's React hooks rule would take for a hook
import { useNodeCodecWasm as installNodeCodecWasm } from "../imaging/dicom/node/codec-wasm";
import { FileStore } from "../storage/file-store";
import { importDicomFiles, type ImportFile } from "./import-dicom";

const SERIES_DIR = path.resolve("lib/testdata/breast_mri_ucsf_br_06/image_dce_pe1");
const reference = JSON.parse(
  readFileSync(path.resolve("lib/testdata/breast_mri_ucsf_br_06/image_dce_pe1_series_reference.json"), "utf8"),
);

function seriesFiles(): ImportFile[] {
  return readdirSync(SERIES_DIR)
    .sort()
    .map((n) => ({ name: n, bytes: new Uint8Array(readFileSync(path.join(SERIES_DIR, n))) }));
}

describe(`DICOM import (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let root: string;
  beforeAll(async () => {
    installNodeCodecWasm();
    db = await openTestDatabase();
    root = mkdtempSync(path.join(os.tmpdir(), "nac-import-"));
    store = new FileStore(root);
  });
  afterAll(async () => db?.close());

  it("refuses a non-DICOM file and a truncated DICOM file, storing nothing of them", async () => {
    const files = seriesFiles();
    const truncated = {
      name: "truncated.dcm",
      bytes: files[0].bytes.slice(0, Math.floor(files[0].bytes.length * 0.6)),
    };
    const text = { name: "notes.txt", bytes: new TextEncoder().encode("this is not DICOM") };
    const report = await importDicomFiles({ prisma: db.prisma, store }, [text, truncated]);
    expect(report.counts).toEqual({ imported: 0, duplicate: 0, ignored: 0, error: 2 });
    for (const f of report.files) {
      expect(f.status).toBe("error");
      expect(f.code).toMatch(/^DICOM_/);
      expect(f.message!.length).toBeGreaterThan(10);
    }
    expect(await db.prisma.dicomInstance.count()).toBe(0);
    expect(await db.prisma.patient.count()).toBe(0);
    expect(readdirSync(root)).toEqual([]);
  });

  it("imports a breast DCE-MRI series: one patient, one series of 60 instances with the reference geometry", async () => {
    const report = await importDicomFiles({ prisma: db.prisma, store }, seriesFiles(), { username: "test" });
    expect(report.counts).toEqual({ imported: 60, duplicate: 0, ignored: 0, error: 0 });
    expect(report.series).toHaveLength(1);
    const s = await db.prisma.series.findUniqueOrThrow({
      where: { seriesInstanceUid: reference.series_instance_uid },
      include: { instances: true },
    });
    expect(s.instanceCount).toBe(60);
    expect(s.instances).toHaveLength(60);
    const g = s.geometry as { dims: number[]; spacing: number[]; volumeOrder: string[] };
    expect(g.dims).toEqual([reference.columns, reference.rows, 60]);
    expect(g.spacing[0]).toBeCloseTo(reference.pixel_spacing[1], 6);
    expect(g.spacing[2]).toBeCloseTo(2.0, 4);
    expect(new Set(g.volumeOrder).size).toBe(60);
    for (const i of s.instances) expect(await store.exists(i.storageKey)).toBe(true);
    const audit = await db.prisma.auditEvent.findMany({ where: { action: "series.import" } });
    expect(audit).toHaveLength(1);
  });

  it("detects duplicates by SOP Instance UID on re-import and stores nothing twice", async () => {
    const files = seriesFiles();
    const report = await importDicomFiles({ prisma: db.prisma, store }, [...files.slice(0, 3), files[0]]);
    expect(report.counts).toEqual({ imported: 0, duplicate: 4, ignored: 0, error: 0 });
    expect(await db.prisma.dicomInstance.count()).toBe(60);
  });
});
