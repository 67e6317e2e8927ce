import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAsRadiologist } from "./helpers";

test("importing a non-DICOM file and a truncated DICOM gives a clear per-file error and stores nothing of them", async ({
  page,
}, info) => {
  await signInAsRadiologist(page);
  const before = await (await page.request.get("/api/patients")).json();
  const dicom = readFileSync(path.resolve("lib/testdata/breast_mri_ucsf_br_06/image_dce_pe1/1-01.dcm"));
  await page.getByTestId("import-files").setInputFiles([
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("this is not a DICOM file") },
    { name: "truncated.dcm", mimeType: "application/dicom", buffer: dicom.subarray(0, Math.floor(dicom.length * 0.6)) },
  ]);
  const errors = page.getByTestId("import-errors");
  await expect(errors).toContainText("notes.txt");
  await expect(errors).toContainText("truncated.dcm");
  await expect(errors).toContainText("DICOM_MALFORMED");
  await expect(page.getByTestId("import-result")).toContainText("Imported 0, duplicates 0, ignored 0, errors 2");
  await page.screenshot({ path: info.outputPath("import-errors.png"), fullPage: true });
  const after = await (await page.request.get("/api/patients")).json();
  expect(after.patients.length).toBe(before.patients.length);
});
