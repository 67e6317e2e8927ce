import { expect as baseExpect, test } from "@playwright/test";
import { signInAsRadiologist, spareSyntheticPatient } from "./helpers";

const expect = baseExpect.configure({ timeout: 30_000 });

test("one click switches another pane's orientation: the panes do not move when the active pane changes", async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await signInAsRadiologist(page);
  await page.goto(`/patients/${await spareSyntheticPatient(page, { ceT1Roi: true })}`);
  for (const i of [0, 1]) await expect(page.getByTestId(`orientation-${i}-sagittal`)).toBeEnabled({ timeout: 60_000 });
  // a message in the ROI panel on pane 0 (the longest line it shows), then pane 1 becomes active
  await page.getByTestId("viewport-0").click();
  const panesY = async () =>
    Promise.all([0, 1, 2].map(async (i) => (await page.getByTestId(`pane-${i}`).boundingBox())!.y));
  const before = await panesY();

  await page.getByTestId("orientation-1-sagittal").click(); // one click, on the inactive pane
  await expect(page.getByTestId("slice-1")).toContainText("sagittal");
  await expect(page.getByTestId("orientation-1-sagittal")).toHaveAttribute("aria-pressed", "true");
  expect(await panesY()).toEqual(before);

  await page.getByTestId("orientation-0-coronal").click(); // and back on the first pane, again one click
  await expect(page.getByTestId("slice-0")).toContainText("coronal");
  expect(await panesY()).toEqual(before);
  await page.screenshot({ path: info.outputPath("two-panes-reformatted.png") });
});
