import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import {
  chooseCeT1Comparison,
  reactivateSeededDemoModel,
  researcherWithTable,
  signInAs,
  signInAsRadiologist,
  spareSyntheticPatient,
} from "./helpers";
import { pdfText } from "./pixels";

test("a researcher runs the comparison and registers a model; an admin activates it; a radiologist's Predict uses it and the report names it", async ({
  browser,
}, info) => {
  test.setTimeout(900_000);

  // --- researcher: upload, choose the comparison, run it as a job ---
  const { ctx: rctx, page: r } = await researcherWithTable(browser, { acceptDownloads: true });
  await expect(r.getByTestId("table-summary")).toContainText("60 patients, 228 feature columns");
  await expect(r.getByTestId("table-summary")).toContainText("Handcrafted radiomics (214)");
  await chooseCeT1Comparison(r, { shell: true });
  await r.getByTestId("start-experiment").click();
  await expect(r).toHaveURL(/\/experiments\/[0-9a-f-]{36}$/);
  await expect(r.getByTestId("experiment-status")).toContainText("succeeded", { timeout: 600_000 });

  const table = r.getByTestId("comparison-table");
  for (const set of [
    "handcrafted.CE_T1.both",
    "handcrafted.CE_T1.both+clinical",
    "handcrafted.CE_T1.intra",
    "handcrafted.CE_T1.intra+clinical",
    "handcrafted.CE_T1.peri",
    "handcrafted.CE_T1.peri+clinical",
  ]) {
    await expect(table.getByTestId(`row-${set}`)).toContainText(/\d+\.\d ± \d+\.\d \[\d+\.\d, \d+\.\d\]/);
  }
  await expect(table).toContainText("pCR (n = 60");
  await expect(table).toContainText("response (n = 60");
  await expect(r.getByTestId("roc-chart").locator("canvas")).toBeVisible();
  await expect(r.getByLabel("handcrafted.CE_T1.intra+clinical", { exact: true })).toBeChecked();
  await expect(r.getByTestId("calibration-chart").locator("canvas")).toBeVisible();
  await r.screenshot({ path: info.outputPath("experiment-results.png"), fullPage: true });

  // exports: CSV table, PNG and SVG plots
  const csvDl = r.waitForEvent("download");
  await r.getByTestId("export-csv").click();
  const csv = readFileSync((await (await csvDl).path())!, "utf8");
  expect(csv.split("\n")[0]).toMatch(
    /^feature_set,label,endpoint,n,n_positive,n_features,partitions,threshold,balancedAccuracy_mean/,
  );
  expect(csv.trim().split("\n")).toHaveLength(13);
  const pngDl = r.waitForEvent("download");
  await r.getByTestId("roc-chart").getByRole("button", { name: "PNG" }).click();
  const png = await pngDl;
  expect(png.suggestedFilename()).toMatch(/^roc-pCR-.*\.png$/);
  const pngBytes = readFileSync((await png.path())!);
  expect([...pngBytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  const svgDl = r.waitForEvent("download");
  await r.getByTestId("calibration-chart").getByRole("button", { name: "SVG" }).click();
  const svg = readFileSync((await (await svgDl).path())!, "utf8");
  expect(svg).toMatch(/^<svg/);
  expect(svg).toContain("Mean predicted probability");
  // the plots carry the experiment's curves, not only the axes (legend entries of the plotted feature sets)
  expect(svg).toContain("handcrafted.CE_T1.both+clinical");

  // register the clinical + tumour set as a (demo) model
  await r.getByTestId("register-feature-set").selectOption("handcrafted.CE_T1.intra+clinical");
  await r.getByTestId("register-demo").check();
  await r.getByTestId("register-button").click();
  // the version counts earlier registrations of this name (another spec of the run may have registered one)
  await expect(r.getByTestId("register-result")).toContainText(
    /Registered nacpredict-handcrafted\.ce_t1\.intra-clinical version \d+\.0\.0-/,
    { timeout: 300_000 },
  );
  const version = /version (\S+)\./.exec((await r.getByTestId("register-result").textContent())!)![1];

  // a researcher sees the registry but cannot activate
  await r.goto("/models");
  await expect(r.getByTestId("model-list")).toContainText(version);
  await expect(r.getByTestId("activate-button")).toHaveCount(0);
  const models = (await (await r.request.get("/api/models")).json()).models as { id: string; version: string }[];
  const id = models.find((m) => m.version === version)!.id;
  expect((await r.request.post(`/api/models/${id}/activate`)).status()).toBe(403);
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
  await expect(a.getByTestId("model-message")).toContainText(`${version} is now the active model`);
  await expect(a.getByTestId(`model-nacpredict-handcrafted.ce_t1.intra-clinical-${version}`)).toContainText("active");
  await a.screenshot({ path: info.outputPath("models.png"), fullPage: true });
  await actx.close();

  // --- a radiologist's Predict uses the new bundle; the report names it ---
  const cctx = await browser.newContext({ acceptDownloads: true });
  const c = await cctx.newPage();
  await signInAsRadiologist(c);
  const patientId = await spareSyntheticPatient(c, { ceT1Roi: true, nth: 1 });
  await c.goto(`/patients/${patientId}`);
  await c.getByRole("button", { name: "Predict" }).click();
  await expect(c.getByTestId("predict-result")).toBeVisible({ timeout: 200_000 });
  await expect(c.getByTestId("model-version")).toContainText(
    "NACpredict handcrafted.CE_T1.intra+clinical (demo, synthetic data)",
  );
  await expect(c.getByTestId("model-version-number")).toHaveText(version);
  await c.screenshot({ path: info.outputPath("prediction-new-bundle.png"), fullPage: true });
  const dl = c.waitForEvent("download");
  await c.getByTestId("report-pdf").click();
  const text = pdfText(readFileSync((await (await dl).path())!)).replace(/\s+/g, " ");
  expect(text).toContain(`version ${version}`);
  expect(text).toContain("handcrafted.CE_T1.intra+clinical");

  // the model card is the new bundle's, with its provenance and the local track record section
  await c.goto("/model-card");
  await expect(c.getByTestId("model-card")).toContainText(`version ${version}`);
  await expect(c.getByTestId("model-provenance")).toContainText("handcrafted.CE_T1.intra+clinical");
  await expect(c.getByTestId("track-record")).toContainText("Local track record");
  await c.screenshot({ path: info.outputPath("model-card.png"), fullPage: true });
  await cctx.close();
  await reactivateSeededDemoModel(browser);
});
