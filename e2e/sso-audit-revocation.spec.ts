import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn } from "./helpers";
import { panesShowPixels } from "./pixels";

/**
 * Issue 16 acceptance, one user journey: a radiologist signs in through the hospital's identity provider (a real
 * OpenID Connect provider, e2e/oidc-test-provider.ts) and reads a patient (series, images, report PDF); an administrator
 * filters the audit log by that patient and sees those reads; the administrator disables the account and the
 * radiologist's open page shows no patient data on its next request.
 */
const SSO_USER = "dr.sso-radiologist";

async function ssoSignIn(page: Page, login: string) {
  await page.goto("/signin");
  await page.getByRole("button", { name: /Test hospital/ }).click();
  // the provider's own (development) login form, unless the browser still has a session at the provider
  const loginField = page.locator("input[name=login]");
  await page.waitForURL(
    (u) => u.hostname === "127.0.0.1" || u.pathname.startsWith("/worklist") || u.searchParams.has("error"),
    { timeout: 30_000 },
  );
  if (new URL(page.url()).hostname !== "127.0.0.1") return;
  await loginField.waitFor();
  await loginField.fill(login);
  await page.locator("input[name=password]").fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  const consent = page.getByRole("button", { name: "Continue" });
  if (await consent.isVisible({ timeout: 2_000 }).catch(() => false)) await consent.click();
}

async function adminPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, "admin", "admin-demo");
  await expect(page).toHaveURL(/\/worklist/);
  return page;
}

test("SSO radiologist reads a patient; the admin's audit page shows it; disabling the account hides patient data on the next request", async ({
  page,
  browser,
}, info) => {
  test.setTimeout(240_000);

  // 1. single sign-on, role from the identity provider's groups claim
  await ssoSignIn(page, SSO_USER);
  await expect(page).toHaveURL(/\/worklist/, { timeout: 30_000 });
  await expect(page.getByTestId("current-user")).toContainText("radiologist");
  const pageResponse = await page.reload();
  const csp = pageResponse!.headers()["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("'wasm-unsafe-eval'");
  expect(pageResponse!.headers()["x-content-type-options"]).toBe("nosniff");

  // 2. open a demo patient: three series render (their images are read), predict, download the report
  const row = page.locator("[data-testid=worklist-table] tr", { hasText: "synthetic" }).first();
  const patientName = (await row.locator("a").textContent())!.trim();
  const patientKey = (await row.locator("td").nth(1).textContent())!.trim();
  await row.locator("a").click();
  await page.waitForFunction(panesShowPixels, 3, { timeout: 30_000, polling: 100 });
  await page.getByRole("button", { name: "Predict" }).click();
  await expect(page.getByTestId("predict-result")).toBeVisible({ timeout: 150_000 });
  const download = page.waitForEvent("download");
  await page.getByTestId("report-pdf").click();
  expect((await download).suggestedFilename()).toMatch(/\.pdf$/);
  await page.screenshot({ path: info.outputPath("sso-radiologist-patient.png") });

  // 3. the administrator filters the audit page by that patient
  const admin = await adminPage(browser);
  await admin.goto("/admin/audit");
  await admin.getByLabel("Patient", { exact: true }).fill(patientKey);
  await admin.getByLabel("User", { exact: true }).fill(SSO_USER);
  await admin.getByRole("button", { name: "Filter" }).click();
  await expect(admin).toHaveURL(new RegExp(`patient=${encodeURIComponent(patientKey)}`));
  const rows = admin.getByTestId("audit-row");
  for (const action of ["patient.view", "series.view", "series.images_read", "report.download"]) {
    await expect(rows.and(admin.locator(`[data-action="${action}"]`)).first(), action).toBeVisible();
  }
  // one series.view per series shown (three), one image-read row per series, not per frame
  expect(await admin.locator('[data-testid=audit-row][data-action="series.view"]').count()).toBe(3);
  expect(await admin.locator('[data-testid=audit-row][data-action="series.images_read"]').count()).toBe(3);
  await expect(rows.first()).toContainText(SSO_USER);
  await admin.screenshot({ path: info.outputPath("admin-audit-filtered.png"), fullPage: true });
  const csv = await admin.request.get(`/api/audit/export?patient=${encodeURIComponent(patientKey)}&user=${SSO_USER}`);
  expect(await csv.text()).toContain("report.download");

  // 4. the radiologist's worklist is open; the administrator disables the account
  await page.goto("/worklist");
  await expect(page.getByText(patientName).first()).toBeVisible();
  await admin.goto("/admin/users");
  const userRow = admin.getByTestId(`user-row-${SSO_USER}`);
  await expect(userRow).toContainText("oidc");
  await userRow.getByRole("button", { name: "Disable" }).click();
  await expect(userRow).toContainText("disabled");

  // the next request of the open page (a click to the patient) shows no patient data: back to sign-in
  await page.locator("[data-testid=worklist-table] a", { hasText: patientName }).first().click();
  await expect(page).toHaveURL(/\/signin/, { timeout: 15_000 });
  await expect(page.getByText(patientName)).toHaveCount(0);
  expect((await page.request.get("/api/patients")).status()).toBe(401);
  // and the identity provider cannot sign a disabled account back in
  await ssoSignIn(page, SSO_USER);
  await expect(page.getByTestId("signin-refused")).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: info.outputPath("disabled-refused.png") });
});

test("a person the identity provider gives no NACpredict role is refused", async ({ page }) => {
  await ssoSignIn(page, "visitor-staff");
  await expect(page.getByTestId("signin-refused")).toBeVisible({ timeout: 30_000 });
  expect((await page.request.get("/api/patients")).status()).toBe(401);
});
