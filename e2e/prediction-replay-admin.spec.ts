import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

interface WorklistPatient {
  id: string;
  isSynthetic: boolean;
  roiSeriesRoles: string[];
}

test("an administrator replays a stored prediction from the report page and is told it is bit-for-bit identical; other roles have no such button", async ({
  page,
}) => {
  test.setTimeout(400_000);
  await signIn(page, "admin", "admin-demo");
  await expect(page).toHaveURL(/\/worklist/);
  const patients = (await (await page.request.get("/api/patients?sort=key")).json()).patients as WorklistPatient[];
  const p = patients.filter((x) => x.isSynthetic && x.roiSeriesRoles.includes("CE_T1")).at(-1)!;
  const made = await page.request.post(`/api/patients/${p.id}/predict?predictAnyway=1`, { timeout: 300_000 });
  expect(made.status(), await made.text()).toBe(200);
  const { predictionId } = await made.json();

  await page.goto(`/patients/${p.id}/report/${predictionId}`);
  await page.getByTestId("verify-prediction").click();
  await expect(page.getByTestId("verify-result")).toHaveText(
    /^identical: recomputed bit for bit from the stored inputs \(\d+ checks\)$/,
    { timeout: 300_000 },
  );

  // Audited, and refused to a radiologist.
  const audit = await (await page.request.get(`/api/audit?action=prediction.verify&patient=${p.id}`)).json();
  expect((audit.events as { targetId: string }[]).some((e) => e.targetId === predictionId)).toBe(true);
  await page.context().clearCookies();
  await signIn(page, "radiologist", "radiologist-demo");
  await expect(page).toHaveURL(/\/worklist/);
  expect((await page.request.post(`/api/predictions/${predictionId}/verify`)).status()).toBe(403);
  await page.goto(`/patients/${p.id}/report/${predictionId}`);
  await expect(page.getByTestId("report")).toBeVisible();
  await expect(page.getByTestId("verify-prediction")).toHaveCount(0);
});
