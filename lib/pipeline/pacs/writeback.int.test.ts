import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/database";
import { openTestDatabase, testBackend } from "../../db/test-database";
import { parseDicom } from "../../imaging/dicom";
import { DicomWebClient } from "../../pacs/dicomweb-client";
import { CODES } from "../../pacs/sr-tid1500";
import { seedDemoPacs } from "../../pacs/testdata/demo-pacs";
import { startOrthanc, type OrthancServer } from "../../pacs/testdata/orthanc";
import { FileStore } from "../../storage/file-store";
import type { GeneratedPatient } from "../../synth/generate-patient";
import { createOrResumePacsImport, runPacsImport } from "./import";
import { savePacsSource } from "./sources";
import { predictionReportSr, storePredictionToPacs, storeRoiToPacs, type WritebackDeps } from "./writeback";
import { saveRoi } from "../roi";

/**
 * Write-back against a real Orthanc: SEG and TID 1500 SR stored by NACpredict come back byte-identical and reference
 * the right series; the SR passes dicom3tools' dciodvfy and pydicom reads its content tree with the expected codes.
 */
const KEY = Buffer.alloc(32, 5);
const PY = "/usr/bin/python3";

type SrItem = {
  rel: string | null;
  type: string;
  name?: string[];
  code?: string[];
  text?: string;
  uid?: string;
  num?: number;
  unit?: string[];
  sop?: string;
  sopClass?: string;
  segment?: number;
  template?: string;
  children?: SrItem[];
};
const find = (items: SrItem[] | undefined, codeValue: string) => (items ?? []).filter((i) => i.name?.[0] === codeValue);

