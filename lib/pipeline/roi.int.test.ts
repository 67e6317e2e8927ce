import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
// aliased: the name starts with "use", which ESLint's React hooks rule would take for a hook
import { useNodeCodecWasm as installNodeCodecWasm } from "../imaging/dicom/node/codec-wasm";
import { writeNifti } from "../imaging/nifti";
import { makeVolume, voxelCount } from "../imaging/volume";
import { FileStore } from "../storage/file-store";
import { importDicomFiles } from "./import-dicom";
import {
  gunzipMask,
  gzipMask,
  latestRoi,
  loadRoiMask,
  maskFromUpload,
  roiShell,
  saveRoi,
  seriesGridOrThrow,
} from "./roi";

const DIR = path.resolve("lib/testdata/breast_mri_ucsf_br_06");

describe(`ROI versions, uploads and shell (${testBackend()})`, () => {
  let db: Database;
  let store: FileStore;
  let seriesId: string;
  let user: { id: string; username: string };
  beforeAll(async () => {
    installNodeCodecWasm();
    db = await openTestDatabase();
    store = new FileStore(mkdtempSync(path.join(os.tmpdir(), "nac-roi-")));
    const files = readdirSync(path.join(DIR, "image_dce_pe1"))
      .sort()
      .map((n) => ({ name: n, bytes: new Uint8Array(readFileSync(path.join(DIR, "image_dce_pe1", n))) }));
    const report = await importDicomFiles({ prisma: db.prisma, store }, files);
    seriesId = report.series[0].seriesId;
    const u = await db.prisma.user.create({
      data: { username: "rad", displayName: "Rad", role: "radiologist", passwordHash: "x" },
    });
    user = { id: u.id, username: u.username };
  });
  afterAll(async () => db?.close());

  it("saves drawn ROIs as new versions, keeps earlier ones, and reads them back voxel for voxel", async () => {
    const grid = await seriesGridOrThrow(db.prisma, seriesId);
    const n = voxelCount(grid);
    const cube = new Uint8Array(n);
    const [nx, ny] = grid.dims;
    for (let k = 20; k < 25; k++)
      for (let j = 100; j < 110; j++) for (let i = 120; i < 130; i++) cube[i + j * nx + k * nx * ny] = 1;
    const v1 = await saveRoi({ prisma: db.prisma, store }, { seriesId, mask: cube, source: "drawn", user });
    expect(v1.roi.version).toBe(1);
    expect(v1.roi.maskFormat).toBe("dicom-seg");
    expect(v1.stats.voxelCount).toBe(500);
    expect(v1.stats.volumeMm3).toBeCloseTo(500 * grid.spacing[0] * grid.spacing[1] * grid.spacing[2], 3);
    const v2 = await saveRoi(
      { prisma: db.prisma, store },
      { seriesId, mask: gunzipMask(gzipMask(cube), n), source: "drawn", user },
    );
    expect(v2.roi.version).toBe(2);
    expect((await latestRoi(db.prisma, seriesId))!.id).toBe(v2.roi.id);
    expect(await db.prisma.roi.count({ where: { seriesId } })).toBe(2);
    const back = await loadRoiMask({ prisma: db.prisma, store }, v1.roi.id);
    expect(Buffer.from(back.mask.data).equals(Buffer.from(cube))).toBe(true);
    expect(await db.prisma.auditEvent.count({ where: { action: "roi.save" } })).toBe(2);
  });

  it("records an assisted (one-click) ROI as source 'assisted', a SEMIAUTOMATIC segment", async () => {
    const grid = await seriesGridOrThrow(db.prisma, seriesId);
    const mask = new Uint8Array(voxelCount(grid));
    mask.fill(1, 1000, 1100);
    const saved = await saveRoi({ prisma: db.prisma, store }, { seriesId, mask, source: "assisted", user });
    expect(saved.roi.source).toBe("assisted");
    const seg = new TextDecoder("latin1").decode(await store.get(saved.roi.maskStorageKey));
    expect(seg).toContain("SEMIAUTOMATIC");
  });

  it("refuses an empty mask without storing a version", async () => {
    const grid = await seriesGridOrThrow(db.prisma, seriesId);
    const before = await db.prisma.roi.count();
    await expect(
      saveRoi(
        { prisma: db.prisma, store },
        { seriesId, mask: new Uint8Array(voxelCount(grid)), source: "drawn", user },
      ),
    ).rejects.toMatchObject({ code: "MASK_EMPTY" });
    expect(await db.prisma.roi.count()).toBe(before);
  });

  it("accepts the series' DICOM SEG (fractional, thresholded at 0.5) and a NIfTI on the same grid", async () => {
    const grid = await seriesGridOrThrow(db.prisma, seriesId);
    const seg = await maskFromUpload(
      grid,
      "seg.dcm",
      new Uint8Array(readFileSync(path.join(DIR, "mask/seg_breast_fractional.dcm"))),
    );
    const inside = seg.reduce((a, v) => a + v, 0);
    expect(inside).toBeGreaterThan(1000);
    expect(inside).toBeLessThanOrEqual(82527); // the SEG's non-zero fractional voxels bound the thresholded mask
    const nifti = writeNifti(makeVolume(seg, grid), { gzip: true });
    const fromNifti = await maskFromUpload(grid, "mask.nii.gz", nifti);
    expect(Buffer.from(fromNifti).equals(Buffer.from(seg))).toBe(true);
  });

  it("refuses a mask of the wrong size with a message that says why", async () => {
    const grid = await seriesGridOrThrow(db.prisma, seriesId);
    const wrong = makeVolume(new Uint8Array(64 * 64 * 10).fill(1), {
      dims: [64, 64, 10],
      spacing: grid.spacing,
      origin: grid.origin,
      direction: grid.direction,
    });
    await expect(maskFromUpload(grid, "small.nii.gz", writeNifti(wrong, { gzip: true }))).rejects.toMatchObject({
      code: "GEOMETRY_MISMATCH",
      message: expect.stringContaining("dims 64x64x10 vs 256x256x60"),
    });
    await expect(maskFromUpload(grid, "notes.txt", new TextEncoder().encode("hello"))).rejects.toMatchObject({
      code: "UNSUPPORTED_MEDIA",
    });
  });

  it("derives the peritumoral shell, disjoint from the tumour", async () => {
    const roi = (await latestRoi(db.prisma, seriesId))!;
    const { mask } = await loadRoiMask({ prisma: db.prisma, store }, roi.id);
    const shell = await roiShell({ prisma: db.prisma, store }, roi.id, 5, "centres");
    let shellCount = 0;
    for (let i = 0; i < shell.data.length; i++) {
      if (shell.data[i]) {
        shellCount++;
        expect(mask.data[i]).toBe(0);
      }
    }
    expect(shellCount).toBeGreaterThan(500);
  });
});
