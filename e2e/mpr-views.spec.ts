import { expect as baseExpect, test } from "@playwright/test";
import { signInAsRadiologist, spareSyntheticPatient } from "./helpers";
import { overlayPixels, pixelStats } from "./pixels";

// saves, refreshes and reformatting can take well over the default 10 s when the shared 2-core machine is busy
const expect = baseExpect.configure({ timeout: 30_000 });

test("the CE-T1 pane switches to sagittal and coronal (ROI and shell shown reformatted, editing locked) and back to axial", async ({
  page,
}, info) => {
  test.setTimeout(240_000); // many element screenshots; slow when the shared 2-core machine is busy
  await signInAsRadiologist(page);
  // a patient whose CE-T1 has a demo tumour ROI, so the overlay can be checked in the reformatted views
  await page.goto(`/patients/${await spareSyntheticPatient(page, { ceT1Roi: true })}`);
  const pane = page.getByTestId("viewport-0");
  const slice = page.getByTestId("slice-0");
  const sagittal = page.getByTestId("orientation-0-sagittal");
  await expect(sagittal).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId("roi-status")).toContainText("version 1");
  await expect.poll(async () => (await pixelStats(page, pane)).distinct, { timeout: 30_000 }).toBeGreaterThan(20);
  const axialText = (await slice.textContent())!;
  const axial = await pixelStats(page, pane);
  expect(axialText).toMatch(/^slice \d+ \/ \d+$/);

  await sagittal.click();
  await expect(slice).toContainText("sagittal");
  await expect(sagittal).toHaveAttribute("aria-pressed", "true");
  await expect.poll(async () => (await pixelStats(page, pane)).hash, { timeout: 30_000 }).not.toBe(axial.hash);
  expect((await pixelStats(page, pane)).distinct).toBeGreaterThan(20);
  // the tumour labelmap (red) and the peritumoral shell (amber) are drawn in the reformatted plane too
  await expect.poll(async () => (await overlayPixels(page, pane)).red, { timeout: 30_000 }).toBeGreaterThan(50);
  await expect.poll(async () => (await overlayPixels(page, pane)).yellow, { timeout: 30_000 }).toBeGreaterThan(20);
  await page.screenshot({ path: info.outputPath("ce-t1-sagittal.png") });
  // editing is axial-only: the brush is disabled and says why
  const brush = page.getByRole("button", { name: "Brush", exact: true });
  await expect(brush).toBeDisabled();
  await expect(brush).toHaveAttribute("title", /axial slices only/);

  // scrolling moves through sagittal slices
  const sagText = (await slice.textContent())!;
  await pane.hover();
  for (let n = 0; n < 4; n++) await page.mouse.wheel(0, 120);
  await expect(slice).not.toHaveText(sagText);

  // keyboard: 3 = coronal for the active pane
  await page.getByTestId("viewer").focus();
  await page.keyboard.press("3");
  await expect(slice).toContainText("coronal");
  const coronal = await pixelStats(page, pane);
  expect(coronal.distinct).toBeGreaterThan(20);
  await page.screenshot({ path: info.outputPath("ce-t1-coronal.png") });

  // back to axial: the same slice as before, the same picture, and the brush is usable again
  await page.keyboard.press("1");
  await expect(slice).toHaveText(axialText);
  await expect.poll(async () => (await pixelStats(page, pane)).mean, { timeout: 30_000 }).toBeCloseTo(axial.mean, 0);
  await expect(brush).toBeEnabled();
  await page.screenshot({ path: info.outputPath("ce-t1-axial-again.png") });
});
