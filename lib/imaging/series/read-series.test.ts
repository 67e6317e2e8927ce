/**
 * Series -> Volume against pydicom references (breast DCE PE1 map, STS MR), the MIRP NIfTI export of the same MR,
 * the IBSI CT phantom (from ../shared, skipped when absent), single- vs multi-frame twins (dcmqi), and the
 * consistency errors on synthetic planes.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useNodeCodecWasm } from "../dicom/node/codec-wasm";
import { readNifti } from "../nifti";
import type { Vec3 } from "../volume";
import { classifySeriesRole } from "./classify-role";
import type { ImagePlane } from "./image-planes";
import { orderPlanes, readDicomSeries } from "./read-series";
import { syntheticSlice } from "./synthetic-slice.testutil";

const TESTDATA = path.resolve(import.meta.dirname, "../../testdata");
const IBSI_CT = path.resolve(import.meta.dirname, "../../..", "../shared/data/ibsi/ct_phantom");

const readDir = (dir: string) =>
  readdirSync(dir)
    .filter((f) => !f.endsWith(".json"))
    .sort()
    .map((f) => new Uint8Array(readFileSync(path.join(dir, f))));
const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

beforeAll(() => useNodeCodecWasm());

describe("readDicomSeries", () => {
  it("builds the breast DCE PE1 series in the reference slice order with the reference sums", async () => {
    const dir = path.join(TESTDATA, "breast_mri_ucsf_br_06");
    const ref = JSON.parse(readFileSync(path.join(dir, "image_dce_pe1_series_reference.json"), "utf8"));
    const files = readdirSync(path.join(dir, "image_dce_pe1")).sort();
    // Shuffle the input order: the reader must not rely on it.
    const shuffled = files.map((f, i) => files[(i * 37) % files.length]);
    const series = await readDicomSeries(
      shuffled.map((f) => new Uint8Array(readFileSync(path.join(dir, "image_dce_pe1", f)))),
    );
    expect(series).toHaveLength(1);
    const { volume: v, meta } = series[0];
    expect(meta.seriesInstanceUid).toBe(ref.series_instance_uid);
    expect(v.dims).toEqual([ref.columns, ref.rows, ref.number_of_files]);
    expect(v.spacing[0]).toBe(ref.pixel_spacing[1]);
    expect(v.spacing[1]).toBe(ref.pixel_spacing[0]);
    expect(v.spacing[2]).toBeCloseTo(2, 4);
    expect(sum(v.data)).toBe(ref.volume_rescaled_sum);
    // row direction, column direction from IOP; k along their cross product
    expect(v.direction.slice(0, 6)).toEqual(ref.image_orientation_patient);
    const slices = ref.slices_sorted_along_normal as {
      image_position_patient: Vec3;
      stored_sum: number;
      stored_max: number;
    }[];
    expect(v.origin).toEqual(slices[0].image_position_patient);
    const n = v.dims[0] * v.dims[1];
    slices.forEach((s, k) => {
      const slice = v.data.subarray(k * n, (k + 1) * n);
      expect(sum(slice)).toBe(s.stored_sum);
      // position of voxel (0,0,k) = origin + k * dz * dirK
      for (let a = 0; a < 3; a++)
        expect(v.origin[a] + k * v.spacing[2] * v.direction[6 + a]).toBeCloseTo(s.image_position_patient[a], 3);
    });
    expect(meta.sopInstanceUids).toHaveLength(60);
    expect(new Set(meta.sopInstanceUids).size).toBe(60);
    expect(meta.modality).toBe("MR");
    expect(meta.acquisition.echoTime).toBe(4.2);
    expect(meta.acquisition.repetitionTime).toBe(8.2);
    const role = classifySeriesRole(meta);
    expect(role.role).toBe("CE-T1");
    expect(role.reasons.join("; ")).toMatch(/pe1/);
    // ContrastBolusAgent says NONE on this derived map: the contrast evidence is weak, and so is the confidence.
    expect(role.confidence).toBeCloseTo(0.65, 10);
  });

  it("reproduces the MIRP NIfTI of the STS MR series voxel for voxel", async () => {
    const base = path.join(TESTDATA, "mirp_sts/STS_002/MR_T1");
    const [{ volume: v, meta }] = await readDicomSeries(readDir(path.join(base, "dicom/image")));
    const nii = readNifti(new Uint8Array(readFileSync(path.join(base, "nifti/image/image.nii.gz"))));
    expect(v.dims).toEqual(nii.dims);
    for (let a = 0; a < 3; a++) {
      expect(v.origin[a]).toBeCloseTo(nii.origin[a], 4);
      expect(v.spacing[a]).toBeCloseTo(nii.spacing[a], 5);
    }
    expect(v.direction).toEqual(nii.direction);
    let diff = 0;
    for (let i = 0; i < v.data.length; i++) if (v.data[i] !== nii.data[i]) diff++;
    expect(diff).toBe(0);
    expect(sum(v.data)).toBe(167980381);
    // The STS description says T1 but carries no contrast evidence: not a CE-T1 model input.
    const role = classifySeriesRole(meta);
    expect(role.role).toBe("other");
    expect(role.reasons.join("; ")).toMatch(/T1 keyword "t1"/);
  });

  it("reads single-frame images and their enhanced multi-frame twin to the same volume (dcmqi 23x38x3)", async () => {
    const base = path.join(TESTDATA, "dcmqi/segmentations/23x38x3");
    const [single] = await readDicomSeries(readDir(path.join(base, "image")));
    const [multi] = await readDicomSeries(readDir(path.join(base, "multiframe")));
    expect(single.volume.dims).toEqual([23, 38, 3]);
    expect(multi.volume.dims).toEqual(single.volume.dims);
    expect(multi.volume.spacing).toEqual(single.volume.spacing);
    expect(multi.volume.origin).toEqual(single.volume.origin);
    expect(multi.volume.direction).toEqual(single.volume.direction);
    expect(Array.from(multi.volume.data)).toEqual(Array.from(single.volume.data));
    expect(multi.meta.frameNumbers).toEqual([1, 2, 3].map((f) => multi.meta.frameNumbers[f - 1]));
  });

  it("applies rescale slope/intercept (CT, intercept -1024), skips SEG objects, and refuses pydicom's gapped CT2 set", async () => {
    const dir = path.join(TESTDATA, "pydicom/test_files/dicomdirtests/77654033/CT2");
    // 17106 sits at z=-99.48, the other three at 103.02/104.27/105.52: a real gap.
    await expect(readDicomSeries(readDir(dir))).rejects.toMatchObject({
      code: "SERIES_INCONSISTENT",
      message: expect.stringMatching(/gap of 202.500 mm/),
    });
    const names = ["17136", "17166", "17196"];
    const seg = new Uint8Array(readFileSync(path.join(TESTDATA, "highdicom/seg_image_ct_binary.dcm")));
    const series = await readDicomSeries([...names.map((n) => new Uint8Array(readFileSync(path.join(dir, n)))), seg]);
    expect(series).toHaveLength(1);
    const v = series[0].volume;
    expect(v.dims).toEqual([16, 16, 3]);
    expect(v.spacing[2]).toBeCloseTo(1.25, 5);
    const storedSum = names.reduce(
      (a, n) => a + JSON.parse(readFileSync(path.join(dir, `${n}.json`), "utf8")).stored_value_sum,
      0,
    );
    expect(sum(v.data)).toBe(storedSum - 1024 * 16 * 16 * 3);
    expect(classifySeriesRole(series[0].meta).role).toBe("CT");
  });

  it("rejects duplicated slices and gaps with SERIES_INCONSISTENT", async () => {
    const files = readDir(path.join(TESTDATA, "mirp_sts/STS_002/MR_T1/dicom/image"));
    await expect(readDicomSeries([...files, files[3]])).rejects.toMatchObject({
      code: "SERIES_INCONSISTENT",
      message: expect.stringMatching(/same slice position/),
    });
    const withGap = files.filter((_, i) => i !== 10);
    await expect(readDicomSeries(withGap)).rejects.toMatchObject({
      code: "SERIES_INCONSISTENT",
      message: expect.stringMatching(/uneven slice spacing/),
    });
  });

  describe.skipIf(!existsSync(IBSI_CT))("IBSI CT phantom (../shared/data/ibsi/ct_phantom)", () => {
    it("DICOM series equals the NIfTI image", async () => {
      const [{ volume: v }] = await readDicomSeries(readDir(path.join(IBSI_CT, "dicom/image")));
      const nii = readNifti(new Uint8Array(readFileSync(path.join(IBSI_CT, "nifti/image/phantom.nii.gz"))));
      expect(v.dims).toEqual(nii.dims);
      expect(sum(v.data)).toBe(sum(nii.data));
      expect(sum(v.data)).toBe(-655581056);
      let diff = 0;
      for (let i = 0; i < v.data.length; i++) if (v.data[i] !== nii.data[i]) diff++;
      expect(diff).toBe(0);
    });
  });
  if (!existsSync(IBSI_CT)) console.warn(`IBSI CT phantom absent at ${IBSI_CT}: its series test is skipped`);
});

describe("orderPlanes consistency checks", () => {
  const plane = (z: number, over: Partial<ImagePlane> = {}): ImagePlane => ({
    fileIndex: 0,
    frame: 0,
    sopInstanceUid: `1.2.${z}`,
    instanceNumber: undefined,
    rows: 4,
    columns: 5,
    position: [0, 0, z],
    rowDir: [1, 0, 0],
    colDir: [0, 1, 0],
    spacingColRow: [0.5, 0.6],
    slope: 1,
    intercept: 0,
    phase: {},
    ...over,
  });
  it("orders by position along the normal and reports the grid", () => {
    const g = orderPlanes([plane(6), plane(0), plane(3)], "t");
    expect(g.planes.map((p) => p.position[2])).toEqual([0, 3, 6]);
    expect(g.dims).toEqual([5, 4, 3]);
    expect(g.spacing).toEqual([0.5, 0.6, 3]);
    expect(g.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
  it("rejects mixed orientations, sizes, spacings and in-plane shifts", () => {
    expect(() => orderPlanes([plane(0), plane(3, { rowDir: [0, 1, 0], colDir: [0, 0, -1] })], "t")).toThrow(
      /different orientations/,
    );
    expect(() => orderPlanes([plane(0), plane(3, { rows: 5 })], "t")).toThrow(/image sizes differ/);
    expect(() => orderPlanes([plane(0), plane(3, { spacingColRow: [0.5, 0.7] })], "t")).toThrow(
      /pixel spacing differs/,
    );
    expect(() => orderPlanes([plane(0), plane(3, { position: [1, 0, 3] })], "t")).toThrow(/shifted in-plane/);
  });
});

describe("multi-phase series", () => {
  const series = "1.2.826.0.1.3680043.10.1.77";
  it("splits repeated slice positions by TemporalPositionIdentifier into ordered phases", async () => {
    const files = [2, 1, 3].flatMap((t) =>
      [0, 2, 4].map((z) =>
        syntheticSlice({ seriesUid: series, z, value: 100 * t + z, extra: { TemporalPositionIdentifier: String(t) } }),
      ),
    );
    const out = await readDicomSeries(files);
    expect(out.map((s) => s.meta.phase)).toEqual(
      [1, 2, 3].map((t) => ({ key: "TemporalPositionIdentifier", value: String(t) })),
    );
    out.forEach((s, p) => {
      expect(s.volume.dims).toEqual([4, 3, 3]);
      expect(s.volume.spacing[2]).toBeCloseTo(2, 10);
      expect(Array.from(s.volume.data.filter((_, i) => i % 12 === 0))).toEqual([0, 2, 4].map((z) => 100 * (p + 1) + z));
    });
  });
  it("repeats that no attribute separates stay a SERIES_INCONSISTENT error", async () => {
    const files = [1, 2].flatMap(() => [0, 2].map((z) => syntheticSlice({ seriesUid: series, z, value: z })));
    await expect(readDicomSeries(files)).rejects.toMatchObject({
      code: "SERIES_INCONSISTENT",
      message: expect.stringMatching(/same slice position/),
    });
  });
});

describe("rescale", () => {
  it("per-slice non-integer slopes give Float32 values stored*slope+intercept; integer rescale keeps integers", async () => {
    const uid = "1.2.826.0.1.3680043.10.1.78";
    const files = [0, 1, 2].map((k) =>
      syntheticSlice({
        seriesUid: uid,
        z: 3 * k,
        value: 10 + k,
        extra: { RescaleSlope: k === 1 ? "0.5" : "1", RescaleIntercept: "-2.25" },
      }),
    );
    const [s] = await readDicomSeries(files);
    expect(s.volume.data).toBeInstanceOf(Float32Array);
    expect([0, 12, 24].map((i) => s.volume.data[i])).toEqual([10 - 2.25, 11 * 0.5 - 2.25, 12 - 2.25]);
    expect(s.meta.rescaleSlopes).toEqual([1, 0.5, 1]);
    const ints = [0, 1].map((k) =>
      syntheticSlice({
        seriesUid: uid + ".1",
        z: 3 * k,
        value: 60000,
        extra: { RescaleSlope: "1", RescaleIntercept: "-1024" },
      }),
    );
    const [t] = await readDicomSeries(ints);
    expect(t.volume.data).toBeInstanceOf(Int32Array); // 60000 - 1024 does not fit Int16
    expect(t.volume.data[0]).toBe(58976);
  });
});
