import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

/**
 * A researcher imports a generated cohort from the server-side import root (report first, then the import), sees what
 * each patient has, starts the handcrafted extraction and watches the progress bar advance. The 177-patient,
 * all-extractor run is measured in bench/, not here.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const ROOT = process.env.E2E_COHORT_ROOT ?? `/tmp/nacpredict-e2e-cohorts-${PORT}`;
const NAME = `e2e-cohort-${Date.now().toString(36)}`;

test("researcher imports a generated cohort and the extraction progress bar advances", async ({ page }, info) => {
  test.setTimeout(900_000);
  mkdirSync(ROOT, { recursive: true });
  const dir = path.join(ROOT, "generated-3");
  if (!existsSync(path.join(dir, "clinical.csv"))) {
    execFileSync(
      "npx",
      [
        "tsx",
        "scripts/nac.ts",
        "demo",
        "generate",
        "--layout",
        "cohort",
        "--patients",
        "3",
        "--seed",
        "e2e-cohort",
        "--monte-carlo",
        "200",
        "--out",
        dir,
      ],
      { stdio: "ignore" },
    );
  }
  await signInAs(page, "researcher");
  await page.getByRole("link", { name: "Cohorts" }).click();
  await expect(page).toHaveURL(/\/cohorts$/);
  await page.getByTestId("import-folder").selectOption("generated-3");
  await page.getByTestId("cohort-name").fill(NAME);
  await page.getByTestId("validate").click();
  const report = page.getByTestId("validation-report");
  await expect(report).toContainText("3 patients", { timeout: 300_000 });
  await expect(report).toContainText("3 valid");
  await page.screenshot({ path: info.outputPath("1-validation-report.png"), fullPage: true });

  await page.getByTestId("confirm-import").click();
  await expect(page.getByTestId("cohort-title")).toHaveText(NAME, { timeout: 600_000 });
  const rows = page.getByTestId("cohort-patients").locator("tbody tr");
  await expect(rows).toHaveCount(3);
  // a researcher without identified access sees the de-identification pseudonym, never the site's patient ID
  await expect(rows.first()).toContainText(/NAC-[0-9A-F]{10}/);
  await expect(page.getByTestId("cohort-patients")).not.toContainText("DEMO-PATIENT-");
  await page.screenshot({ path: info.outputPath("2-cohort-page.png"), fullPage: true });

  await expect(page.getByTestId("extractor-handcrafted")).toBeChecked();
  await page.getByTestId("start-extraction").click();
  const bar = page.getByRole("progressbar", { name: "extraction progress" });
  await expect(bar).toHaveAttribute("aria-valuemax", "18");
  const now = async () => Number(await bar.getAttribute("aria-valuenow"));
  await expect.poll(now, { timeout: 300_000 }).toBeGreaterThanOrEqual(1);
  const first = await now();
  await page.screenshot({ path: info.outputPath("3-progress-started.png"), fullPage: true });
  await expect.poll(now, { timeout: 300_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId("progress-text")).toContainText("items/min");
  await page.screenshot({ path: info.outputPath("4-progress-advanced.png"), fullPage: true });
});
