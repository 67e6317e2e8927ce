import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

export async function signIn(page: Page, username: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export async function signInAsRadiologist(page: Page) {
  await signIn(page, "radiologist", "radiologist-demo");
  await expect(page).toHaveURL(/\/worklist/);
}

export async function signInAs(page: Page, role: "radiologist" | "oncologist" | "researcher" | "admin") {
  await signIn(page, role, `${role}-demo`);
  await expect(page).toHaveURL(/\/worklist/);
}

/** The synthetic feature table the experiment specs upload (60 patients, CE-T1 features). */
export const EXPERIMENT_TABLE = path.join(import.meta.dirname, "testdata", "synthetic-60-ce-t1.csv");

/** A researcher on the Experiments page with the synthetic feature table uploaded. */
export async function researcherWithTable(
  browser: Browser,
  opts: { acceptDownloads?: boolean } = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext(opts);
  const page = await ctx.newPage();
  await signInAs(page, "researcher");
  await page.getByRole("link", { name: "Experiments" }).click();
  await page.getByTestId("table-file").setInputFiles(EXPERIMENT_TABLE);
  return { ctx, page };
}

/** On the uploaded table's summary: the CE-T1 tumour features (and the shell's when asked), 3 partitions, 20 rounds. */
export async function chooseCeT1Comparison(page: Page, opts: { shell: boolean }) {
  const check = async (label: string, on: boolean) => {
    const box = page.getByTestId("table-summary").getByLabel(label, { exact: true });
    if (on) await box.check();
    else await box.uncheck();
  };
  await check("CE-T1 + T2 + CT", false);
  await check("CE-T1", true);
  await check("tumour", true);
  await check("shell", opts.shell);
  await page.getByTestId("partitions").fill("3");
  await page.getByTestId("rounds").fill("20");
}

interface WorklistPatient {
  id: string;
  patientKey: string;
  isSynthetic: boolean;
  roiSeriesRoles: string[];
}

/**
 * A synthetic demo patient for a spec that changes it (ROI versions, series roles), chosen by patient key so specs do
 * not share one: never the first synthetic patient of the worklist (the read-only specs open that one), and among the
 * rest the `nth` one with (or without) a CE-T1 ROI.
 */
export async function spareSyntheticPatient(page: Page, opts: { ceT1Roi: boolean; nth?: number }): Promise<string> {
  const byName = (await (await page.request.get("/api/patients")).json()).patients as WorklistPatient[];
  const firstShown = byName.find((p) => p.isSynthetic)?.id;
  const byKey = (await (await page.request.get("/api/patients?sort=key")).json()).patients as WorklistPatient[];
  const candidates = byKey.filter(
    (p) => p.isSynthetic && p.id !== firstShown && p.roiSeriesRoles.includes("CE_T1") === opts.ceT1Roi,
  );
  const chosen = candidates[opts.nth ?? 0];
  if (!chosen)
    throw new Error(
      `no spare synthetic patient (CE-T1 ROI: ${opts.ceT1Roi}, nth ${opts.nth ?? 0}) among ${byKey.length} patients`,
    );
  return chosen.id;
}

/**
 * Specs that activate another model put the seeded demo model back at their end, so the specs after them (which read
 * the demo model's inputs and wording) meet the model the server started with. Through the page's own fetch, as a
 * browser write (same-origin JSON, as the app's CSRF rule requires).
 */
export async function reactivateSeededDemoModel(browser: Browser): Promise<void> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, "admin", "admin-demo");
  await expect(page).toHaveURL(/\/worklist/);
  const status = await page.evaluate(async () => {
    const { models } = (await (await fetch("/api/models")).json()) as { models: { id: string; source: string }[] };
    const seeded = models.find((m) => m.source === "demo");
    if (!seeded) return -1;
    const res = await fetch(`/api/models/${seeded.id}/activate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    return res.status;
  });
  expect(status).toBe(200);
  await ctx.close();
}

/**
 * Imports a folder of DICOM files through the import route, as a user would (idempotent on a second run), and shows
 * its series in the `role` pane whatever the classifier called it.
 */
export async function importSeriesAs(
  page: Page,
  dir: string,
  role: "CE_T1" | "T2" | "CT",
): Promise<{ seriesId: string; patientId: string }> {
  const form = new FormData();
  for (const n of readdirSync(dir).sort())
    form.append("files", new File([readFileSync(path.join(dir, n))], n, { type: "application/dicom" }));
  const imported = await page.request.post("/api/import", { multipart: form, timeout: 120_000 });
  expect(imported.ok()).toBe(true);
  const report = (await imported.json()) as {
    series: { seriesId: string; patientId: string }[];
    files: { status: string; seriesInstanceUid?: string }[];
  };
  // The answer lists only newly stored series: when an earlier spec imported this one, find it by its UID.
  const series =
    report.series[0] ??
    (await storedSeries(
      page,
      report.files.find((f) => f.status === "duplicate"),
    ));
  expect((await page.request.patch(`/api/series/${series.seriesId}`, { data: { role } })).status()).toBe(200);
  return series;
}

async function storedSeries(page: Page, duplicate: { seriesInstanceUid?: string } | undefined) {
  expect(duplicate?.seriesInstanceUid).toBeTruthy();
  const patients = (await (await page.request.get("/api/patients")).json()).patients as { id: string }[];
  for (const { id } of patients) {
    const patient = (await (await page.request.get(`/api/patients/${id}`)).json()).patient as {
      studies: { series: { id: string; seriesInstanceUid: string }[] }[];
    };
    const s = patient.studies
      .flatMap((st) => st.series)
      .find((x) => x.seriesInstanceUid === duplicate!.seriesInstanceUid);
    if (s) return { seriesId: s.id, patientId: id };
  }
  throw new Error(`series ${duplicate!.seriesInstanceUid} is neither new nor on the worklist`);
}
