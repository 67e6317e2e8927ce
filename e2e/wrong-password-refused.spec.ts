import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("a wrong password is refused with a message and no session", async ({ page }, info) => {
  await signIn(page, "radiologist", "not-the-password");
  await expect(page.getByTestId("signin-error")).toHaveText("Wrong username or password.");
  await expect(page).toHaveURL(/\/signin/);
  await page.screenshot({ path: info.outputPath("refused.png") });
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/signin/);
});
