import { expect, test } from "@playwright/test";
import { signInAsRadiologist } from "./helpers";
import { panesShowPixels, pixelStats } from "./pixels";

test("a demo patient's CE-T1, T2 and CT render side by side; scrolling changes the slice; W/L presets change the pixels", async ({
  page,
}, info) => {
  await signInAsRadiologist(page);
  await page.locator("[data-testid=worklist-table] tr", { hasText: "synthetic" }).first().locator("a").click();
  const t0 = Date.now();
  // Time to the first image in all three panes, by an in-page canvas probe polled every 50 ms (a record, not an
  // assertion: bench/viewer/first-image.ts measures it; screenshots would time the harness instead).
  await page.waitForFunction(panesShowPixels, 3, { timeout: 15_000, polling: 50 });
  const firstRenderMs = Date.now() - t0;
  info.annotations.push({ type: "first render of all three panes (ms)", description: String(firstRenderMs) });
  const panes = [0, 1, 2].map((i) => page.getByTestId(`viewport-${i}`));
  for (const [i, role] of ["CE-T1", "T2", "CT"].entries())
    await expect(page.getByTestId(`pane-title-${i}`)).toContainText(role);
  // Real pixels, not only DOM: each canvas shows an image with many grey levels.
  for (const pane of panes)
    await expect.poll(async () => (await pixelStats(page, pane)).distinct, { timeout: 15_000 }).toBeGreaterThan(20);
  await page.screenshot({ path: info.outputPath("three-series.png") });

  // Scroll the CE-T1 pane with the wheel: the slice number and the pixels change.
  const slice = page.getByTestId("slice-0");
  const before = await slice.textContent();
  const px0 = await pixelStats(page, panes[0]);
  await panes[0].hover();
  for (let n = 0; n < 6; n++) await page.mouse.wheel(0, 120);
  await expect(slice).not.toHaveText(before!);
  expect((await pixelStats(page, panes[0])).hash).not.toBe(px0.hash);

  // CT lung window: pixels change.
  const ct0 = await pixelStats(page, panes[2]);
  await page.getByTestId("preset-2").selectOption("lung");
  await expect.poll(async () => (await pixelStats(page, panes[2])).mean).not.toBeCloseTo(ct0.mean, 0);
  await page.screenshot({ path: info.outputPath("ct-lung-window.png") });
  expect(firstRenderMs).toBeGreaterThan(0);
});
