import path from "node:path";
import { expect, test } from "@playwright/test";
import { writeNifti } from "../lib/imaging/nifti";
import { makeVolume, type Direction, type Vec3 } from "../lib/imaging/volume";
import { signInAsRadiologist } from "./helpers";

const SEG = path.resolve("lib/testdata/breast_mri_ucsf_br_06/mask/seg_breast_fractional.dcm");

test("DICOM SEG and NIfTI masks that fit the series are accepted; a mask of the wrong size is refused with the reason", async ({
  page,
}, info) => {
  await signInAsRadiologist(page);
  await page.locator("[data-testid=worklist-table] a", { hasText: "Breast-MRI" }).first().click();
  await expect(page.getByRole("button", { name: "Brush", exact: true })).toBeEnabled({ timeout: 60_000 });
  const upload = page.getByTestId("roi-upload");

  await upload.setInputFiles(SEG);
  await expect(page.getByTestId("roi-message")).toContainText("seg_breast_fractional.dcm accepted as ROI version");

  const patientId = page.url().split("/").pop()!;
  const patient = await (await page.request.get(`/api/patients/${patientId}`)).json();
  const series = patient.patient.studies[0].series[0];
  const g = series.geometry as { dims: Vec3; spacing: Vec3; origin: Vec3; direction: Direction };
  const n = g.dims[0] * g.dims[1] * g.dims[2];
  const fits = new Uint8Array(n);
  for (let k = 25; k < 30; k++)
    for (let j = 100; j < 140; j++)
      for (let i = 100; i < 140; i++) fits[i + j * g.dims[0] + k * g.dims[0] * g.dims[1]] = 1;
  await upload.setInputFiles({
    name: "tumour.nii.gz",
    mimeType: "application/gzip",
    buffer: Buffer.from(writeNifti(makeVolume(fits, g), { gzip: true })),
  });
  await expect(page.getByTestId("roi-message")).toContainText("tumour.nii.gz accepted as ROI version");
  await expect(page.getByTestId("roi-status")).toContainText("8000 voxels");

  const small = makeVolume(new Uint8Array(32 * 32 * 8).fill(1), {
    dims: [32, 32, 8],
    spacing: g.spacing,
    origin: g.origin,
    direction: g.direction,
  });
  await upload.setInputFiles({
    name: "wrong-size.nii.gz",
    mimeType: "application/gzip",
    buffer: Buffer.from(writeNifti(small, { gzip: true })),
  });
  await expect(page.getByTestId("roi-message")).toContainText("not on the same voxel grid");
  await expect(page.getByTestId("roi-message")).toContainText("dims 32x32x8 vs 256x256x60");
  await expect(page.getByTestId("roi-status")).toContainText("8000 voxels"); // nothing stored for the refused mask
  await page.screenshot({ path: info.outputPath("mask-refused.png") });
});
