import { expect, test } from "@playwright/test";
import { signInAs, spareSyntheticPatient } from "./helpers";

/**
 * After surgery an oncologist records the outcome on the patient page: a contradiction is refused with the reason,
 * the response is derived from the two diameters, each save is a new version that survives a reload; a researcher
 * sees the outcome read-only.
 */
test("oncologist records pCR and response after surgery; saved as versions; researcher reads only", async ({
  page,
  browser,
}, info) => {
  await signInAs(page, "oncologist");
  const patientId = await spareSyntheticPatient(page, { ceT1Roi: true, nth: 3 });
  await page.goto(`/patients/${patientId}`);
  const form = page.getByRole("form", { name: "Outcome after surgery" });
  await expect(form).toBeVisible();
  const before = (await (await page.request.get(`/api/patients/${patientId}/outcome`)).json()).outcome?.version ?? 0;

  await form.locator("select[name=pcr]").selectOption("0");
  await form.locator("select[name=response]").selectOption("0");
  await form.locator("input[name=preDiameterMm]").fill("32");
  await form.locator("input[name=postDiameterMm]").fill("12");
  await form.locator("input[name=outcomeDate]").fill("2026-11-30");
  await form.locator("input[name=source]").fill("surgical pathology report");
  await form.getByRole("button", { name: "Save outcome" }).click();
  // 32 -> 12 mm is a 62 % reduction: "no response" contradicts it
  await expect(page.getByTestId("outcome-status")).toContainText("response contradicts the diameters");
  await page.screenshot({ path: info.outputPath("1-contradiction-refused.png"), fullPage: true });

  await form.locator("select[name=response]").selectOption("");
  await form.getByRole("button", { name: "Save outcome" }).click();
  await expect(page.getByTestId("outcome-status")).toHaveText(`Saved as version ${before + 1}`);
  await expect(form.locator("select[name=response]")).toHaveValue("1"); // derived from the diameters
  await form.locator("select[name=pcr]").selectOption("1");
  await form.getByRole("button", { name: "Save outcome" }).click();
  await expect(page.getByTestId("outcome-status")).toHaveText(`Saved as version ${before + 2}`);

  await page.reload();
  await expect(page.getByTestId("outcome-version")).toHaveText(`version ${before + 2}`);
  await expect(form.locator("select[name=pcr]")).toHaveValue("1");
  await expect(form.locator("input[name=source]")).toHaveValue("surgical pathology report");
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("2-saved-version.png"), fullPage: true });
  const api = (await (await page.request.get(`/api/patients/${patientId}/outcome`)).json()).outcome;
  expect(api).toMatchObject({
    version: before + 2,
    pcr: 1,
    response: 1,
    preDiameterMm: 32,
    postDiameterMm: 12,
    outcomeDate: "2026-11-30",
  });

  const ctx = await browser.newContext();
  const researcher = await ctx.newPage();
  await signInAs(researcher, "researcher");
  await researcher.goto(`/patients/${patientId}`);
  const ro = researcher.getByRole("form", { name: "Outcome after surgery" });
  await expect(ro.locator("select[name=pcr]")).toBeDisabled();
  await expect(ro.getByRole("button", { name: "Save outcome" })).toHaveCount(0);
  await expect(ro).toContainText("Read-only");
  expect(
    (
      await researcher.request.post(`/api/patients/${patientId}/outcome`, {
        data: {
          values: { pcr: 0, response: null, preDiameterMm: null, postDiameterMm: null, outcomeDate: null, source: "x" },
        },
      })
    ).status(),
  ).toBe(403);
  await ctx.close();
});
