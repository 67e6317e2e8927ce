import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { deepestVoxel, dice } from "../lib/imaging/assisted-segmentation/click-protocol.testutil";
import { parseDicom } from "../lib/imaging/dicom";
import { loadDicomSeries } from "../lib/imaging/node/load-volume";
import { rasterizeRoi, readRtStruct } from "../lib/imaging/rtstruct";
import { readSeg } from "../lib/imaging/seg";
import type { Vec3 } from "../lib/imaging/volume";
import { importSeriesAs, signInAsRadiologist } from "./helpers";

const expect = baseExpect.configure({ timeout: 30_000 });
const sts = path.resolve("lib/testdata/mirp_sts/STS_002/MR_T1/dicom");
const breast = path.resolve("lib/testdata/breast_mri_ucsf_br_06");

/**
 * The first pane maximised (double-click), as a reader does to click precisely: more screen pixels per voxel; then
 * Space resets the view, fitting the image to the larger pane (a resize keeps the camera's scale).
 */
async function maximise(page: Page) {
  await page.getByTestId("viewport-0").dblclick();
  await expect.poll(async () => (await page.getByTestId("viewport-0").boundingBox())!.height).toBeGreaterThan(700);
  await page.keyboard.press(" ");
}

/**
 * The click protocol of lib/imaging/assisted-segmentation/click-protocol.testutil.ts, played by a user in the viewer:
 * click 1 at the reference's deepest voxel, then up to two corrections at the deepest voxel of the larger error
 * (shift-click: more lesion; alt-click: background). After each click the ROI is saved and its voxels scored.
 */
async function clickProtocol(
  page: Page,
  seriesId: string,
  reference: { data: Uint8Array; dims: Vec3; spacing: Vec3 },
  polarity: "bright" | "dark",
  target: number,
): Promise<number[]> {
  const pane = page.getByTestId("viewport-0");
  const slice = page.getByTestId("slice-0");
  const current = () => slice.textContent().then((t) => Number(t!.match(/slice (\d+)/)![1]) - 1);
  const [nx, ny] = reference.dims;
  const scores: number[] = [];
  let voxel = deepestVoxel(reference.data, reference)!;
  let kind: "new" | "foreground" | "background" = "new";
  for (let n = 1; n <= 3; n++) {
    // one slice per key press, each seen on the pane before the next (a press sent on a stale label overshoots)
    for (let k = await current(); k !== voxel[2]; k += k < voxel[2] ? 1 : -1) {
      await page.keyboard.press(k < voxel[2] ? "ArrowDown" : "ArrowUp");
      await expect(slice).toContainText(`slice ${k + (k < voxel[2] ? 1 : -1) + 1} /`);
    }
    // Cornerstone fits the image (first to last pixel centre) into the pane, centred; no zoom or pan here.
    const box = (await pane.boundingBox())!;
    const [sx, sy] = reference.spacing;
    const scale = Math.min(box.width / ((nx - 1) * sx), box.height / ((ny - 1) * sy));
    const x = box.x + box.width / 2 + (voxel[0] - (nx - 1) / 2) * sx * scale;
    const y = box.y + box.height / 2 + (voxel[1] - (ny - 1) / 2) * sy * scale;
    const modifier = kind === "foreground" ? "Shift" : kind === "background" ? "Alt" : null;
    if (modifier) await page.keyboard.down(modifier);
    await page.mouse.click(x, y);
    if (modifier) await page.keyboard.up(modifier);
    const done = { new: "lesion grown", foreground: "seed added", background: "background seed added" }[kind];
    await expect(page.getByTestId("roi-message")).toContainText(`${polarity} ${done}`, { timeout: 60_000 });
    // the click seeded the voxel aimed at (the breast case's result changes with a one-voxel shift of a seed)
    const seeded = (await page.getByTestId("seed-0").getAttribute("data-last-seed"))!.split(",").map(Number);
    console.log(`click ${n} (${kind}) aimed at voxel ${voxel.join(",")}, seeded ${seeded.join(",")}`);
    expect(seeded).toEqual(voxel);

    const versions = (await (await page.request.get(`/api/series/${seriesId}/rois`)).json()).rois.length as number;
    await page.getByRole("button", { name: "Save ROI" }).click();
    await expect(page.getByTestId("roi-message")).toContainText(`ROI version ${versions + 1} saved`, {
      timeout: 60_000,
    });
    const saved = (await (await page.request.get(`/api/series/${seriesId}/rois`)).json()).rois[0] as { id: string };
    const mask = gunzipSync(await (await page.request.get(`/api/rois/${saved.id}/mask`)).body());
    expect(mask.length).toBe(reference.data.length);
    scores.push(dice(mask, reference.data));
    if (scores[scores.length - 1] >= target || n === 3) break;

    const fn = new Uint8Array(mask.length),
      fp = new Uint8Array(mask.length);
    let nFn = 0,
      nFp = 0;
    for (let p = 0; p < mask.length; p++) {
      if (reference.data[p] && !mask[p]) {
        fn[p] = 1;
        nFn++;
      } else if (!reference.data[p] && mask[p]) {
        fp[p] = 1;
        nFp++;
      }
    }
    kind = nFn >= nFp ? "foreground" : "background";
    voxel = deepestVoxel(kind === "foreground" ? fn : fp, reference)!;
  }
  return scores;
}

