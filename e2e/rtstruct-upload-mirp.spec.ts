import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect as baseExpect, test } from "@playwright/test";
import { readNrrd } from "../lib/imaging/nrrd";
import { importSeriesAs, signInAsRadiologist } from "./helpers";
import { overlayPixels } from "./pixels";

const expect = baseExpect.configure({ timeout: 30_000 });
const sts = path.resolve("lib/testdata/mirp_sts/STS_002/MR_T1/dicom");

test("the MIRP sarcoma RTSTRUCT uploads through the viewer and matches `nac mask convert` voxel for voxel", async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  await signInAsRadiologist(page);
  // the MR series, imported as a user would, shown in the CE-T1 pane whatever the classifier called it
  const series = await importSeriesAs(page, path.join(sts, "image"), "CE_T1");
  await page.goto(`/patients/${series.patientId}`);
  await expect(page.getByRole("button", { name: "Save ROI" })).toBeEnabled({ timeout: 60_000 });
  const before = (await (await page.request.get(`/api/series/${series.seriesId}/rois`)).json()).rois.length as number;

  await page.getByTestId("roi-upload").setInputFiles(path.join(sts, "mask/RS.dcm"));
  await expect(page.getByTestId("roi-message")).toContainText(`RS.dcm accepted as ROI version ${before + 1}`, {
    timeout: 60_000,
  });
  await expect(page.getByTestId("roi-status")).toContainText("(uploaded)");
  await expect.poll(async () => (await overlayPixels(page, page.getByTestId("viewport-0"))).red).toBeGreaterThan(50);
  await page.screenshot({ path: info.outputPath("rtstruct-uploaded.png") });

  // the same file through the CLI, on the same DICOM grid
  const out = path.join(mkdtempSync(path.join(tmpdir(), "nac-rtstruct-")), "mask.nrrd");
  const cli = spawnSync(
    "npx",
    [
      "tsx",
      "scripts/nac.ts",
      "mask",
      "convert",
      "--mask",
      path.join(sts, "mask/RS.dcm"),
      "--reference",
      path.join(sts, "image"),
      "--out",
      out,
    ],
    { encoding: "utf8" },
  );
  expect(cli.status, cli.stderr).toBe(0);
  const expected = readNrrd(new Uint8Array(readFileSync(out))).data;
  const saved = (await (await page.request.get(`/api/series/${series.seriesId}/rois`)).json()).rois[0] as {
    id: string;
  };
  const got = gunzipSync(await (await page.request.get(`/api/rois/${saved.id}/mask`)).body());
  expect(got.length).toBe(expected.length);
  let diff = 0,
    count = 0;
  for (let p = 0; p < got.length; p++) {
    if ((got[p] ? 1 : 0) !== (expected[p] ? 1 : 0)) diff++;
    count += got[p] ? 1 : 0;
  }
  expect(count).toBe(17090);
  expect(diff).toBe(0);
});
