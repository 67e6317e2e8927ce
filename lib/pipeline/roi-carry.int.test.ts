/**
 * Issue 17 item 2 through storage: a demo patient's CE-T1 ROI carried to its T2 series is a new "derived" version
 * there (audited with the source ROI), agreeing with the generator's T2 tumour; CT (another frame of reference) is
 * refused with FRAME_OF_REFERENCE_MISMATCH and nothing is stored; another patient's series is refused.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { FileStore } from "../storage/file-store";
import { generatePatient, type GeneratedPatient } from "../synth/generate-patient";
import { importDicomFiles } from "./import-dicom";
import { loadRoiMask, saveRoi } from "./roi";
import { carryRoi } from "./roi-carry";

describe(`carry an ROI across series (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let user: { id: string; username: string };
  let p: GeneratedPatient;
  const ids = new Map<string, string>();
  let otherSeriesId = "";
  beforeAll(async () => {
    db = await openTestDatabase();
    store = new FileStore(mkdtempSync(path.join(os.tmpdir(), "nac-carry-")));
    const u = await db.prisma.user.create({
      data: { username: "rad", displayName: "Rad", role: "radiologist", passwordHash: "x" },
    });
    user = { id: u.id, username: u.username };
    p = generatePatient("demo", 6, { dicom: true, nifti: false, seg: false });
    const files = p.series.flatMap((s) => s.files.map((bytes, k) => ({ name: `${s.role}/${k}.dcm`, bytes })));
    const rep = await importDicomFiles({ prisma: db.prisma, store }, files, {
      userId: user.id,
      username: user.username,
    });
    for (const s of p.series)
      ids.set(s.role, rep.series.find((x) => x.seriesInstanceUid === s.seriesInstanceUid)!.seriesId);
    const q = generatePatient("demo", 7, { dicom: true, nifti: false, seg: false });
    const t2 = q.series.find((s) => s.role === "T2")!;
    const rep2 = await importDicomFiles(
      { prisma: db.prisma, store },
      t2.files.map((bytes, k) => ({ name: `${k}.dcm`, bytes })),
      { userId: user.id, username: user.username },
    );
    otherSeriesId = rep2.series[0].seriesId;
  }, 300_000);
  afterAll(async () => db?.close());

  it("CE-T1 -> T2 is a new derived version agreeing with the T2 tumour; CT and another patient are refused", async () => {
    const deps = { prisma: db.prisma, store };
    const ce = p.series.find((s) => s.role === "CE-T1")!;
    const t2 = p.series.find((s) => s.role === "T2")!;
    const src = await saveRoi(deps, { seriesId: ids.get("CE-T1")!, mask: ce.mask.data, source: "drawn", user });
    const carried = await carryRoi(deps, src.roi.id, ids.get("T2")!, user);
    expect(carried.roi).toMatchObject({ seriesId: ids.get("T2"), version: 1, source: "derived" });
    const { mask } = await loadRoiMask(deps, carried.roi.id);
    let inter = 0,
      a = 0,
      b = 0;
    for (let i = 0; i < mask.data.length; i++) {
      a += mask.data[i];
      b += t2.mask.data[i];
      inter += mask.data[i] & t2.mask.data[i];
    }
    expect((2 * inter) / (a + b)).toBeGreaterThan(0.9);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "roi.save", targetId: carried.roi.id },
    });
    expect(audit.details).toMatchObject({ source: "derived", carriedFromRoiId: src.roi.id });

    const before = await db.prisma.roi.count();
    await expect(carryRoi(deps, src.roi.id, ids.get("CT")!, user)).rejects.toMatchObject({
      code: "FRAME_OF_REFERENCE_MISMATCH",
    });
    await expect(carryRoi(deps, src.roi.id, otherSeriesId, user)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(carryRoi(deps, src.roi.id, ids.get("CE-T1")!, user)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.prisma.roi.count()).toBe(before);
  }, 300_000);
});
