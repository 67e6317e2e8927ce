/**
 * RTSTRUCT -> mask: STS MR (MIRP's NIfTI mask, 17,090 voxels) and the IBSI CT phantom (125,256 voxels, from
 * ../shared when present) voxel for voxel; the even-odd/centre rule on synthetic polygons.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readNifti } from "../nifti";
import { readDicomSeries } from "../series";
import { makeVolume, type Vec3 } from "../volume";
import { countVoxels, rasterizeRoi } from "./rasterize";
import { readRtStruct, type RtRoi } from "./read-rtstruct";

const TESTDATA = path.resolve(import.meta.dirname, "../../testdata");
const IBSI_CT = path.resolve(import.meta.dirname, "../../..", "../shared/data/ibsi/ct_phantom");
const bytes = (p: string) => new Uint8Array(readFileSync(p));
const readDir = (d: string) =>
  readdirSync(d)
    .filter((f) => !f.endsWith(".json"))
    .map((f) => bytes(path.join(d, f)));

function differing(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) if ((a[i] ? 1 : 0) !== (b[i] ? 1 : 0)) d++;
  return d;
}

describe("rasterizeRoi on reference data", () => {
  it("STS MR RTSTRUCT gives MIRP's 17,090-voxel mask exactly, on the NIfTI grid and on the DICOM series grid", async () => {
    const base = path.join(TESTDATA, "mirp_sts/STS_002/MR_T1");
    const rt = readRtStruct(bytes(path.join(base, "dicom/mask/RS.dcm")));
    expect(rt.rois.map((r) => r.name)).toEqual(["GTV_Mass_MR_T1"]);
    expect(rt.rois[0].contours).toHaveLength(16);
    const ref = readNifti(bytes(path.join(base, "nifti/mask/mask.nii.gz")));
    const onNifti = rasterizeRoi(rt.rois[0], ref);
    expect(countVoxels(onNifti)).toBe(17090);
    expect(differing(onNifti.data, ref.data)).toBe(0);
    const [series] = await readDicomSeries(readDir(path.join(base, "dicom/image")));
    const onSeries = rasterizeRoi(rt.rois[0], {
      ...series.volume,
      frameOfReferenceUid: series.meta.frameOfReferenceUid,
    });
    expect(differing(onSeries.data, ref.data)).toBe(0);
    expect(() => rasterizeRoi(rt.rois[0], { ...series.volume, frameOfReferenceUid: "1.2.3" })).toThrow(
      /frame of reference/,
    );
  });

  describe.skipIf(!existsSync(IBSI_CT))("IBSI CT phantom (../shared/data/ibsi/ct_phantom)", () => {
    it("GTV-1 rasterises to the NIfTI mask's 125,256 voxels, voxel for voxel", () => {
      const rt = readRtStruct(bytes(path.join(IBSI_CT, "dicom/mask/DCM_RS_00060.dcm")));
      const ref = readNifti(bytes(path.join(IBSI_CT, "nifti/mask/mask.nii.gz")));
      const gtv = rt.rois.find((r) => r.name === "GTV-1")!;
      const m = rasterizeRoi(gtv, ref);
      expect(countVoxels(m)).toBe(125256);
      expect(differing(m.data, ref.data)).toBe(0);
    });
  });
  if (!existsSync(IBSI_CT)) console.warn(`IBSI CT phantom absent at ${IBSI_CT}: its RTSTRUCT test is skipped`);
});

describe("rasterizeRoi inclusion rule", () => {
  const grid = makeVolume(new Uint8Array(10 * 10 * 3), { dims: [10, 10, 3], spacing: [1, 1, 2], origin: [0, 0, 0] });
  const square = (a: number, b: number, z: number): Vec3[] => [
    [a, a, z],
    [b, a, z],
    [b, b, z],
    [a, b, z],
  ];
  const roi = (...contours: Vec3[][]): RtRoi => ({
    number: 1,
    name: "t",
    contours: contours.map((points) => ({ geometricType: "CLOSED_PLANAR", points, imageUids: [] })),
  });

  it("includes voxel centres inside (half-open edges) on the contour's slice only", () => {
    const m = rasterizeRoi(roi(square(1.5, 4.5, 2)), grid);
    // centres 2,3,4 in x and y on slice k=1 (z=2)
    expect(countVoxels(m)).toBe(9);
    expect(m.data[1 * 100 + 2 * 10 + 2]).toBe(1);
    expect(m.data[0 * 100 + 2 * 10 + 2]).toBe(0);
    // a square with edges through centres: left/top edge in, right/bottom edge out
    expect(countVoxels(rasterizeRoi(roi(square(2, 5, 0)), grid))).toBe(9);
  });
  it("treats a nested contour as a hole (even-odd)", () => {
    expect(countVoxels(rasterizeRoi(roi(square(0.5, 8.5, 4), square(2.5, 5.5, 4)), grid))).toBe(64 - 9);
  });
  it("rejects contours between slices or outside the grid, and ROIs without closed contours", () => {
    expect(() => rasterizeRoi(roi(square(1.5, 4.5, 1)), grid)).toThrow(/off the image's slice planes/);
    expect(() => rasterizeRoi(roi(square(1.5, 4.5, 10)), grid)).toThrow(/outside the image/);
    expect(() =>
      rasterizeRoi(
        { number: 1, name: "p", contours: [{ geometricType: "POINT", points: [[1, 1, 0]], imageUids: [] }] },
        grid,
      ),
    ).toThrow(/no closed planar contour/);
  });
});
