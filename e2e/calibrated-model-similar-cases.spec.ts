import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import {
  chooseCeT1Comparison,
  EXPERIMENT_TABLE,
  reactivateSeededDemoModel,
  researcherWithTable,
  signInAs,
  signInAsRadiologist,
  spareSyntheticPatient,
} from "./helpers";

/**
 * Calibration and similar cases as users meet them: the demo model's card says "uncalibrated"; a researcher registers a model
 * with "allow similar cases"; once active, the model card shows its calibration curve with Brier and ECE before/after,
 * and a radiologist's prediction names the calibration map and lists similar training cases with outcomes, no ids.
 */
test("a model registered with similar cases allowed shows its calibration on the model card and similar cases at Predict", async ({
  browser,
}, info) => {
  test.setTimeout(1_800_000); // experiment + registration with calibration (inner folds) on a shared machine

  // --- the demo bundle (schema 1, made before calibration) says uncalibrated ---
  const cctx = await browser.newContext();
  const c = await cctx.newPage();
  await signInAsRadiologist(c);
  await expect(c).toHaveURL(/\/worklist/);
  await c.goto("/model-card");
  await expect(c.getByTestId("model-calibration")).toContainText("pcr: uncalibrated");
  await expect(c.getByTestId("model-similar-cases")).toContainText("Not enabled");

  // --- researcher: experiment on one feature set, registered with similar cases allowed ---
  const { ctx: rctx, page: r } = await researcherWithTable(browser);
  await expect(r.getByTestId("table-summary")).toContainText("60 patients");
  await chooseCeT1Comparison(r, { shell: false });
  await r.getByTestId("start-experiment").click();
  await expect(r.getByTestId("experiment-status")).toContainText("succeeded", { timeout: 600_000 });
  await r.getByTestId("register-feature-set").selectOption("handcrafted.CE_T1.intra+clinical");
  await r.getByTestId("register-demo").check();
  await expect(r.getByTestId("register-similar-cases")).not.toBeChecked(); // off unless the site allows it
  await r.getByTestId("register-similar-cases").check();
  await r.getByTestId("register-button").click();
  await expect(r.getByTestId("register-result")).toContainText("Registered", { timeout: 300_000 });
  const version = /version (\S+)\./.exec((await r.getByTestId("register-result").textContent())!)![1];
  await rctx.close();

  // --- admin activates it ---
  const actx = await browser.newContext();
  const a = await actx.newPage();
  await signInAs(a, "admin");
  await a.goto("/models");
  a.on("dialog", (d) => d.accept());
  await a
    .getByTestId(`model-nacpredict-handcrafted.ce_t1.intra-clinical-${version}`)
    .getByTestId("activate-button")
    .click();
  await expect(a.getByTestId("model-message")).toContainText("is now the active model");
  await actx.close();

  // --- model card: calibration curve, Brier and ECE before / after ---
  await c.goto("/model-card");
  await expect(c.getByTestId("model-card")).toContainText(`version ${version}`);
  for (const ep of ["pcr", "response"]) {
    const card = c.getByTestId(`calibration-card-${ep}`);
    await expect(card).toContainText(/calibrated by (Platt scaling|isotonic regression)/);
    await expect(card.locator("svg")).toBeVisible();
    await expect(c.getByTestId(`ece-before-${ep}`)).toHaveText(/^0\.\d{3} ± 0\.\d{3}$/);
    await expect(c.getByTestId(`ece-after-${ep}`)).toHaveText(/^0\.\d{3} ± 0\.\d{3}$/);
  }
  await expect(c.getByTestId("model-similar-cases")).toContainText("60 de-identified training cases");
  await c.getByTestId("model-calibration").screenshot({ path: info.outputPath("model-card-calibration.png") });

  // --- Predict: calibrated probability, similar cases without names or ids ---
  const patientId = await spareSyntheticPatient(c, { ceT1Roi: true, nth: 2 });
  await c.goto(`/patients/${patientId}`);
  await c.getByRole("button", { name: "Predict" }).click();
  await expect(c.getByTestId("predict-result")).toBeVisible({ timeout: 200_000 });
  await expect(c.getByTestId("calibration-pcr")).toContainText(/calibrated \((Platt scaling|isotonic regression)/);
  const similar = c.getByTestId("similar-cases");
  await expect(similar).toBeVisible();
  for (const ep of ["pcr", "response"])
    await expect(c.getByTestId(`similar-cases-${ep}`).locator("tbody tr")).toHaveCount(5);
  const shown = (await similar.textContent())!;
  const ids = readFileSync(EXPERIMENT_TABLE, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(",")[0]);
  for (const id of ids) expect(shown).not.toContain(id);
  // through the page's own fetch: the API request context's pooled connection may have idled past the server's timeout
  const patients = (await c.evaluate(() => fetch("/api/patients").then((r) => r.json()))).patients as {
    displayName?: string;
    patientKey?: string;
  }[];
  for (const p of patients) for (const v of [p.displayName, p.patientKey]) if (v) expect(shown).not.toContain(v);
  await c.getByTestId("predict-panel").screenshot({ path: info.outputPath("predict-similar-cases.png") });
  await cctx.close();
  await reactivateSeededDemoModel(browser);
});
