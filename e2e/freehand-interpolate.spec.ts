import { expect as baseExpect, test, type Page } from "@playwright/test";
import { signInAsRadiologist, spareSyntheticPatient } from "./helpers";
import { overlayPixels } from "./pixels";

// saves, refreshes and reformatting can take well over the default 10 s when the shared 2-core machine is busy
const expect = baseExpect.configure({ timeout: 30_000 });

/** A closed freehand outline (a circle of `r` CSS pixels) drawn with the mouse on the element's centre. */
async function drawCircle(page: Page, box: { x: number; y: number; width: number; height: number }, r: number) {
  const cx = box.x + box.width / 2,
    cy = box.y + box.height / 2;
  await page.mouse.move(cx + r, cy);
  await page.mouse.down();
  for (let t = 1; t <= 36; t++)
    await page.mouse.move(cx + r * Math.cos((t * Math.PI) / 18), cy + r * Math.sin((t * Math.PI) / 18));
  await page.mouse.up();
}

test("freehand outlines on two CE-T1 slices four apart, undo/redo, interpolate, save: the slices between are filled and saved", async ({
  page,
}, info) => {
  test.setTimeout(240_000); // many element screenshots; slow when the shared 2-core machine is busy
  await signInAsRadiologist(page);
  await page.goto(`/patients/${await spareSyntheticPatient(page, { ceT1Roi: false })}`);
  const pane = page.getByTestId("viewport-0");
  const slice = page.getByTestId("slice-0");
  await expect(page.getByRole("button", { name: "Freehand", exact: true })).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId("roi-status")).toHaveText("no ROI saved");
  const empty = await overlayPixels(page, pane);

  await page.getByRole("button", { name: "Freehand", exact: true }).click();
  const overlay = page.getByTestId("freehand-0");
  await expect(overlay).toBeVisible();
  const box = (await overlay.boundingBox())!;
  const first = Number((await slice.textContent())!.match(/slice (\d+)/)![1]);

  await drawCircle(page, box, 40);
  await expect(page.getByTestId("roi-message")).toContainText(`freehand outline filled on slice ${first}`);
  const filledA = Number((await page.getByTestId("roi-message").textContent())!.match(/\((\d+) pixels\)/)![1]);
  await expect
    .poll(async () => (await overlayPixels(page, pane)).red, { timeout: 30_000 })
    .toBeGreaterThan(empty.red + 400);
  await page.screenshot({ path: info.outputPath("freehand-first.png") });

  // undo removes the fill, redo brings it back (one history step each)
  await page.getByRole("button", { name: "Undo" }).click();
  await expect
    .poll(async () => (await overlayPixels(page, pane)).red, { timeout: 30_000 })
    .toBeLessThan(empty.red + 50);
  await page.getByRole("button", { name: "Redo" }).click();
  await expect
    .poll(async () => (await overlayPixels(page, pane)).red, { timeout: 30_000 })
    .toBeGreaterThan(empty.red + 400);

  // four slices on (keyboard: one slice per key press), a slightly larger outline
  await page.getByTestId("viewer").focus();
  for (let n = 0; n < 4; n++) await page.keyboard.press("ArrowDown");
  await expect(slice).toContainText(`slice ${first + 4} /`);
  await drawCircle(page, box, 48);
  await expect(page.getByTestId("roi-message")).toContainText(`freehand outline filled on slice ${first + 4}`);
  const filledB = Number((await page.getByTestId("roi-message").textContent())!.match(/\((\d+) pixels\)/)![1]);

  // the slice in between is empty before interpolation, filled after
  await page.getByTestId("viewer").focus();
  for (let n = 0; n < 2; n++) await page.keyboard.press("ArrowUp");
  await expect(slice).toContainText(`slice ${first + 2} /`);
  await expect
    .poll(async () => (await overlayPixels(page, pane)).red, { timeout: 30_000 })
    .toBeLessThan(empty.red + 50);
  await page.getByRole("button", { name: "Interpolate" }).click();
  await expect(page.getByTestId("roi-message")).toHaveText("interpolated 3 slices");
  await expect
    .poll(async () => (await overlayPixels(page, pane)).red, { timeout: 30_000 })
    .toBeGreaterThan(empty.red + 400);
  await page.screenshot({ path: info.outputPath("interpolated-middle-slice.png") });
  // the interpolation is one undo step too
  await page.getByRole("button", { name: "Undo" }).click();
  await expect
    .poll(async () => (await overlayPixels(page, pane)).red, { timeout: 30_000 })
    .toBeLessThan(empty.red + 50);
  await page.getByRole("button", { name: "Redo" }).click();
  await expect
    .poll(async () => (await overlayPixels(page, pane)).red, { timeout: 30_000 })
    .toBeGreaterThan(empty.red + 400);

  await page.getByRole("button", { name: "Save ROI" }).click();
  await expect(page.getByTestId("roi-message")).toContainText("ROI version 1 saved");
  const saved = Number((await page.getByTestId("roi-message").textContent())!.match(/\((\d+) voxels/)![1]);
  // two drawn slices plus three interpolated ones, each at least about as large as the smaller outline
  expect(saved).toBeGreaterThan(filledA + filledB + 3 * 0.8 * Math.min(filledA, filledB));

  await page.reload();
  await expect(page.getByTestId("roi-status")).toContainText(`version 1 (drawn) · ${saved} voxels`);
});