test("one click in a real lesion (sarcoma on T1, dark) and at most two corrections match its RTSTRUCT: Dice >= 0.75", async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await signInAsRadiologist(page);
  // the MR series the RTSTRUCT refers to, imported as a user would, shown in the first pane
  const series = await importSeriesAs(page, path.join(sts, "image"), "CE_T1");

  // the reference: the RTSTRUCT's voxels on the series grid (as `nac mask convert` gives them)
  const [image] = await loadDicomSeries(path.join(sts, "image"));
  const rs = readRtStruct(parseDicom(new Uint8Array(readFileSync(path.join(sts, "mask/RS.dcm")))));
  const reference = rasterizeRoi(rs.rois[0], { ...image.volume, frameOfReferenceUid: image.meta.frameOfReferenceUid });

  await page.goto(`/patients/${series.patientId}`);
  await expect(page.getByRole("button", { name: "One-click", exact: true })).toBeEnabled({ timeout: 60_000 });
  await page.getByRole("button", { name: "Clear", exact: true }).click(); // start from an empty labelmap
  await expect(page.getByTestId("roi-message")).toContainText(/ROI cleared|already empty/);
  await maximise(page);
  await page.keyboard.press("g");
  await page.keyboard.press("p"); // the sarcoma is darker than the fat around it on T1
  await expect(page.getByTestId("polarity-dark")).toHaveAttribute("aria-pressed", "true");

  const scores = await clickProtocol(page, series.seriesId, reference, "dark", 0.75);
  console.log(`STS_002 one-click Dice per click through the viewer: ${scores.map((d) => d.toFixed(3)).join(", ")}`);
  info.annotations.push({ type: "dice", description: scores.map((d) => d.toFixed(3)).join(", ") });
  await page.screenshot({ path: info.outputPath("sarcoma-one-click.png") });
  await expect(page.getByTestId("roi-status")).toContainText("(assisted)");
  expect(scores.length).toBeLessThanOrEqual(3);
  expect(scores[scores.length - 1]).toBeGreaterThanOrEqual(0.75);
});

test("one click in a real breast lesion (PE1 map, bright) and at most two corrections match the FTV reference: Dice >= 0.80", async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await signInAsRadiologist(page);
  // the PE1 map imported by the global setup, in the CE-T1 pane
  await page.locator("[data-testid=worklist-table] a", { hasText: "Breast-MRI" }).first().click();
  await expect(page.getByRole("button", { name: "One-click", exact: true })).toBeEnabled({ timeout: 60_000 });
  const patientId = page.url().split("/").pop()!;
  const series = (await (await page.request.get(`/api/patients/${patientId}`)).json()).patient.studies
    .flatMap((s: { series: { id: string; role: string }[] }) => s.series)
    .find((s: { role: string }) => s.role === "CE_T1") as { id: string };

  // FTV (docs/ASSISTED_SEGMENTATION.md "Accuracy"): the SEG's analysis VOI (fractional >= 0.5) ∩ PE1 >= 70 %
  const [pe1] = await loadDicomSeries(path.join(breast, "image_dce_pe1"));
  const v = pe1.volume;
  const seg = await readSeg(
    parseDicom(new Uint8Array(readFileSync(path.join(breast, "mask/seg_breast_fractional.dcm")))),
    { ...v, sopInstanceUids: pe1.meta.sopInstanceUids, frameOfReferenceUid: pe1.meta.frameOfReferenceUid },
    { fractionalThreshold: 0.5 },
  );
  const voi = seg.segments[0].mask.data;
  const ftv = new Uint8Array(voi.length);
  for (let p = 0; p < ftv.length; p++) ftv[p] = voi[p] && v.data[p] >= 70 ? 1 : 0;
  expect(ftv.reduce((a, b) => a + b, 0)).toBe(41_759);

  await page.getByRole("button", { name: "Clear", exact: true }).click();
  await expect(page.getByTestId("roi-message")).toContainText(/ROI cleared|already empty/);
  await maximise(page);
  await page.keyboard.press("g");
  await expect(page.getByTestId("polarity-bright")).toHaveAttribute("aria-pressed", "true");
  const scores = await clickProtocol(page, series.id, { data: ftv, dims: v.dims, spacing: v.spacing }, "bright", 0.8);
  console.log(
    `UCSF-BR-06 one-click Dice per click vs FTV through the viewer: ${scores.map((d) => d.toFixed(3)).join(", ")}`,
  );
  info.annotations.push({ type: "dice", description: scores.map((d) => d.toFixed(3)).join(", ") });
  await page.screenshot({ path: info.outputPath("breast-one-click.png") });
  expect(scores.length).toBeLessThanOrEqual(3);
  expect(scores[scores.length - 1]).toBeGreaterThanOrEqual(0.8);
});
