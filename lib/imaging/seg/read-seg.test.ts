/**
 * SEG -> masks against dcmqi's NRRD label maps (voxel for voxel), highdicom's documented stored sums, and the breast
 * fractional SEG's documented totals.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDicom } from "../dicom";
import { useNodeCodecWasm } from "../dicom/node/codec-wasm";
import { readNrrd } from "../nrrd";
import { readDicomSeries, type DicomSeries } from "../series";
import { readSeg, type SegReference } from "./read-seg";

const TESTDATA = path.resolve(import.meta.dirname, "../../testdata");
const DCMQI = path.join(TESTDATA, "dcmqi/segmentations");
const bytes = (p: string) => new Uint8Array(readFileSync(p));
const json = (p: string) => JSON.parse(readFileSync(p, "utf8"));
const ref = (s: DicomSeries): SegReference => ({
  ...s.volume,
  sopInstanceUids: s.meta.sopInstanceUids,
  frameNumbers: s.meta.frameNumbers,
  frameOfReferenceUid: s.meta.frameOfReferenceUid,
});

function diffCount(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d;
}

beforeAll(() => useNodeCodecWasm());

describe("readSeg vs dcmqi NRRD label maps", () => {
  const cases: [string, string, number, number][] = [
    // seg, nrrd, label value in the NRRD, documented count
    ["23x38x3/seg/label.seg", "23x38x3/nrrd/label.nrrd", 1, 322],
    ["24x38x3/seg/label.seg", "24x38x3/nrrd/label.nrrd", 1, 315],
    ["liver.dcm", "liver_seg.nrrd", 1, 107098],
    ["sparse-labelmap-noppv.dcm", "sparse_labelmap_noppv_seg.nrrd", 1, 630],
    ["sparse-labelmap-ppv5.dcm", "sparse_labelmap_ppv5_seg.nrrd", 1, 630],
  ];
  it.each(cases)("%s equals %s (by position on the NRRD grid)", async (seg, nrrd, label, count) => {
    const lab = readNrrd(bytes(path.join(DCMQI, nrrd)));
    const r = await readSeg(bytes(path.join(DCMQI, seg)), lab);
    expect(r.segments).toHaveLength(1);
    expect(r.segments[0].voxelCount).toBe(count);
    expect(
      diffCount(
        r.segments[0].mask.data,
        Array.from(lab.data, (v) => (v === label ? 1 : 0)),
      ),
    ).toBe(0);
  });

  it("partial_overlaps.dcm: 5 overlapping segments equal the three label maps, matched by source image UID", async () => {
    const [ct] = await readDicomSeries(
      readdirSync(path.join(DCMQI, "ct-3slice"))
        .filter((f) => f.endsWith(".dcm"))
        .map((f) => bytes(path.join(DCMQI, "ct-3slice", f))),
    );
    const r = await readSeg(bytes(path.join(DCMQI, "partial_overlaps.dcm")), ref(ct));
    expect(r.segments.map((s) => s.segment.number)).toEqual([1, 2, 3, 4, 5]);
    const maps = [1, 2, 3].map((i) => readNrrd(bytes(path.join(DCMQI, `partial_overlaps-${i}.nrrd`))));
    const labelMap: Record<number, number> = { 1: 0, 4: 0, 5: 0, 2: 1, 3: 2 };
    let total = 0;
    for (const s of r.segments) {
      const lab = maps[labelMap[s.segment.number]];
      expect(
        diffCount(
          s.mask.data,
          Array.from(lab.data, (v) => (v === s.segment.number ? 1 : 0)),
        ),
      ).toBe(0);
      total += s.voxelCount;
    }
    expect(total).toBe(43639);
    // overlap is real: the union is smaller than the sum of the segments
    let union = 0;
    for (let i = 0; i < r.segments[0].mask.data.length; i++) if (r.segments.some((s) => s.mask.data[i])) union++;
    expect(union).toBeLessThan(total);
  });

  it("liver.dcm placed by UID on the CT series equals placing it by position on the NRRD grid", async () => {
    const [ct] = await readDicomSeries(
      readdirSync(path.join(DCMQI, "ct-3slice"))
        .filter((f) => f.endsWith(".dcm"))
        .map((f) => bytes(path.join(DCMQI, "ct-3slice", f))),
    );
    const byUid = await readSeg(bytes(path.join(DCMQI, "liver.dcm")), ref(ct));
    const byPos = await readSeg(bytes(path.join(DCMQI, "liver.dcm")), ct.volume);
    expect(diffCount(byUid.segments[0].mask.data, byPos.segments[0].mask.data)).toBe(0);
    expect(byUid.segments[0].voxelCount).toBe(107098);
  });
});

describe("readSeg on highdicom examples", () => {
  const HD = path.join(TESTDATA, "highdicom");
  const CT2 = path.join(TESTDATA, "pydicom/test_files/dicomdirtests/77654033/CT2");
  let ct: DicomSeries;
  beforeAll(async () => {
    // The 3 contiguous slices; 17106 lies 200 mm away (see the series tests).
    [ct] = await readDicomSeries(["17136", "17166", "17196"].map((f) => bytes(path.join(CT2, f))));
  });

  it("binary SEG: voxel count equals the documented stored sum", async () => {
    const r = await readSeg(bytes(path.join(HD, "seg_image_ct_binary.dcm")), ref(ct));
    expect(r.segments[0].voxelCount).toBe(json(path.join(HD, "seg_image_ct_binary.dcm.json")).stored_value_sum);
    expect(r.segments[0].voxelCount).toBeGreaterThan(0);
  });

  it("overlapping segments on all 4 gapped slices, placed by position on a regular 165-slice grid spanning them", async () => {
    // 17106 (z=-99.48) and 17136..17196 (z=103.02..105.52) all lie on a 1.25 mm grid from -99.48: k = 0, 162, 163, 164.
    const grid: SegReference = {
      ...ct.volume,
      dims: [16, 16, 165],
      origin: [ct.volume.origin[0], ct.volume.origin[1], -99.480003],
    };
    const r = await readSeg(bytes(path.join(HD, "seg_image_ct_binary_overlap.dcm")), grid);
    expect(r.segments).toHaveLength(2);
    expect(r.segments[0].voxelCount + r.segments[1].voxelCount).toBe(
      json(path.join(HD, "seg_image_ct_binary_overlap.dcm.json")).stored_value_sum,
    );
    const perSlice = (m: Uint8Array) =>
      [0, 162, 163, 164].map((k) => m.subarray(k * 256, (k + 1) * 256).reduce((a, v) => a + v, 0));
    expect(perSlice(r.segments[0].mask.data).reduce((a, b) => a + b, 0)).toBe(r.segments[0].voxelCount);
    // On the 3-slice CT grid the frames on the far slice do not fit: a clear error, never dropped voxels.
    await expect(readSeg(bytes(path.join(HD, "seg_image_ct_binary_overlap.dcm")), ref(ct))).rejects.toMatchObject({
      code: "GEOMETRY_MISMATCH",
    });
  });

  it("fractional SEGs: fractions x max reproduce the stored sum; threshold 0.5 is inclusive", async () => {
    for (const name of ["seg_image_ct_binary_fractional.dcm", "seg_image_ct_true_fractional.dcm"]) {
      const r = await readSeg(bytes(path.join(HD, name)), ref(ct));
      const s = r.segments[0];
      let fsum = 0;
      let atLeastHalf = 0;
      for (const f of s.fractions!.data) {
        fsum += f;
        if (f >= 0.5) atLeastHalf++;
      }
      expect(Math.round(fsum * 255)).toBe(json(path.join(HD, `${name}.json`)).stored_value_sum);
      expect(s.voxelCount).toBe(atLeastHalf);
      const strict = await readSeg(bytes(path.join(HD, name)), ref(ct), { fractionalThreshold: 0.51 });
      expect(strict.segments[0].voxelCount).toBeLessThanOrEqual(s.voxelCount);
    }
  });

  it("single-frame SEG on a single CT slice", async () => {
    const [img] = await readDicomSeries([bytes(path.join(HD, "ct_image.dcm"))]);
    const r = await readSeg(bytes(path.join(HD, "seg_image_ct_binary_single_frame.dcm")), ref(img));
    expect(r.segments[0].voxelCount).toBe(
      json(path.join(HD, "seg_image_ct_binary_single_frame.dcm.json")).stored_value_sum,
    );
  });

  it("a projection SEG (no plane position) on an unrelated grid is GEOMETRY_MISMATCH, not a guess", async () => {
    await expect(readSeg(bytes(path.join(HD, "seg_image_cr_binary.dcm")), ref(ct))).rejects.toMatchObject({
      code: "GEOMETRY_MISMATCH",
    });
  });

  it("a SEG on a grid it does not fit is GEOMETRY_MISMATCH", async () => {
    const lab = readNrrd(bytes(path.join(DCMQI, "liver_seg.nrrd")));
    await expect(readSeg(bytes(path.join(HD, "seg_image_ct_binary.dcm")), lab)).rejects.toMatchObject({
      code: "GEOMETRY_MISMATCH",
    });
  });

  it("a SEG in another frame of reference is GEOMETRY_MISMATCH even when positions coincide", async () => {
    await expect(
      readSeg(bytes(path.join(HD, "seg_image_ct_binary.dcm")), { ...ref(ct), frameOfReferenceUid: "1.2.3" }),
    ).rejects.toMatchObject({
      code: "GEOMETRY_MISMATCH",
      message: expect.stringMatching(/FrameOfReferenceUID/),
    });
  });

  it("a non-SEG file is DICOM_UNSUPPORTED", async () => {
    await expect(readSeg(parseDicom(bytes(path.join(HD, "ct_image.dcm"))), ref(ct))).rejects.toMatchObject({
      code: "DICOM_UNSUPPORTED",
    });
  });
});

describe("breast fractional SEG (UCSF-BR-06)", () => {
  it("maps 42 frames onto the PE1 series by position with the documented totals", async () => {
    const dir = path.join(TESTDATA, "breast_mri_ucsf_br_06");
    const [pe1] = await readDicomSeries(
      readdirSync(path.join(dir, "image_dce_pe1")).map((f) => bytes(path.join(dir, "image_dce_pe1", f))),
    );
    const r = await readSeg(bytes(path.join(dir, "mask/seg_breast_fractional.dcm")), pe1.volume);
    expect(r.segmentationType).toBe("FRACTIONAL");
    expect(r.fractionalType).toBe("OCCUPANCY");
    const s = r.segments[0];
    expect(s.segment.label).toBe("Breast");
    let nonzero = 0;
    let total = 0;
    for (const f of s.fractions!.data) {
      if (f > 0) nonzero++;
      total += f * 255;
    }
    expect(nonzero).toBe(82527);
    expect(Math.round(total)).toBe(21044385);
    expect(s.voxelCount).toBeGreaterThan(0);
    expect(s.voxelCount).toBeLessThanOrEqual(nonzero);
  });
});