describe(`PACS write-back (${testBackend()})`, () => {
  let orthanc: OrthancServer;
  let db: Database;
  let deps: WritebackDeps;
  let patient: GeneratedPatient;
  let client: DicomWebClient;
  let user: { id: string; username: string };
  const rois: Record<string, { id: string; volumeMm3: number; seriesUid: string; studyUid: string }> = {};
  let predictionId: string;
  let dir: string;

  beforeAll(async () => {
    orthanc = await startOrthanc();
    patient = await seedDemoPacs(orthanc);
    db = await openTestDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "pacs-writeback-"));
    const u = await db.prisma.user.create({
      data: { username: "rad", displayName: "Rad", role: "radiologist", passwordHash: "x" },
    });
    user = { id: u.id, username: u.username };
    deps = { prisma: db.prisma, secretKey: KEY, store: new FileStore(path.join(dir, "storage")) };
    await savePacsSource(
      deps,
      {
        name: "Orthanc",
        baseUrl: orthanc.dicomWebUrl,
        authKind: "basic",
        username: orthanc.username,
        secret: orthanc.password,
      },
      user,
    );
    client = new DicomWebClient({
      baseUrl: orthanc.dicomWebUrl,
      auth: { kind: "basic", username: orthanc.username, password: orthanc.password },
      timeoutMs: 10_000,
    });
    const studies = await client.searchStudies({ patientId: patient.patientId });
    const imp = await createOrResumePacsImport(deps, { studyUids: studies.map((s) => s.studyInstanceUid), user });
    expect((await runPacsImport({ ...deps, stagingDir: path.join(dir, "staging") }, imp.id, user)).status).toBe(
      "succeeded",
    );
    for (const role of ["CE-T1", "CT"] as const) {
      const g = patient.series.find((s) => s.role === role)!;
      const series = await db.prisma.series.findUniqueOrThrow({
        where: { seriesInstanceUid: g.seriesInstanceUid },
        include: { study: true },
      });
      const { roi } = await saveRoi(deps, { seriesId: series.id, mask: g.mask.data, source: "drawn", user });
      rois[role] = {
        id: roi.id,
        volumeMm3: roi.volumeMm3,
        seriesUid: g.seriesInstanceUid,
        studyUid: series.study.studyInstanceUid,
      };
    }
    // A stored prediction as predictPatient writes it (its engines are tested in predict.int.test.ts).
    const bundle = await db.prisma.modelBundle.create({
      data: {
        bundleId: "b",
        version: "2.1.0",
        name: "NACpredict demo ResNet34",
        storageKey: "x",
        sha256: "0",
        card: {},
        metrics: {},
      },
    });
    const ce = await db.prisma.roi.findUniqueOrThrow({ where: { id: rois["CE-T1"].id } });
    const ct = await db.prisma.roi.findUniqueOrThrow({ where: { id: rois.CT.id } });
    const p = await db.prisma.prediction.create({
      data: {
        patientId: (await db.prisma.patient.findFirstOrThrow()).id,
        modelBundleId: bundle.id,
        modelVersion: "2.1.0",
        provenanceHash: "h",
        inputs: {
          rois: [
            { role: "CT", seriesId: ct.seriesId, roiId: ct.id, version: 1 },
            { role: "CE_T1", seriesId: ce.seriesId, roiId: ce.id, version: 1 },
          ],
        },
        outputs: {
          endpoints: {
            pcr: { probability: 0.6234, spread: { mean: 0.61, sd: 0.052, min: 0.52, max: 0.7, n: 10 } },
            response: { probability: 0.7712, spread: { mean: 0.76, sd: 0.031, min: 0.71, max: 0.82, n: 10 } },
          },
        },
      },
    });
    predictionId = p.id;
  });
  afterAll(async () => {
    await db?.close();
    await orthanc?.stop();
  });

  it("a saved ROI stored to the PACS comes back byte-identical as a SEG referencing its source series", async () => {
    const stored = await storeRoiToPacs(deps, rois["CE-T1"].id, user);
    expect(stored.alreadyStored).toBe(false);
    const local = await deps.store.get(
      (await db.prisma.roi.findUniqueOrThrow({ where: { id: rois["CE-T1"].id } })).maskStorageKey,
    );
    const back = await client.instance(stored.studyInstanceUid, stored.seriesInstanceUid, stored.sopInstanceUid);
    expect(Buffer.from(back).equals(Buffer.from(local))).toBe(true);
    const seg = parseDicom(back);
    expect(seg.string("00080060")).toBe("SEG");
    expect(stored.studyInstanceUid).toBe(rois["CE-T1"].studyUid);
    const refSeries = (await client.seriesMetadata(stored.studyInstanceUid, stored.seriesInstanceUid))[0]["00081115"]
      .Value as Record<string, { Value: string[] }>[];
    expect(refSeries[0]["0020000E"].Value[0]).toBe(rois["CE-T1"].seriesUid);
    // asking again stores nothing twice
    expect((await storeRoiToPacs(deps, rois["CE-T1"].id, user)).alreadyStored).toBe(true);
    expect(await db.prisma.pacsStoredObject.count()).toBe(1);
  });

  it("the prediction's SR is stored after its SEGs and comes back byte-identical; the download is the same bytes", async () => {
    const { sr, segs } = await storePredictionToPacs(deps, predictionId, user);
    expect(segs.map((s) => s.alreadyStored)).toEqual([true, false]); // CE-T1 first (primary), then the CT one
    const back = await client.instance(sr.studyInstanceUid, sr.seriesInstanceUid, sr.sopInstanceUid);
    const download = (await predictionReportSr(deps, predictionId)).bytes;
    expect(Buffer.from(back).equals(Buffer.from(download))).toBe(true);
    expect(sr.studyInstanceUid).toBe(rois["CE-T1"].studyUid);
    const found = await client.searchStudies({ patientId: patient.patientId, modality: "SR" });
    expect(found.map((s) => s.studyInstanceUid)).toEqual([sr.studyInstanceUid]);
    writeFileSync(path.join(dir, "sr.dcm"), back);
    expect((await storePredictionToPacs(deps, predictionId, user)).sr.alreadyStored).toBe(true);
  });

  it("dciodvfy reports no error in the SR (nor in the SEG)", async () => {
    const srFile = path.join(dir, "sr.dcm");
    const seg = await storeRoiToPacs(deps, rois.CT.id, user);
    const segFile = path.join(dir, "seg.dcm");
    writeFileSync(segFile, await client.instance(seg.studyInstanceUid, seg.seriesInstanceUid, seg.sopInstanceUid));
    for (const [f, iod] of [
      [srFile, "ComprehensiveSR"],
      [segFile, "Segmentation"],
    ]) {
      const r = spawnSync("/usr/bin/dciodvfy", [f], { encoding: "utf8" });
      expect(r.error, "dciodvfy missing: apt-get install dicom3tools (.ci/run does)").toBeUndefined();
      const out = `${r.stdout}${r.stderr}`;
      expect(out).toContain(iod);
      expect(out.split("\n").filter((l) => /^Error/.test(l))).toEqual([]);
    }
  });

  it("pydicom reads the TID 1500 content tree with the expected concept codes and values", async () => {
    const tree = JSON.parse(
      execFileSync(PY, [path.resolve("lib/pacs/testdata/read-sr.py"), path.join(dir, "sr.dcm")], { encoding: "utf8" }),
    ) as { sopClass: string; patientId: string; root: SrItem };
    expect(tree.sopClass).toBe("1.2.840.10008.5.1.4.1.1.88.33");
    expect(tree.patientId).toBe(patient.patientId);
    const root = tree.root;
    expect(root.name).toEqual(Object.values(CODES.imagingMeasurementReport));
    expect(root.template).toBe("1500");
    expect(find(root.children, "121005")[0].code?.[0]).toBe("121007"); // observer: a device
    const measurements = find(root.children, "126010")[0];
    const groups = find(measurements.children, "125007");
    expect(groups).toHaveLength(2);
    for (const [g, role] of [
      [groups[0], "CE-T1"],
      [groups[1], "CT"],
    ] as const) {
      expect(g.template).toBe("1411");
      const ref = find(g.children, "121214")[0];
      const roi = await db.prisma.roi.findUniqueOrThrow({ where: { id: rois[role].id } });
      const segBytes = await deps.store.get(roi.maskStorageKey);
      expect(ref.sop).toBe(parseDicom(segBytes).string("00080018"));
      expect(ref.sopClass).toBe("1.2.840.10008.5.1.4.1.1.66.4");
      expect(ref.segment).toBe(1);
      expect(find(g.children, "121232")[0].uid).toBe(rois[role].seriesUid);
      expect(find(g.children, "121071")[0].code?.[0]).toBe("108369006");
      const volume = find(g.children, "118565006")[0];
      expect(volume.num).toBeCloseTo(rois[role].volumeMm3, 3);
      expect(volume.unit?.[0]).toBe("mm3");
      const longAxis = find(g.children, "103339001")[0];
      expect(longAxis.unit?.[0]).toBe("mm");
      expect(longAxis.num!).toBeGreaterThan(Math.cbrt(rois[role].volumeMm3)); // a diameter longer than the equal-volume cube's side
      expect(find(volume.children, "111001")[0].text).toBe("NACpredict demo ResNet34");
      expect(find(volume.children, "111003")[0].text).toBe("2.1.0");
    }
    const pcr = find(groups[0].children, "NACP-PCR-P");
    expect(pcr).toHaveLength(5);
    const byDerivation = Object.fromEntries(
      pcr.map((n) => [find(n.children, "121401")[0]?.code?.[0] ?? "final", n.num]),
    );
    expect(byDerivation).toEqual({
      final: 0.6234,
      "373098007": 0.61,
      "386136009": 0.052,
      "255605001": 0.52,
      "56851009": 0.7,
    });
    expect(find(groups[0].children, "NACP-RESP-P").map((n) => n.num)).toEqual([0.7712, 0.76, 0.031, 0.71, 0.82]);
    expect(find(groups[1].children, "NACP-PCR-P")).toEqual([]);
  });
});
