import { expect as baseExpect, test } from "@playwright/test";
import { signInAsRadiologist, spareSyntheticPatient } from "./helpers";
import { pixelStats } from "./pixels";

const expect = baseExpect.configure({ timeout: 30_000 });

test("a series the classifier calls Other is offered in the empty pane: shown there, and given the pane's role there", async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await signInAsRadiologist(page);
  const patientId = await spareSyntheticPatient(page, { ceT1Roi: true, nth: 2 });
  const t2 = (await (await page.request.get(`/api/patients/${patientId}`)).json()).patient.studies
    .flatMap((s: { series: { id: string; role: string }[] }) => s.series)
    .find((s: { role: string }) => s.role === "T2") as { id: string };
  // what the classifier would have said of an unusual T2: Other
  expect((await page.request.patch(`/api/series/${t2.id}`, { data: { role: "OTHER" } })).status()).toBe(200);

  await page.goto(`/patients/${patientId}`);
  await expect(page.getByTestId("pane-title-1")).toContainText("T2 · no series");
  const offer = page.getByTestId(`other-series-${t2.id}`);
  await expect(offer).toContainText("Other");
  await page.screenshot({ path: info.outputPath("empty-pane-offers-other.png") });

  await offer.getByRole("button", { name: "Show here" }).click();
  await expect(page.getByTestId("pane-title-1")).toContainText("Other ·");
  await expect
    .poll(async () => (await pixelStats(page, page.getByTestId("viewport-1"))).distinct, { timeout: 60_000 })
    .toBeGreaterThan(20);
  await page.screenshot({ path: info.outputPath("other-shown-in-t2-pane.png") });

  // the role override from the pane: back to T2 (by hand), and the pane hangs it as T2 from now on
  await page.reload();
  await page.getByTestId(`other-series-${t2.id}`).getByRole("button", { name: "Set role to T2" }).click();
  await expect(page.getByTestId("pane-title-1")).toContainText("T2 ·");
  await expect(page.getByTestId("pane-title-1")).toContainText("manual role");
});
