import http from "node:http";
import { expect, test } from "@playwright/test";
import { syntheticSlice } from "../lib/imaging/series/synthetic-slice.testutil";
import { signInAsRadiologist } from "./helpers";

/**
 * CSRF (issue 15 item 4): while a radiologist is signed in, a page served from another port of the same host (same
 * site, so the SameSite=Lax session cookie travels with its requests) tries every write a browser lets it send without
 * a CORS preflight: JSON as text/plain to the clinical record, a multipart DICOM import, a Predict, and a classic
 * auto-submitted form. Nothing may change.
 */
test("a page on another origin cannot write as the signed-in radiologist", async ({ page, baseURL }) => {
  await signInAsRadiologist(page);
  const app = new URL(baseURL!);
  const patients = (await (await page.request.get("/api/patients")).json()).patients as {
    id: string;
    patientKey: string;
  }[];
  const patientId = patients[0].id;
  const clinicalBefore = (await (await page.request.get(`/api/patients/${patientId}/clinical`)).json()).record as {
    version: number;
  } | null;
  const predictionsBefore = (
    (await (await page.request.get(`/api/patients/${patientId}/predict`)).json()).predictions as unknown[]
  ).length;

  const dicom = Buffer.from(
    syntheticSlice({
      seriesUid: "1.2.826.0.1.3680043.10.6.1",
      z: 0,
      value: 1,
      extra: { PatientID: "CSRF-VICTIM", StudyInstanceUID: "1.2.826.0.1.3680043.10.6.2" },
    }),
  );
  const values = {
    ageYears: 99,
    menopausalStatus: "post",
    er: "positive",
    pr: "positive",
    her2: "negative",
    ki67Percent: 1,
    grade: "1",
    histology: "other",
    cT: "cT1",
    cN: "cN0",
  };
  const attack = `<!doctype html><title>attacker</title><iframe name="sink"></iframe>
<form id="f" method="POST" enctype="text/plain" target="sink" action="${app.origin}/api/patients/${patientId}/clinical">
  <input name='{"values":${JSON.stringify(values).replace(/'/g, "")},"x":"' value='"}'>
</form>
<script>
(async () => {
  const app = ${JSON.stringify(app.origin)};
  const out = [];
  const attempt = async (name, f) => { try { const r = await f(); out.push(name + ":" + r.type + ":" + r.status); } catch (e) { out.push(name + ":blocked"); } };
  await attempt("clinical-as-text", () => fetch(app + "/api/patients/${patientId}/clinical", { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: JSON.stringify({ values: ${JSON.stringify(values)} }) }));
  await attempt("clinical-as-json", () => fetch(app + "/api/patients/${patientId}/clinical", { method: "POST", credentials: "include", headers: { "content-type": "application/json" }, body: JSON.stringify({ values: ${JSON.stringify(values)} }) }));
  await attempt("predict", () => fetch(app + "/api/patients/${patientId}/predict", { method: "POST", mode: "no-cors", credentials: "include" }));
  const dcm = await (await fetch("/victim.dcm")).blob();
  const fd = new FormData();
  fd.append("files", dcm, "victim.dcm");
  await attempt("import", () => fetch(app + "/api/import", { method: "POST", mode: "no-cors", credentials: "include", body: fd }));
  document.getElementById("f").submit();
  await new Promise((r) => setTimeout(r, 1500));
  document.title = "done " + out.join(" ");
})();
</script>`;
  const server = http.createServer((req, res) => {
    if (req.url === "/victim.dcm") res.writeHead(200, { "content-type": "application/dicom" }).end(dicom);
    else res.writeHead(200, { "content-type": "text/html" }).end(attack);
  });
  // +1000 is the test OpenID Connect provider (playwright.config.ts)
  const attackerPort = Number(app.port) + 2000;
  await new Promise<void>((r) => server.listen(attackerPort, "127.0.0.1", r));
  try {
    // same host name as the app, another port: same site for the cookie, another origin for CORS
    await page.goto(`http://${app.hostname}:${attackerPort}/`);
    await expect(page).toHaveTitle(/^done /, { timeout: 30_000 });
    await page.screenshot({ path: test.info().outputPath("attacker-page.png") });
  } finally {
    server.close();
  }

  // Nothing changed: no new clinical version, no prediction, no imported patient.
  const clinicalAfter = (await (await page.request.get(`${app.origin}/api/patients/${patientId}/clinical`)).json())
    .record as { version: number } | null;
  expect(clinicalAfter?.version ?? null).toBe(clinicalBefore?.version ?? null);
  expect(
    (
      (await (await page.request.get(`${app.origin}/api/patients/${patientId}/predict`)).json())
        .predictions as unknown[]
    ).length,
  ).toBe(predictionsBefore);
  const after = (await (await page.request.get(`${app.origin}/api/patients?q=CSRF-VICTIM`)).json())
    .patients as unknown[];
  expect(after).toEqual([]);
});
