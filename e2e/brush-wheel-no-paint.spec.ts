import { expect as baseExpect, test, type Page } from "@playwright/test";
import { signInAsRadiologist, spareSyntheticPatient } from "./helpers";
import { overlayPixels } from "./pixels";

// slow when the shared 2-core machine is busy
const expect = baseExpect.configure({ timeout: 30_000 });

/** Red (tumour overlay) pixels on each of the next `n` slices, stepping with the keyboard (no pointer over the pane). */
async function redPerSlice(page: Page, n: number): Promise<number[]> {
  const pane = page.getByTestId("viewport-0");
  const slice = page.getByTestId("slice-0");
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const before = await slice.textContent();
    await page.keyboard.press("ArrowDown");
    await expect(slice).not.toHaveText(before!);
    out.push((await overlayPixels(page, pane)).red);
  }
  for (let k = 0; k < n; k++) await page.keyboard.press("ArrowUp");
  return out;
}

test("wheel-scrolling with the brush active paints nothing; the brush ring goes when the pointer leaves; shortcuts work without clicking in the viewer", async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await signInAsRadiologist(page);
  // a patient whose CE-T1 has a large tumour ROI, so the red overlay is on the slices scrolled through
  await page.goto(`/patients/${await spareSyntheticPatient(page, { ceT1Roi: true, nth: 2 })}`);
  const pane = page.getByTestId("viewport-0");
  const slice = page.getByTestId("slice-0");
  const brush = page.getByRole("button", { name: "Brush", exact: true });
  await expect(brush).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId("roi-status")).toContainText("version");
  // start a few slices before the tumour's middle slice (where the viewer opens on this patient)
  for (let k = 0; k < 5; k++) await page.keyboard.press("ArrowUp");
  await expect(slice).not.toHaveText(/^slice 0 /);
  const startText = (await slice.textContent())!;
  const baseline = await redPerSlice(page, 10);
  expect(Math.max(...baseline)).toBeGreaterThan(50); // the ROI is on these slices: the measure sees red

  // B without clicking into the viewer first (focus on the page body)
  await page.locator("h1").click();
  await page.keyboard.press("b");
  await expect(brush).toHaveAttribute("aria-pressed", "true");

  const box = (await pane.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(pane.locator("svg circle").first()).toBeAttached(); // the brush ring under the pointer
  await page.screenshot({ path: info.outputPath("brush-ring-over-pane.png") });
  for (let k = 0; k < 8; k++) {
    const before = await slice.textContent();
    await page.mouse.wheel(0, 120);
    await expect(slice).not.toHaveText(before!);
  }
  for (let k = 0; k < 8; k++) {
    const before = await slice.textContent();
    await page.mouse.wheel(0, -120);
    await expect(slice).not.toHaveText(before!);
  }
  await expect(slice).toHaveText(startText);
  // the pointer leaves the pane: no ring left behind
  await page.mouse.move(box.x + box.width / 2, box.y - 60);
  await expect(pane.locator("svg circle")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("pointer-left-no-ring.png") });

  // back to window/level (no brush cursor), then the same slices: not one overlay pixel more
  await page.keyboard.press("w");
  expect(await redPerSlice(page, 10)).toEqual(baseline);

  // the measure can fail: one click with the brush does paint (on the slice shown, compared with itself)
  const redHere = (await overlayPixels(page, pane)).red;
  await page.keyboard.press("b");
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.keyboard.press("w");
  await page.mouse.move(box.x + box.width / 2, box.y - 60); // no brush ring in the measure
  await expect.poll(async () => (await overlayPixels(page, pane)).red).toBeGreaterThan(redHere);
  await page.keyboard.press("Control+z");
  await expect.poll(async () => (await overlayPixels(page, pane)).red).toBe(redHere);
});
