/**
 * Issue 17 item 3: an RTSTRUCT uploaded onto its series gives exactly the voxels `nac mask convert` writes for it
 * (MIRP soft-tissue sarcoma MR and its GTV contour); several ROIs need a choice by name.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isNacError } from "../errors";
import { loadDicomSeries, loadMask } from "../imaging/node/load-volume";
import { runCli } from "../../scripts/cli/testdata/run-cli";
import { register as registerMask } from "../../scripts/cli/mask";
import { maskFromUpload } from "./roi";

const DIR = path.resolve("lib/testdata/mirp_sts/STS_002/MR_T1/dicom");
const tmp = mkdtempSync(path.join(os.tmpdir(), "nac-rtstruct-upload-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The RTSTRUCT with its ROI duplicated under another name and number (a file holding two ROIs). */
function withSecondRoi(bytes: Uint8Array): Uint8Array {
  // Rewritten with dcmjs, the library the SEG writer already uses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dcmjs = require("dcmjs");
  const dict = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
  const asList = <T>(x: T | T[]) => (Array.isArray(x) ? x : [x]);
  const ssroi = asList(ds.StructureSetROISequence);
  const contours = asList(ds.ROIContourSequence);
  ds.StructureSetROISequence = [...ssroi, { ...ssroi[0], ROINumber: 99, ROIName: "Copy" }];
  ds.ROIContourSequence = [...contours, { ...contours[0], ReferencedROINumber: 99 }];
  if (ds.RTROIObservationsSequence) {
    const obs = asList(ds.RTROIObservationsSequence);
    ds.RTROIObservationsSequence = [...obs, { ...obs[0], ObservationNumber: 99, ReferencedROINumber: 99 }];
  }
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds);
  return new Uint8Array(dict.write());
}

describe("RTSTRUCT upload onto its series", async () => {
  const [series] = await loadDicomSeries(path.join(DIR, "image"));
  const grid = {
    ...series.volume,
    sopInstanceUids: series.meta.sopInstanceUids,
    frameNumbers: series.meta.frameNumbers,
  };
  const rs = new Uint8Array(readFileSync(path.join(DIR, "mask/RS.dcm")));

  it("equals `nac mask convert` voxel for voxel", async () => {
    const uploaded = await maskFromUpload(grid, "RS.dcm", rs, { frameOfReferenceUid: series.meta.frameOfReferenceUid });
    const out = path.join(tmp, "convert.nrrd");
    await runCli(
      [registerMask],
      [
        "mask",
        "convert",
        "--mask",
        path.join(DIR, "mask/RS.dcm"),
        "--reference",
        path.join(DIR, "image"),
        "--out",
        out,
      ],
    );
    const converted = await loadMask(out);
    expect(uploaded.length).toBe(converted.data.length);
    let inside = 0,
      differ = 0;
    for (let i = 0; i < uploaded.length; i++) {
      if (uploaded[i]) inside++;
      if (!!uploaded[i] !== !!converted.data[i]) differ++;
    }
    expect(differ).toBe(0);
    expect(inside).toBeGreaterThan(15000); // MIRP's voxelisation has 17 090 voxels
  });

  it("asks for a choice when the file holds several ROIs, and takes the one named", async () => {
    const two = withSecondRoi(rs);
    try {
      await maskFromUpload(grid, "two.dcm", two);
      expect.unreachable();
    } catch (e) {
      expect(isNacError(e) && e.code).toBe("RTSTRUCT_ROI_CHOICE_REQUIRED");
      expect((e as { details?: { rois: { name: string }[] } }).details?.rois.map((r) => r.name)).toEqual([
        "GTV_Mass_MR_T1",
        "Copy",
      ]);
    }
    const byName = await maskFromUpload(grid, "two.dcm", two, { roi: "Copy" });
    const single = await maskFromUpload(grid, "RS.dcm", rs);
    expect(Buffer.from(byName).equals(Buffer.from(single))).toBe(true);
    await expect(maskFromUpload(grid, "two.dcm", two, { roi: "Liver" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses an RTSTRUCT drawn in another frame of reference", async () => {
    await expect(maskFromUpload(grid, "RS.dcm", rs, { frameOfReferenceUid: "1.2.3.4" })).rejects.toMatchObject({
      code: "GEOMETRY_MISMATCH",
    });
  });
});
