import { expect as baseExpect, test, type Page } from "@playwright/test";
import { signInAsRadiologist, spareSyntheticPatient } from "./helpers";
import { overlayPixels } from "./pixels";

const expect = baseExpect.configure({ timeout: 30_000 });

/** Red pixels added by one click at (x, y) with the current tool, measured without the brush ring (W/L selected). */
async function paintedBy(page: Page, tool: string, x: number, y: number): Promise<number> {
  const pane = page.getByTestId("viewport-0");
  await page.keyboard.press("w");
  const before = (await overlayPixels(page, pane)).red;
  await page.keyboard.press(tool);
  await page.mouse.click(x, y);
  await page.keyboard.press("w");
  await page.mouse.move(x, y - 400); // off the pane
  let after = before;
  await expect.poll(async () => (after = (await overlayPixels(page, pane)).red)).toBeGreaterThan(before);
  await page.keyboard.press("Control+z"); // leave the ROI as it was
  await expect.poll(async () => (await overlayPixels(page, pane)).red).toBe(before);
  return after - before;
}

// paintedBy presses W at once after the click, within Cornerstone's 400 ms double-click wait: the click must still
// paint with the brush it was made with (components/viewer/click-gate.ts)
test("brush size ([ / ] and the toolbar) changes the painted area; the threshold brush keeps to the intensity under its centre", async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await signInAsRadiologist(page);
  await page.goto(`/patients/${await spareSyntheticPatient(page, { ceT1Roi: true })}`);
  const pane = page.getByTestId("viewport-0");
  await expect(page.getByRole("button", { name: "Brush", exact: true })).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId("roi-status")).toContainText("version");
  // a slice away from the tumour ROI (the demo tumours sit around the middle slices)
  for (let k = 0; k < 3; k++) await page.keyboard.press("PageUp");
  const box = (await pane.boundingBox())!;
  const [x, y] = [box.x + box.width * 0.5, box.y + box.height * 0.5];

  await page.getByTestId("brush-size").fill("3");
  await expect(page.getByTestId("brush-size-value")).toHaveText("3 mm");
  const small = await paintedBy(page, "b", x, y);
  for (let k = 0; k < 6; k++) await page.keyboard.press("]");
  await expect(page.getByTestId("brush-size-value")).toHaveText("9 mm");
  const large = await paintedBy(page, "b", x, y);
  // area grows with the square of the radius: 9x; allow for pixel rounding and the pane's zoom
  expect(large).toBeGreaterThan(5 * small);
  await page.keyboard.press("[");
  await expect(page.getByTestId("brush-size-value")).toHaveText("8 mm");

  // threshold brush, large radius, centred on a boundary between tissues: fills less than the plain brush
  await page.getByTestId("brush-size").fill("25");
  const full = await paintedBy(page, "b", x, y);
  const threshold = await paintedBy(page, "t", x, y);
  await page.screenshot({ path: info.outputPath("after-threshold-undo.png") });
  expect(threshold).toBeGreaterThan(0);
  expect(threshold).toBeLessThan(0.8 * full);
});
