import { expect, type Page } from "@playwright/test";

export async function signIn(page: Page, username: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signInAsRadiologist(page: Page) {
  await signIn(page, "radiologist", "radiologist-demo");
  await expect(page).toHaveURL(/\/worklist/);
}
