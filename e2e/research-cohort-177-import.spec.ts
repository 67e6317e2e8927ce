import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

/**
 * A researcher imports the 177-patient cohort (`demo generate --layout cohort --patients 177 --seed 2024`,
 * ~3 GB of DICOM) from the server-side import root: validation and import run as a server task, and the page's
 * progress bar advances patient by patient through both phases until the cohort page lists all 177 patients.
 * Minutes on an idle 2-core machine, much longer on a loaded one: the spec's timeout is generous. The cohort folder is
 * generated on first use (E2E_COHORT_177 points at an existing one to hard-link instead).
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const ROOT = process.env.E2E_COHORT_ROOT ?? `/tmp/nacpredict-e2e-cohorts-${PORT}`;
const NAME = `cohort-177-${Date.now().toString(36)}`;

// A long acceptance run (a 3 GB cohort, tens of minutes), outside `npm test`'s 40-minute budget: E2E_LONG=1 runs it.
test.skip(!process.env.E2E_LONG, "long acceptance run: set E2E_LONG=1 (generates and imports ~3 GB)");

test("researcher imports the 177-patient cohort from the UI and the import progress bar advances to the end", async ({
  page,
}, info) => {
  test.setTimeout(3 * 3600_000);
  mkdirSync(ROOT, { recursive: true });
  const dir = path.join(ROOT, "generated-177");
  if (!existsSync(path.join(dir, "clinical.csv"))) {
    if (process.env.E2E_COHORT_177) execFileSync("cp", ["-al", process.env.E2E_COHORT_177, dir]);
    else
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
          "177",
          "--seed",
          "2024",
          "--out",
          dir,
        ],
        { stdio: "ignore" },
      );
  }
  await signInAs(page, "researcher");
  await page.getByRole("link", { name: "Cohorts" }).click();
  await page.getByTestId("import-folder").selectOption("generated-177");
  await page.getByTestId("cohort-name").fill(NAME);

  const bar = page.getByRole("progressbar", { name: "import progress" });
  const text = page.getByTestId("import-progress-text");
  const done = async () => Number(((await text.textContent().catch(() => "")) ?? "").match(/(\d+) \//)?.[1] ?? -1);

  await page.getByTestId("validate").click();
  await expect(bar).toBeVisible({ timeout: 120_000 });
  await expect.poll(done, { timeout: 600_000 }).toBeGreaterThanOrEqual(2);
  const firstValidated = await done();
  await expect(text).toContainText("Validating");
  await expect(text).toContainText("/ 177 patients");
  await page.screenshot({ path: info.outputPath("1-validating.png"), fullPage: true });
  await expect.poll(done, { timeout: 600_000 }).toBeGreaterThan(firstValidated);
  const report = page.getByTestId("validation-report");
  await expect(report).toContainText("177 patients", { timeout: 3 * 3600_000 });
  await expect(report).toContainText("177 valid");
  await page.screenshot({ path: info.outputPath("2-validation-report.png"), fullPage: true });

  await page.getByTestId("confirm-import").click();
  await expect(text).toContainText("Importing", { timeout: 3 * 3600_000 });
  const v0 = Number(await bar.getAttribute("aria-valuenow"));
  await expect.poll(done, { timeout: 900_000 }).toBeGreaterThanOrEqual(2);
  await expect
    .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 900_000 })
    .toBeGreaterThan(v0);
  await page.screenshot({ path: info.outputPath("3-importing.png"), fullPage: true });

  await expect(page.getByTestId("cohort-title")).toHaveText(NAME, { timeout: 3 * 3600_000 });
  await expect(page.getByTestId("cohort-patients").locator("tbody tr")).toHaveCount(177);
  await page.screenshot({ path: info.outputPath("4-cohort-177.png") });
});
