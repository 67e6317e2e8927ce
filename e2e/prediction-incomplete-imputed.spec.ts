import { expect, test } from "@playwright/test";
import { signInAsRadiologist } from "./helpers";

interface WorklistPatient {
  id: string;
  isSynthetic: boolean;
  roiSeriesRoles: string[];
}

test("a patient without the inputs the model needs: Predict asks first; 'predict anyway' shows it incomplete, headline greyed, reason first, imputed inputs named apart", async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  await signInAsRadiologist(page);
  const patients = (await (await page.request.get("/api/patients?sort=key")).json()).patients as WorklistPatient[];
  // The demo patient with no ROI at all (it has a clinical record): every image feature would be imputed.
  const p = patients.find((x) => x.isSynthetic && x.roiSeriesRoles.length === 0)!;
  expect(p).toBeTruthy();
  const count = async () =>
    ((await (await page.request.get(`/api/patients/${p.id}/predict`)).json()).predictions as unknown[]).length;
  const before = await count();
  await page.goto(`/patients/${p.id}`);
  const panel = page.getByTestId("predict-panel");

  await panel.getByRole("button", { name: "Predict", exact: true }).click();
  const confirm = panel.getByTestId("predict-incomplete-confirm");
  await expect(confirm).toBeVisible({ timeout: 60_000 });
  for (const role of ["CE-T1", "T2", "CT"]) await expect(confirm).toContainText(`no tumour ROI on the ${role} series`);
  await expect(panel.getByTestId("predict-result")).toHaveCount(0);
  expect(await count()).toBe(before); // nothing stored without the confirmation

  await confirm.getByRole("button", { name: "Predict anyway" }).click();
  const result = panel.getByTestId("predict-result");
  await expect(result).toBeVisible({ timeout: 250_000 });
  expect(await count()).toBe(before + 1);

  // Reason first, headline greyed.
  const reason = result.getByTestId("prediction-incomplete");
  await expect(reason).toContainText(
    "Incomplete prediction: no tumour ROI on the CE-T1 series; no tumour ROI on the T2 series; no tumour ROI on the CT series",
  );
  const headline = result.getByTestId("probability-pcr");
  expect((await reason.boundingBox())!.y).toBeLessThan((await headline.boundingBox())!.y);
  await expect(headline).toHaveAttribute("data-incomplete", "true");
  await expect(headline).toHaveCSS("color", "rgb(125, 133, 144)"); // ink-500, the greyed text of the theme

  // Imputed inputs named as such and grouped apart from the patient's facts.
  const imputed = result.locator("[data-testid^=imputed-] li");
  expect(await imputed.count()).toBeGreaterThan(0);
  for (const t of await imputed.allTextContents())
    expect(t).toMatch(
      /\(imputed: no tumour ROI on the (CE-T1|T2|CT) series, training median used\); contribution: [+-]?\d+\.\d\d$/,
    );
  for (const ep of ["pcr", "response"])
    for (const t of await result.getByTestId(`explanation-${ep}`).locator("li").allTextContents())
      expect(t).not.toContain("imputed");
  await expect(result.getByTestId("used-series-T2")).toHaveText("T2: no tumour ROI on the T2 series");

  // The headline and the partition mean are told apart.
  await expect(result.getByTestId("headline-explained")).toContainText("The large number is the final model");
  await page.screenshot({ path: info.outputPath("incomplete-prediction.png"), fullPage: true });

  // Reloaded, the stored prediction is still shown incomplete.
  await page.reload();
  await expect(page.getByTestId("prediction-incomplete")).toBeVisible();
});
