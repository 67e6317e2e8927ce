import { expect as baseExpect, test } from "@playwright/test";
import { signInAs, signInAsRadiologist, spareSyntheticPatient } from "./helpers";

// saves, refreshes and reformatting can take well over the default 10 s when the shared 2-core machine is busy
const expect = baseExpect.configure({ timeout: 30_000 });

test("a radiologist overrides a series role: the panes re-hang and the override shows with the classifier's suggestion; an oncologist sees it read-only", async ({
  page,
  browser,
}, info) => {
  test.setTimeout(180_000); // two sessions and several page refreshes; slow when the shared 2-core machine is busy
  await signInAsRadiologist(page);
  const patientId = await spareSyntheticPatient(page, { ceT1Roi: true, nth: 1 });
  await page.goto(`/patients/${patientId}`);
  await expect(page.getByTestId("pane-title-0")).toContainText("CE-T1");
  const ceT1 = (await (await page.request.get(`/api/patients/${patientId}`)).json()).patient.studies
    .flatMap((s: { series: { id: string; role: string; roleConfidence: number }[] }) => s.series)
    .find((s: { role: string }) => s.role === "CE_T1") as { id: string; roleConfidence: number };

  await page.getByTestId("series-roles").locator("summary").click();
  const role = page.getByTestId(`series-role-${ceT1.id}`);
  await expect(page.getByTestId(`series-role-source-${ceT1.id}`)).toContainText(
    `classifier, ${Math.round(ceT1.roleConfidence * 100)}% confident`,
  );

  // CE-T1 → Other: no CE-T1 left for the first pane
  await role.selectOption("OTHER");
  await expect(page.getByTestId("series-role-message")).toContainText("role set to Other");
  await expect(page.getByTestId("pane-title-0")).toContainText("CE-T1 · no series");
  await expect(page.getByTestId(`series-role-source-${ceT1.id}`)).toContainText(
    `set by hand (classifier suggested CE-T1, ${Math.round(ceT1.roleConfidence * 100)}%)`,
  );
  await page.screenshot({ path: info.outputPath("role-overridden-to-other.png") });

  // and back: the series hangs in the first pane again, marked as set by hand
  await role.selectOption("CE_T1");
  await expect(page.getByTestId("pane-title-0")).toContainText("manual role");
  await expect(page.getByTestId("pane-title-0")).toContainText("CE-T1 ·");
  await expect(page.getByTestId("pane-title-0")).not.toContainText("no series");
  await expect(page.getByTestId(`series-role-source-${ceT1.id}`)).toContainText(
    "set by hand (classifier suggested CE-T1",
  );
  await page.screenshot({ path: info.outputPath("role-back-to-ce-t1.png") });

  // an oncologist: role and ROI editing are read-only, with the reason; the server refuses too
  const onc = await browser.newPage({ baseURL: info.project.use.baseURL });
  await signInAs(onc, "oncologist");
  await onc.goto(`/patients/${patientId}`);
  await onc.getByTestId("series-roles").locator("summary").click();
  await expect(onc.getByTestId(`series-role-${ceT1.id}`)).toBeDisabled();
  await expect(onc.getByTestId("series-roles").locator("summary")).toContainText("read-only for the oncologist role");
  const brush = onc.getByRole("button", { name: "Brush", exact: true });
  await expect(brush).toBeDisabled();
  await expect(brush).toHaveAttribute("title", /read-only for the oncologist role/);
  await expect(onc.getByRole("button", { name: "Save ROI" })).toBeDisabled();
  await expect(onc.getByTestId("roi-locked")).toContainText("only radiologists and admins edit ROIs");
  expect((await onc.request.patch(`/api/series/${ceT1.id}`, { data: { role: "T2" } })).status()).toBe(403);
  await onc.screenshot({ path: info.outputPath("oncologist-read-only.png") });
  await onc.close();
});
