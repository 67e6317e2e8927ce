/**
 * CLI `mask convert` and `dicom info`, run in-process through commander (fast), plus one real process run for the
 * exit-code / one-line-error contract of scripts/nac.ts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./testdata/run-cli";
import { readNifti } from "../../lib/imaging/nifti";
import { readNrrd } from "../../lib/imaging/nrrd";
import { register as registerDicom } from "./dicom";
import { register as registerMask } from "./mask";

const root = path.resolve(import.meta.dirname, "../..");
const T = path.join(root, "lib/testdata");

const nac = (args: string[]) => runCli([registerDicom, registerMask], args);

describe("nac mask convert / dicom info", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "nac-mask-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sts = path.join(T, "mirp_sts/STS_002/MR_T1");

  it("RTSTRUCT -> SEG -> NRRD on the NIfTI grid reproduces MIRP's mask and prints the voxel count", async () => {
    const seg = path.join(dir, "sts.dcm");
    const a = await nac([
      "mask",
      "convert",
      "--mask",
      path.join(sts, "dicom/mask/RS.dcm"),
      "--reference",
      path.join(sts, "dicom/image"),
      "--out",
      seg,
    ]);
    expect(JSON.parse(a).segments).toEqual([{ number: 1, label: "GTV_Mass_MR_T1", voxels: 17090 }]);
    const nrrd = path.join(dir, "sts.nrrd");
    const b = await nac([
      "mask",
      "convert",
      "--mask",
      seg,
      "--reference",
      path.join(sts, "nifti/image/image.nii.gz"),
      "--out",
      nrrd,
    ]);
    expect(JSON.parse(b).segments[0].voxels).toBe(17090);
    const got = readNrrd(new Uint8Array(readFileSync(nrrd)));
    const ref = readNifti(new Uint8Array(readFileSync(path.join(sts, "nifti/mask/mask.nii.gz"))));
    let diff = 0;
    for (let i = 0; i < ref.data.length; i++) if (got.data[i] !== ref.data[i]) diff++;
    expect(diff).toBe(0);
  });

  it("NIfTI label map -> .nii.gz keeps labels; overlapping SEG segments into one label map is DATA_INVALID", async () => {
    const out = path.join(dir, "m.nii.gz");
    const r = await nac([
      "mask",
      "convert",
      "--mask",
      path.join(sts, "nifti/mask/mask.nii.gz"),
      "--reference",
      path.join(sts, "nifti/image/image.nii.gz"),
      "--out",
      out,
    ]);
    expect(JSON.parse(r).segments).toEqual([{ number: 1, label: "Label 1", voxels: 17090 }]);
    await expect(
      nac([
        "mask",
        "convert",
        "--mask",
        path.join(T, "dcmqi/segmentations/partial_overlaps.dcm"),
        "--reference",
        path.join(T, "dcmqi/segmentations/ct-3slice"),
        "--out",
        path.join(dir, "po.nrrd"),
      ]),
    ).rejects.toMatchObject({ code: "DATA_INVALID", message: expect.stringMatching(/overlap/) });
    const one = await nac([
      "mask",
      "convert",
      "--mask",
      path.join(T, "dcmqi/segmentations/partial_overlaps.dcm"),
      "--reference",
      path.join(T, "dcmqi/segmentations/ct-3slice"),
      "--out",
      path.join(dir, "po2.nrrd"),
      "--segment",
      "2",
    ]);
    expect(JSON.parse(one).segments).toEqual([{ number: 2, label: "ORANGE", voxels: 11888 }]);
  });

  it("dicom info prints the reference keys", async () => {
    const info = JSON.parse(await nac(["dicom", "info", path.join(T, "pydicom/test_files/JPGExtended.dcm")]));
    expect(info).toMatchObject({
      transfer_syntax_uid: "1.2.840.10008.1.2.4.51",
      rows: 1024,
      columns: 256,
      stored_value_sum: 3767007,
      stored_value_min: 0,
      stored_value_max: 264,
    });
  });

  it("dicom series lists the series with geometry and a role suggestion", async () => {
    const list = JSON.parse(await nac(["dicom", "series", path.join(sts, "dicom")]));
    expect(list).toHaveLength(1); // the RTSTRUCT in dicom/mask is not an image series
    expect(list[0]).toMatchObject({ modality: "MR", dims: [115, 90, 35], role: { role: "other" } });
  });

  it("a malformed file exits 2 with one line on stderr and nothing on stdout (real process)", () => {
    const bad = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(root, "scripts/nac.ts"),
        "dicom",
        "info",
        path.join(T, "pydicom/test_files/MR_truncated.dcm"),
      ],
      { cwd: root, encoding: "utf8" },
    );
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr.trim()).toMatch(/^error DICOM_MALFORMED: /);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});
