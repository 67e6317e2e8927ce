import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

/**
 * A researcher imports the 177-patient cohort (`demo generate --layout cohort --patients 177 --seed 2024`,
 * ~3 GB of DICOM) from the server-side import root: validation and import run as a server task, and the page's
 * progress bar advances patient by patient through both phases until the cohort page lists all 177 patients. Then
 * the researcher starts the full extraction (handcrafted + ResNet10/18/34/50, the three series, tumour + shell: 5 310
 * items) and its progress bar advances; with E2E_LONG_EXTRACT=all the spec waits for the end, checks that nothing
 * failed and saves the downloaded feature table (features-177.csv in the test's output folder, the input of
 * e2e/experiment-comparison-177.spec.ts). Minutes on an idle 2-core machine, much longer on a loaded one: the
 * timeouts are generous. The cohort folder is generated on first use (E2E_COHORT_177 points at an existing one to
 * hard-link instead). Measurements: docs/BENCHMARKS.md.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const ROOT = process.env.E2E_COHORT_ROOT ?? `/tmp/nacpredict-e2e-cohorts-${PORT}`;
const NAME = `cohort-177-${Date.now().toString(36)}`;
const EXTRACTORS = ["handcrafted", "resnet10", "resnet18", "resnet34", "resnet50"];
const WAIT_FOR_EXTRACTION = process.env.E2E_LONG_EXTRACT === "all";

// A long acceptance run (a 3 GB cohort, tens of minutes), outside `npm test`'s 40-minute budget: E2E_LONG=1 runs it.
test.skip(!process.env.E2E_LONG, "long acceptance run: set E2E_LONG=1 (generates and imports ~3 GB)");

test("researcher imports the 177-patient cohort from the UI, the import progress bar advances to the end, and the full extraction's bar advances", async ({
  page,
}, info) => {
  test.setTimeout((WAIT_FOR_EXTRACTION ? 8 : 4) * 3600_000);
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

  // The full extraction: every extractor; the three series and both regions are the defaults.
  for (const e of EXTRACTORS) await page.getByTestId(`extractor-${e}`).check();
  for (const r of ["CE_T1", "T2", "CT"]) await expect(page.getByTestId(`role-${r}`)).toBeChecked();
  for (const g of ["intra", "peri"]) await expect(page.getByTestId(`region-${g}`)).toBeChecked();
  await page.getByTestId("start-extraction").click();
  const xbar = page.getByRole("progressbar", { name: "extraction progress" });
  const total = 177 * 3 * 2 * EXTRACTORS.length;
  await expect(xbar).toHaveAttribute("aria-valuemax", String(total), { timeout: 120_000 });
  await expect(page.getByTestId("extraction-progress")).toContainText(`Extractors: ${EXTRACTORS.join(", ")}`);
  const finished = async () => Number(await xbar.getAttribute("aria-valuenow"));
  await expect.poll(finished, { timeout: 1800_000 }).toBeGreaterThanOrEqual(1);
  const first = await finished();
  await page.screenshot({ path: info.outputPath("5-extraction-started.png") });
  await expect.poll(finished, { timeout: 1800_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId("progress-text")).toContainText("items/min");
  await page.screenshot({ path: info.outputPath("6-extraction-advanced.png") });
  if (!WAIT_FOR_EXTRACTION) return;

  await expect.poll(finished, { timeout: 7 * 3600_000, intervals: [30_000] }).toBe(total);
  const progress = page.getByTestId("progress-text");
  await expect(progress).toContainText(`${total} / ${total} items (100 %)`);
  await expect(progress).toContainText("0 without series/ROI");
  await expect(progress).toContainText("0 failed");
  await page.screenshot({ path: info.outputPath("7-extraction-finished.png") });
  const download = page.waitForEvent("download");
  await page.getByTestId("download-features").click();
  const csv = info.outputPath("features-177.csv");
  await (await download).saveAs(csv);
  const lines = readFileSync(csv, "utf8").trim().split("\n");
  expect(lines).toHaveLength(178);
  const header = lines[0].split(",");
  for (const role of ["CE_T1", "T2", "CT"])
    for (const region of ["intra", "peri"]) {
      expect(header).toContain(`${role}.${region}.original_firstorder_Mean`);
      for (const [e, n] of [
        ["resnet10", 512],
        ["resnet18", 512],
        ["resnet34", 512],
        ["resnet50", 2048],
      ] as const)
        expect(header.filter((h) => h.startsWith(`${role}.${region}.${e}_`))).toHaveLength(n);
    }
});
