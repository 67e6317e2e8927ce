import { mkdtempSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { syntheticSlice } from "../imaging/series/synthetic-slice.testutil";
import { FileStore, sha256Hex } from "../storage/file-store";
import { importDicomFiles, type ImportFile } from "./import-dicom";

/**
 * Issue 15 items 1, 2, 6 and 11 (import side): a UID never joins objects of another patient, storage keys never
 * collide, concurrent imports of one new patient converge, and a NUL in a UID fails only its own file.
 */
let n = 0;
function slices(o: { patient: string; study: string; series: string; count?: number; sops?: string[] }): ImportFile[] {
  const count = o.sops?.length ?? o.count ?? 2;
  return Array.from({ length: count }, (_, z) => ({
    name: `${o.patient}-${++n}.dcm`,
    bytes: syntheticSlice({
      seriesUid: o.series,
      z,
      value: 100 + z,
      extra: {
        PatientID: o.patient,
        PatientName: `${o.patient}^Test`,
        StudyInstanceUID: o.study,
        ...(o.sops ? { SOPInstanceUID: o.sops[z] } : {}),
      },
    }),
  }));
}

describe(`import integrity (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  beforeAll(async () => {
    db = await openTestDatabase();
    store = new FileStore(mkdtempSync(path.join(os.tmpdir(), "nac-import-integrity-")));
  });
  afterAll(async () => db?.close());
  const deps = () => ({ prisma: db.prisma, store });

  it("refuses a file whose series UID belongs to another patient's series (new study, other PatientID)", async () => {
    const a = await importDicomFiles(
      deps(),
      slices({ patient: "PAT-A", study: "1.2.826.0.1.3680043.10.9.1", series: "1.2.826.0.1.3680043.10.9.2" }),
    );
    expect(a.counts.imported).toBe(2);
    const intruder = slices({
      patient: "PAT-B",
      study: "1.2.826.0.1.3680043.10.9.3",
      series: "1.2.826.0.1.3680043.10.9.2",
      count: 1,
    });
    const r = await importDicomFiles(deps(), intruder);
    expect(r.files[0]).toMatchObject({ status: "error", code: "UID_CONFLICT" });
    expect(r.files[0].message).toMatch(/another patient/);
    expect(r.files[0].message).not.toMatch(/PAT-A/); // never names the other patient
    const series = await db.prisma.series.findUniqueOrThrow({
      where: { seriesInstanceUid: "1.2.826.0.1.3680043.10.9.2" },
      include: { instances: true },
    });
    expect(series.instances).toHaveLength(2);
    expect(await db.prisma.patient.count({ where: { patientKey: "PAT-B" } })).toBe(0);
    expect(await db.prisma.study.count({ where: { studyInstanceUid: "1.2.826.0.1.3680043.10.9.3" } })).toBe(0);
  });

  it("refuses a study UID of another patient, a series moved to another study, and a reused SOP UID of another patient", async () => {
    const study = "1.2.826.0.1.3680043.10.9.1";
    const otherPatientSameStudy = slices({ patient: "PAT-B", study, series: "1.2.826.0.1.3680043.10.9.20" });
    const sameSeriesOtherStudy = slices({
      patient: "PAT-A",
      study: "1.2.826.0.1.3680043.10.9.21",
      series: "1.2.826.0.1.3680043.10.9.2",
      count: 1,
    });
    const a = await db.prisma.dicomInstance.findFirstOrThrow({
      where: { series: { seriesInstanceUid: "1.2.826.0.1.3680043.10.9.2" } },
    });
    const reusedSop = slices({
      patient: "PAT-C",
      study: "1.2.826.0.1.3680043.10.9.22",
      series: "1.2.826.0.1.3680043.10.9.23",
      sops: [a.sopInstanceUid],
    });
    const r = await importDicomFiles(deps(), [...otherPatientSameStudy, ...sameSeriesOtherStudy, ...reusedSop]);
    expect(r.counts).toEqual({ imported: 0, duplicate: 0, ignored: 0, error: 4 });
    for (const f of r.files) expect(f.code).toBe("UID_CONFLICT");
    expect(await db.prisma.patient.count({ where: { patientKey: { in: ["PAT-B", "PAT-C"] } } })).toBe(0);
  });

  it("refuses a new series whose files name two patients in one import", async () => {
    const mixed = [
      ...slices({
        patient: "PAT-D",
        study: "1.2.826.0.1.3680043.10.9.30",
        series: "1.2.826.0.1.3680043.10.9.31",
        count: 1,
      }),
      ...slices({
        patient: "PAT-E",
        study: "1.2.826.0.1.3680043.10.9.30",
        series: "1.2.826.0.1.3680043.10.9.31",
        count: 1,
      }),
    ];
    const r = await importDicomFiles(deps(), mixed);
    expect(r.files.map((f) => f.code)).toEqual(["UID_CONFLICT", "UID_CONFLICT"]);
    expect(await db.prisma.series.count({ where: { seriesInstanceUid: "1.2.826.0.1.3680043.10.9.31" } })).toBe(0);
  });

  it("UIDs that differ only in characters a path sanitiser would map to `_` get different files", async () => {
    const fa = slices({
      patient: "PAT-F",
      study: "1.2.826.0.1.3680043.10.9.40+",
      series: "1.2.826.0.1.3680043.10.9.41+",
      sops: ["1.2.826.0.1.3680043.10.9.42+"],
    });
    const fb = slices({
      patient: "PAT-G",
      study: "1.2.826.0.1.3680043.10.9.40*",
      series: "1.2.826.0.1.3680043.10.9.41*",
      sops: ["1.2.826.0.1.3680043.10.9.42*"],
    });
    expect((await importDicomFiles(deps(), fa)).counts.imported).toBe(1);
    expect((await importDicomFiles(deps(), fb)).counts.imported).toBe(1);
    const ia = await db.prisma.dicomInstance.findUniqueOrThrow({
      where: { sopInstanceUid: "1.2.826.0.1.3680043.10.9.42+" },
    });
    const ib = await db.prisma.dicomInstance.findUniqueOrThrow({
      where: { sopInstanceUid: "1.2.826.0.1.3680043.10.9.42*" },
    });
    expect(ia.storageKey).not.toBe(ib.storageKey);
    expect(sha256Hex(await store.get(ia.storageKey))).toBe(sha256Hex(fa[0].bytes));
    expect(sha256Hex(await store.get(ib.storageKey))).toBe(sha256Hex(fb[0].bytes));
  });

  it("a read whose bytes no longer match the stored sha256 is refused, not served", async () => {
    const i = await db.prisma.dicomInstance.findUniqueOrThrow({
      where: { sopInstanceUid: "1.2.826.0.1.3680043.10.9.42+" },
    });
    const good = await store.get(i.storageKey, i.sha256);
    const tampered = slices({ patient: "PAT-X", study: "1.9", series: "1.9.1", count: 1 })[0].bytes;
    await writeFile(store.resolveKey(i.storageKey), tampered);
    await expect(store.get(i.storageKey, i.sha256)).rejects.toMatchObject({ code: "STORAGE_CORRUPT" });
    await writeFile(store.resolveKey(i.storageKey), good);
  });

  it("5 concurrent imports of one new patient all succeed: five series, and one series sent five times", async () => {
    const separate = Array.from({ length: 5 }, (_, k) =>
      slices({
        patient: "PAT-NEW",
        study: "1.2.826.0.1.3680043.10.9.60",
        series: `1.2.826.0.1.3680043.10.9.6${k + 1}`,
        count: 3,
      }),
    );
    const r = await Promise.all(separate.map((f) => importDicomFiles(deps(), f)));
    for (const x of r)
      expect(x.counts, JSON.stringify(x.files)).toEqual({ imported: 3, duplicate: 0, ignored: 0, error: 0 });
    expect(await db.prisma.patient.count({ where: { patientKey: "PAT-NEW" } })).toBe(1);
    expect(await db.prisma.study.count({ where: { studyInstanceUid: "1.2.826.0.1.3680043.10.9.60" } })).toBe(1);
    expect(
      await db.prisma.series.count({ where: { study: { studyInstanceUid: "1.2.826.0.1.3680043.10.9.60" } } }),
    ).toBe(5);

    const once = slices({
      patient: "PAT-NEW2",
      study: "1.2.826.0.1.3680043.10.9.70",
      series: "1.2.826.0.1.3680043.10.9.71",
      count: 4,
    });
    const same = await Promise.all(Array.from({ length: 5 }, () => importDicomFiles(deps(), once)));
    for (const x of same) expect(x.counts.error, JSON.stringify(x.files)).toBe(0);
    expect(same.reduce((a, x) => a + x.counts.imported, 0)).toBe(4);
    const s = await db.prisma.series.findUniqueOrThrow({
      where: { seriesInstanceUid: "1.2.826.0.1.3680043.10.9.71" },
      include: { instances: true },
    });
    expect(s.instances).toHaveLength(4);
    expect((s.geometry as { dims: number[] }).dims).toEqual([4, 3, 4]);
    // the losers' files were removed: storage holds exactly the rows' files
    const keys = (await db.prisma.dicomInstance.findMany({ select: { storageKey: true } }))
      .map((i) => i.storageKey)
      .sort();
    expect((await listFiles(store.root)).filter((k) => k.startsWith("dicom/")).sort()).toEqual(keys);
  });

  it("a NUL byte in a UID fails that file only; the other files of the upload are imported", async () => {
    const good = slices({
      patient: "PAT-H",
      study: "1.2.826.0.1.3680043.10.9.80",
      series: "1.2.826.0.1.3680043.10.9.81",
    });
    const bad = slices({
      patient: "PAT-H",
      study: "1.2.826.0.1.3680043.10.9.80",
      series: "1.2.826.0.1.3680043.10.9.82",
      sops: ["1.2.3\u00004"],
    });
    const badPatient = slices({
      patient: "PAT\u0000I",
      study: "1.2.826.0.1.3680043.10.9.73",
      series: "1.2.826.0.1.3680043.10.9.74",
      count: 1,
    });
    const r = await importDicomFiles(deps(), [...good, ...bad, ...badPatient]);
    expect(r.files.map((f) => f.status)).toEqual(["imported", "imported", "error", "error"]);
    expect(r.files[2].code).toBe("DICOM_MALFORMED");
    expect(r.files[2].message).toMatch(/SOP Instance UID/);
    expect(r.files[3].message).toMatch(/Patient ID/);
  });
});

async function listFiles(root: string, dir = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, dir), { withFileTypes: true })) {
    if (e.name.startsWith(".")) continue;
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out;
}
