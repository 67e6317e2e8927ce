import { expect, test } from "@playwright/test";
import { signInAsRadiologist } from "./helpers";
import { overlayPixels } from "./pixels";

test("the radiologist draws a tumour with the brush on CE-T1, saves, reloads: the ROI and its shell are still there, the history names who saved it and when, the ROI can be hidden and shown", async ({
  page,
}, info) => {
  await signInAsRadiologist(page);
  await page.locator("[data-testid=worklist-table] a").first().click();
  const viewport = page.getByTestId("viewport-0");
  await expect(page.getByTestId("slice-0")).toContainText("/ 60");
  await expect(page.getByTestId("roi-status")).toHaveText("no ROI saved");
  await expect(page.getByRole("button", { name: "Brush", exact: true })).toBeEnabled({ timeout: 30_000 });
  const before = await overlayPixels(page, viewport);

  await page.getByRole("button", { name: "Brush", exact: true }).click();
  const box = (await viewport.boundingBox())!;
  const cx = box.x + box.width / 2,
    cy = box.y + box.height / 2;
  await page.mouse.move(cx - 30, cy);
  await page.mouse.down();
  for (let t = 0; t <= 20; t++) await page.mouse.move(cx - 30 + t * 3, cy + Math.sin(t / 3) * 10);
  await page.mouse.up();
  await page.screenshot({ path: info.outputPath("drawn.png") });
  const drawn = await overlayPixels(page, viewport);
  expect(drawn.red).toBeGreaterThan(before.red + 200);

  await page.getByRole("button", { name: "Save ROI" }).click();
  await expect(page.getByTestId("roi-message")).toContainText("ROI version 1 saved");

  await page.reload();
  await expect(page.getByTestId("roi-status")).toContainText("version 1 (drawn)");
  await expect
    .poll(async () => (await overlayPixels(page, viewport)).red, { timeout: 15_000 })
    .toBeGreaterThan(before.red + 200);
  await expect
    .poll(async () => (await overlayPixels(page, viewport)).yellow, { timeout: 15_000 })
    .toBeGreaterThan(before.yellow + 100);
  await page.screenshot({ path: info.outputPath("reloaded-with-shell.png") });

  // the version history says who saved it and when
  await page.getByTestId("roi-history").locator("summary").click();
  const row = page.getByTestId("roi-version-1");
  await expect(row.locator("td").nth(1)).toHaveText("drawn");
  await expect(row.locator("td").nth(2)).toHaveText("Dr. Demo Radiologist");
  const savedAt = Date.parse((await row.locator("td").nth(3).textContent())!);
  expect(Math.abs(Date.now() - savedAt)).toBeLessThan(15 * 60_000);

  // ROI visibility: the checkbox hides both overlays, V shows them again
  await page.getByTestId("roi-visible").uncheck();
  await expect.poll(async () => (await overlayPixels(page, viewport)).red).toBeLessThanOrEqual(before.red);
  expect((await overlayPixels(page, viewport)).yellow).toBeLessThanOrEqual(before.yellow);
  await page.screenshot({ path: info.outputPath("roi-hidden.png") });
  await page.locator("h1").click(); // focus off the checkbox: the key is the viewer's
  await page.keyboard.press("v");
  await expect(page.getByTestId("roi-visible")).toBeChecked();
  await expect.poll(async () => (await overlayPixels(page, viewport)).red).toBeGreaterThan(before.red + 200);
});
