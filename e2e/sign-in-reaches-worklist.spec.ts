import { expect, test } from "@playwright/test";
import { signInAsRadiologist } from "./helpers";

test("the demo radiologist signs in and reaches the worklist, under the research-use banner", async ({
  page,
}, info) => {
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/signin/); // no session: sent to sign-in
  await signInAsRadiologist(page);
  await expect(page.getByRole("heading", { name: "Worklist" })).toBeVisible();
  await expect(page.getByTestId("current-user")).toContainText("radiologist");
  await expect(page.getByTestId("research-banner")).toHaveText("Research use only — not for clinical decision making");
  await page.screenshot({ path: info.outputPath("worklist.png"), fullPage: true });
});
