import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { chromium, type FullConfig } from "@playwright/test";

/**
 * Besides the synthetic demo patients seeded by the start command, the specs use one real (public, de-identified)
 * breast DCE-MRI series. It is imported through the product's own import route, as a radiologist would.
 */
export default async function globalSetup(config: FullConfig) {
  const { baseURL, launchOptions } = config.projects[0].use;
  const browser = await chromium.launch(launchOptions);
  const page = await browser.newPage({ baseURL });
  await page.goto("/signin");
  await page.getByLabel("Username").fill("radiologist");
  await page.getByLabel("Password").fill("radiologist-demo");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/worklist/);
  const dir = path.resolve("lib/testdata/breast_mri_ucsf_br_06/image_dce_pe1");
  const form = new FormData();
  for (const n of readdirSync(dir).sort())
    form.append("files", new File([readFileSync(path.join(dir, n))], n, { type: "application/dicom" }));
  const res = await page.request.post("/api/import", { multipart: form, timeout: 120_000 });
  await browser.close();
  if (!res.ok()) throw new Error(`global setup: import failed ${res.status()} ${await res.text()}`);
}
