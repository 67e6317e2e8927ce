import { expect, test } from "@playwright/test";
import { signInAsRadiologist } from "./helpers";
import { pdfText } from "./pixels";

test("clinical variables are validated; Predict shows both probabilities, spread, explanation and model version; the PDF report carries them", async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await signInAsRadiologist(page);
  await page.locator("[data-testid=worklist-table] tr", { hasText: "synthetic" }).first().locator("a").click();
  const form = page.getByRole("form", { name: "Clinical variables" });

  // Out of range: refused with a message, nothing saved.
  await form.locator("input[name=ki67Percent]").fill("140");
  await form.getByRole("button", { name: "Save clinical variables" }).click();
  await expect(page.getByTestId("clinical-status")).toHaveText("Ki-67 must be at most 100 %");

  await form.locator("input[name=ageYears]").fill("49");
  await form.locator("select[name=menopausalStatus]").selectOption("pre");
  for (const [name, v] of [
    ["er", "negative"],
    ["pr", "negative"],
    ["her2", "positive"],
    ["grade", "3"],
    ["histology", "IDC (NST)"],
    ["cT", "cT2"],
    ["cN", "cN1"],
  ]) {
    await form.locator(`select[name=${name}]`).selectOption(v);
  }
  await form.locator("input[name=ki67Percent]").fill("45");
  await form.getByRole("button", { name: "Save clinical variables" }).click();
  await expect(page.getByTestId("clinical-status")).toContainText("Saved as version");

  await page.getByRole("button", { name: "Predict" }).click();
  const result = page.getByTestId("predict-result");
  await expect(result).toBeVisible({ timeout: 150_000 });
  for (const ep of ["pcr", "response"]) {
    await expect(page.getByTestId(`probability-${ep}`)).toHaveText(/^\d{1,3}%$/);
    await expect(page.getByTestId(`spread-${ep}`)).toContainText("partition models");
    await expect(page.getByTestId(`explanation-${ep}`).locator("li").first()).toBeVisible();
  }
  await expect(page.getByTestId("model-version")).toContainText("version");
  const version = (await page.getByTestId("model-version-number").textContent())!.trim();
  expect(version.length).toBeGreaterThan(0);
  await page.screenshot({ path: info.outputPath("prediction.png"), fullPage: true });

  const pcr = (await page.getByTestId("probability-pcr").textContent())!;
  const download = page.waitForEvent("download");
  await page.getByTestId("report-pdf").click();
  const file = await (await download).path();
  const { readFileSync } = await import("node:fs");
  const text = pdfText(readFileSync(file!));
  expect(text).toContain("RESEARCH USE ONLY");
  expect(text).toContain(`Pathologic complete response (pCR): ${pcr}`);
  expect(text).toContain("Response (>= 30% size reduction):");
  expect(text).toMatch(/Spread across \d+ partition models/);
  expect(text.replace(/\s+/g, " ")).toContain(`version ${version}`);
});
