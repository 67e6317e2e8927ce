/**
 * Issue 17 item 3, ROIs at import: a zip holding a series and its DICOM SEG imports both, and the ROI is the series'
 * on first opening (source "uploaded", the SEG's voxels). A SEG whose series is not stored, or of another patient,
 * is reported and attached nowhere.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { generatePatient } from "../synth/generate-patient";
import { FileStore } from "../storage/file-store";
import { uploadLimits } from "../upload/limits";
import { importDicomFiles } from "./import-dicom";
import { expandUploads } from "./import-upload";
import { latestRoi, loadRoiMask } from "./roi";

describe(`SEG arriving with its series becomes its ROI (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let user: { id: string; username: string };
  const dir = mkdtempSync(path.join(os.tmpdir(), "nac-import-roi-"));
  beforeAll(async () => {
    db = await openTestDatabase();
    store = new FileStore(path.join(dir, "store"));
    const u = await db.prisma.user.create({
      data: { username: "rad", displayName: "Rad", role: "radiologist", passwordHash: "x" },
    });
    user = { id: u.id, username: u.username };
  });
  afterAll(async () => db?.close());

  it("a zip of the CE-T1 series and its SEG imports both; the ROI equals the SEG", async () => {
    const p = generatePatient("demo", 4, { dicom: true, nifti: false, seg: true });
    const ce = p.series.find((s) => s.role === "CE-T1")!;
    const entries: Record<string, Uint8Array> = { "case/seg.dcm": ce.maskSeg! };
    ce.files.forEach((b, k) => (entries[`case/ce/IM${k}.dcm`] = b));
    const zipPath = path.join(dir, "upload-0");
    writeFileSync(zipPath, zipSync(entries));
    const { files } = await expandUploads(
      [{ field: "files", name: "case.zip", path: zipPath, size: 0 }],
      uploadLimits({} as NodeJS.ProcessEnv),
    );
    const rep = await importDicomFiles({ prisma: db.prisma, store }, files, {
      userId: user.id,
      username: user.username,
    });
    const segResult = rep.files.find((f) => f.name.endsWith("seg.dcm"))!;
    expect(segResult.status).toBe("imported");
    expect(rep.series).toHaveLength(1);
    const roi = await latestRoi(db.prisma, rep.series[0].seriesId);
    expect(roi?.source).toBe("uploaded");
    expect(roi?.voxelCount).toBe(ce.tumourVoxels);
    const { mask } = await loadRoiMask({ prisma: db.prisma, store }, roi!.id);
    expect(Buffer.from(mask.data).equals(Buffer.from(ce.mask.data))).toBe(true);
    expect(await db.prisma.auditEvent.count({ where: { action: "roi.save", targetId: roi!.id } })).toBe(1);
  }, 120_000);

  it("a SEG without its series, or of another patient, is reported and attached nowhere", async () => {
    const p = generatePatient("demo", 5, { dicom: true, nifti: false, seg: true });
    const t2 = p.series.find((s) => s.role === "T2")!;
    const before = await db.prisma.roi.count();
    const alone = await importDicomFiles({ prisma: db.prisma, store }, [{ name: "t2seg.dcm", bytes: t2.maskSeg! }], {
      userId: user.id,
      username: user.username,
    });
    expect(alone.files[0].status).toBe("ignored");
    expect(alone.files[0].message).toMatch(/not stored/);
    expect(await db.prisma.roi.count()).toBe(before);
  }, 120_000);
});
