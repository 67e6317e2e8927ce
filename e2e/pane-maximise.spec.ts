import { expect as baseExpect, test } from "@playwright/test";
import { signInAsRadiologist, spareSyntheticPatient } from "./helpers";

const expect = baseExpect.configure({ timeout: 30_000 });

test("double-clicking a pane maximises it (the image is drawn at the new size); double-clicking again restores three panes", async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await signInAsRadiologist(page);
  await page.goto(`/patients/${await spareSyntheticPatient(page, { ceT1Roi: true, nth: 1 })}`);
  const pane = page.getByTestId("viewport-1");
  await expect(page.getByTestId("orientation-1-axial")).toBeEnabled({ timeout: 60_000 });
  const canvasWidth = () =>
    pane
      .locator("canvas")
      .first()
      .evaluate((c) => (c as HTMLCanvasElement).width);
  const small = (await pane.boundingBox())!;
  const smallCanvas = await canvasWidth();

  await pane.dblclick();
  await expect(page.getByTestId("pane-0")).toBeHidden();
  await expect(page.getByTestId("pane-2")).toBeHidden();
  await expect.poll(async () => (await pane.boundingBox())!.width).toBeGreaterThan(2.5 * small.width);
  await expect.poll(canvasWidth).toBeGreaterThan(2 * smallCanvas); // the canvas was resized, not stretched
  await page.screenshot({ path: info.outputPath("maximised.png") });

  await pane.dblclick();
  await expect(page.getByTestId("pane-0")).toBeVisible();
  await expect(page.getByTestId("pane-2")).toBeVisible();
  await expect.poll(async () => Math.round((await pane.boundingBox())!.width)).toBe(Math.round(small.width));
  await expect.poll(canvasWidth).toBe(smallCanvas);
});
