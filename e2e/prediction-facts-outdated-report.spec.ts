import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signInAsRadiologist } from "./helpers";
import { pdfText } from "./pixels";

interface WorklistPatient {
  id: string;
  isSynthetic: boolean;
  roiSeriesRoles: string[];
}

test("a prediction states the patient's facts, names the ROI and clinical versions it used, turns 'outdated' after a new clinical version, and the report lists every clinical variable and ROI version", async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  await signInAsRadiologist(page);
  const byName = (await (await page.request.get("/api/patients")).json()).patients as WorklistPatient[];
  const firstShown = byName.find((x) => x.isSynthetic)!.id;
  // A demo patient with ROIs on all three series that the read-only specs do not open.
  const p = byName.filter((x) => x.isSynthetic && x.id !== firstShown && x.roiSeriesRoles.length === 3).at(-1)!;
  expect(p).toBeTruthy();
  await page.goto(`/patients/${p.id}`);

  // HR+/HER2+: the "HR+/HER2− subtype" indicator is 0 for this patient and must read "no".
  const form = page.getByRole("form", { name: "Clinical variables" });
  // Typed before the page's scripts run, values would not reach the form: the browser-side validation answers once they do.
  await expect(async () => {
    await form.locator("input[name=ki67Percent]").fill("140");
    await form.getByRole("button", { name: "Save clinical variables" }).click();
    await expect(page.getByTestId("clinical-status")).toHaveText("Ki-67 must be at most 100 %", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await form.locator("input[name=ageYears]").fill("52");
  await form.locator("select[name=menopausalStatus]").selectOption("post");
  for (const [name, v] of [
    ["er", "positive"],
    ["pr", "negative"],
    ["her2", "positive"],
    ["grade", "2"],
    ["histology", "IDC (NST)"],
    ["cT", "cT2"],
    ["cN", "cN0"],
  ]) {
    await form.locator(`select[name=${name}]`).selectOption(v);
  }
  await form.locator("input[name=ki67Percent]").fill("30");
  await form.getByRole("button", { name: "Save clinical variables" }).click();
  await expect(page.getByTestId("clinical-status")).toContainText("Saved as version", { timeout: 30_000 });
  const version = Number(/version (\d+)/.exec((await page.getByTestId("clinical-status").textContent())!)![1]);

  const panel = page.getByTestId("predict-panel");
  await panel.getByRole("button", { name: "Predict", exact: true }).click();
  const result = panel.getByTestId("predict-result");
  await expect(result).toBeVisible({ timeout: 250_000 });
  await expect(result.getByTestId("prediction-incomplete")).toHaveCount(0);
  const used = result.getByTestId("predict-inputs-used");
  for (const role of ["CE-T1", "T2", "CT"])
    await expect(used.getByTestId(`used-series-${role}`)).toHaveText(
      new RegExp(`^${role}: ROI version \\d+ · \\d+\\.\\d mL · longest diameter \\d+ mm$`),
    );
  const clinical = used.getByTestId("used-clinical");
  await expect(clinical).toContainText(`Clinical record version ${version}:`);
  await expect(clinical).toContainText("HR+/HER2− subtype: no");
  await expect(clinical).toContainText("HER2+ subtype: yes");
  await expect(clinical).toContainText("Ki-67 30 %");
  await expect(panel).not.toContainText("HR-positive/HER2-negative");
  await expect(result.getByTestId("prediction-outdated")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("prediction-facts.png"), fullPage: true });

  // A new clinical version: the prediction on the page turns outdated (no reload needed), and stays so when reloaded.
  await form.locator("input[name=ki67Percent]").fill("35");
  await form.getByRole("button", { name: "Save clinical variables" }).click();
  await expect(page.getByTestId("clinical-status")).toContainText(`Saved as version ${version + 1}`, {
    timeout: 30_000,
  });
  await expect(result.getByTestId("prediction-outdated")).toContainText(
    `clinical record version ${version + 1} saved after this prediction (it used version ${version})`,
    { timeout: 20_000 },
  );
  await page.screenshot({ path: info.outputPath("prediction-outdated.png"), fullPage: true });
  await page.reload();
  await expect(page.getByTestId("prediction-outdated")).toBeVisible();

  // The report: outdated, every clinical variable used with the patient's value, ROI version per series.
  await page.getByRole("link", { name: "Tumour-board report" }).click();
  await expect(page.getByTestId("report-outdated")).toContainText(`clinical record version ${version + 1}`);
  const vars = page.getByTestId("report-clinical-variables").locator("li");
  await expect(vars.first()).toHaveText(`record version ${version}`);
  for (const fact of [
    "age 52 years",
    "post-menopausal: yes",
    "ER-positive: yes",
    "PR-positive: no",
    "HER2-positive: yes",
    "Ki-67 30 %",
    "grade 2",
    "clinical stage T2",
    "clinical stage N0",
    "HR+/HER2− subtype: no",
    "lobular histology: no",
  ]) {
    await expect(vars.filter({ hasText: fact })).toHaveCount(1);
  }
  for (const role of ["CE-T1", "T2", "CT"])
    await expect(page.getByTestId("report-rois")).toContainText(
      new RegExp(`${role}: ROI version \\d+, \\d+\\.\\d mL, longest diameter \\d+ mm`),
    );
  await page.screenshot({ path: info.outputPath("report-inputs.png"), fullPage: true });

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download PDF" }).click();
  const text = pdfText(readFileSync((await (await download).path())!)).replace(/\s+/g, " ");
  expect(text).toContain("Clinical variables used:");
  expect(text).toContain("HR+/HER2- subtype: no");
  expect(text).toContain(`OUTDATED: clinical record version ${version + 1}`);
});
