import { expect, test } from "@playwright/test";
import { seedDemoPacs } from "../lib/pacs/testdata/demo-pacs";
import { startOrthanc, type OrthancServer } from "../lib/pacs/testdata/orthanc";
import type { GeneratedPatient } from "../lib/synth/generate-patient";
import { signIn, signInAsRadiologist } from "./helpers";
import { overlayPixels, panesShowPixels, pixelStats } from "./pixels";

/**
 * Issue 21, as a radiologist would: a real Orthanc (Debian, DICOMweb plugin) holds a patient NACpredict has never seen.
 * The admin configures it; the radiologist searches the PACS from the worklist, opens the studies streamed from Orthanc
 * (pixels on screen), imports them, draws and saves an ROI, stores it to the PACS, predicts, and stores the prediction:
 * the SR (and the SEG) appear in Orthanc.
 */
let orthanc: OrthancServer;
let patient: GeneratedPatient;

test.beforeAll(async () => {
  orthanc = await startOrthanc();
  patient = await seedDemoPacs(orthanc);
});
test.afterAll(async () => {
  await orthanc?.stop();
});

test("a radiologist searches the PACS, views a study streamed from Orthanc, imports it, draws and stores an ROI, predicts and stores the SR", async ({
  browser,
}, info) => {
  test.setTimeout(420_000);
  // The admin configures the data source (the password field is write-only).
  const admin = await browser.newPage();
  await signIn(admin, "admin", "admin-demo");
  await expect(admin).toHaveURL(/\/worklist/);
  await admin.goto("/admin/pacs");
  await admin.getByLabel("Name", { exact: true }).fill("Test PACS");
  await admin.getByLabel("DICOMweb root URL").fill(orthanc.dicomWebUrl);
  await admin.getByLabel("User name").fill(orthanc.username);
  await admin.getByLabel("Password", { exact: true }).fill("wrong-password");
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByRole("status")).toHaveText("saved Test PACS");
  const sources = await (await admin.request.get("/api/pacs/sources")).json();
  expect(JSON.stringify(sources)).not.toContain("wrong-password");
  await admin.close();

  const page = await browser.newPage();
  await signInAsRadiologist(page);
  await page.getByTestId("tab-pacs").click();
  await page.getByLabel("Patient ID").fill(patient.patientId);
  await page.getByRole("button", { name: "Search PACS" }).click();
  // Wrong credentials: a clear message, not a sign-out.
  await expect(page.getByTestId("pacs-error")).toContainText("refused NACpredict's credentials (401)");
  await page.screenshot({ path: info.outputPath("pacs-wrong-credentials.png") });

  const admin2 = await browser.newPage();
  await signIn(admin2, "admin", "admin-demo");
  await expect(admin2).toHaveURL(/\/worklist/);
  await admin2.goto("/admin/pacs");
  await expect(admin2.getByLabel("Password", { exact: true })).toHaveAttribute(
    "placeholder",
    "stored (leave empty to keep)",
  );
  await admin2.getByLabel("Password", { exact: true }).fill(orthanc.password);
  await admin2.getByRole("button", { name: "Save" }).click();
  await expect(admin2.getByRole("status")).toHaveText("saved Test PACS");
  await admin2.close();

  // Search by part of the name this time.
  await page.getByLabel("Patient ID").fill("");
  await page.getByLabel("Name", { exact: true }).fill("patient-001");
  await page.getByRole("button", { name: "Search PACS" }).click();
  await expect(page.getByTestId("pacs-study-row")).toHaveCount(2);
  await expect(page.getByTestId("pacs-results")).toContainText(patient.patientId);
  await page.screenshot({ path: info.outputPath("pacs-search.png"), fullPage: true });

  // Streamed: three panes from Orthanc through the proxy, nothing stored.
  await page.getByTestId("pacs-open").click();
  await expect(page.getByTestId("pacs-streamed-badge")).toContainText("streamed from Test PACS");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("DEMO, PATIENT-001");
  await page.waitForFunction(panesShowPixels, 3, { timeout: 60_000 });
  for (const i of [0, 1, 2]) {
    const stats = await pixelStats(page, page.getByTestId(`viewport-${i}`));
    expect(stats.distinct, `pane ${i} shows an image`).toBeGreaterThan(20);
  }
  await expect(page.getByTestId("pane-title-0")).toContainText("CE-T1");
  await expect(page.getByTestId("pane-title-2")).toContainText("CT");
  await expect(page.getByTestId("slice-0")).toContainText("/ 56");
  await expect(page.getByTestId("roi-locked")).toContainText("streamed from the PACS");
  await page.screenshot({ path: info.outputPath("pacs-streamed-viewer.png"), fullPage: true });
  const local = await (await page.request.get(`/api/patients?q=${encodeURIComponent(patient.patientId)}`)).json();
  expect(local.patients.filter((p: { patientKey: string }) => p.patientKey === patient.patientId)).toEqual([]);

  // Import, then work on the local copy.
  await page.getByTestId("pacs-import-start").click();
  await expect(page.getByTestId("pacs-import-done")).toContainText("130 images imported", { timeout: 180_000 });
  await page.getByTestId("pacs-import-open-patient").click();
  await expect(page.getByTestId("slice-0")).toContainText("/ 56");
  const viewport = page.getByTestId("viewport-0");
  await expect(page.getByRole("button", { name: "Brush", exact: true })).toBeEnabled({ timeout: 60_000 });
  const before = await overlayPixels(page, viewport);
  await page.getByRole("button", { name: "Brush", exact: true }).click();
  const box = (await viewport.boundingBox())!;
  const cx = box.x + box.width / 2,
    cy = box.y + box.height / 2;
  await page.mouse.move(cx - 30, cy);
  await page.mouse.down();
  for (let t = 0; t <= 20; t++) await page.mouse.move(cx - 30 + t * 3, cy + Math.sin(t / 3) * 10);
  await page.mouse.up();
  expect((await overlayPixels(page, viewport)).red).toBeGreaterThan(before.red + 200);
  await page.getByRole("button", { name: "Save ROI" }).click();
  await expect(page.getByTestId("roi-message")).toContainText("ROI version 1 saved", { timeout: 60_000 });
  await page.getByTestId("roi-store-pacs").click();
  await expect(page.getByTestId("roi-store-pacs-result")).toHaveText("stored in Test PACS as DICOM SEG", {
    timeout: 30_000,
  });

  await page.getByRole("button", { name: "Predict", exact: true }).click();
  // One series and no clinical record: the bundle's required inputs are missing, so Predict asks first (issue 18).
  await page.getByTestId("predict-incomplete-confirm").getByRole("button", { name: "Predict anyway" }).click();
  await expect(page.getByTestId("predict-result")).toBeVisible({ timeout: 200_000 });
  await page.getByTestId("prediction-store-pacs").click();
  await expect(page.getByTestId("prediction-store-pacs-result")).toHaveText("stored in Test PACS: DICOM SR + 1 SEG", {
    timeout: 60_000,
  });
  await page.screenshot({ path: info.outputPath("stored-to-pacs.png"), fullPage: true });

  // In Orthanc: the SR and the SEG, in the patient's MR study.
  const found = await (
    await orthanc.rest("/tools/find", {
      method: "POST",
      body: JSON.stringify({ Level: "Series", Query: { PatientID: patient.patientId }, Expand: true }),
    })
  ).json();
  const modalities = (found as { MainDicomTags: { Modality: string } }[]).map((s) => s.MainDicomTags.Modality).sort();
  expect(modalities).toEqual(["CT", "MR", "MR", "SEG", "SR"]);
  const sr = await page.request.get((await page.getByTestId("report-sr").getAttribute("href"))!);
  expect(sr.headers()["content-type"]).toBe("application/dicom");
  expect((await sr.body()).subarray(128, 132).toString()).toBe("DICM");
});
