import { expect, test, type Page } from "@playwright/test";
import { signIn, signInAs } from "./helpers";

interface WorklistPatient {
  id: string;
  patientKey: string;
  displayName: string;
  isSynthetic: boolean;
  roiSeriesRoles: string[];
}

/** Case on screen: position, patient line, and the probabilities legible from the back of a room. */
async function expectCase(page: Page, position: number, p: WorklistPatient) {
  // A case's first showing renders its key images from the stored DICOM files and ROIs (seconds; more under load).
  await expect(page.getByTestId("board-case")).toHaveAttribute("data-position", String(position), { timeout: 90_000 });
  await expect(page.getByTestId("board-patient")).toContainText(p.displayName);
  await expect(page.getByTestId("board-patient")).toContainText(p.patientKey);
  for (const ep of ["pcr", "response"]) {
    const prob = page.getByTestId(`board-probability-${ep}`);
    await expect(prob).toHaveText(/^\d{1,3} %$/);
    // At least 48 px high on a 1920 x 1080 screen: the digits' cap height is ~0.72 of the font size.
    const box = (await prob.boundingBox())!;
    const fontPx = await prob.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(box.height).toBeGreaterThanOrEqual(48);
    expect(0.72 * fontPx).toBeGreaterThanOrEqual(48);
    await expect(page.getByTestId(`board-uncertainty-${ep}`)).toHaveText(
      /^\d+ partition models: \d+ % ± \d+ points \(range \d+ %–\d+ %\)$/,
    );
    await expect(page.getByTestId(`board-contributions-${ep}`).locator("li").first()).toBeVisible();
  }
  await expect(page.getByTestId("board-model")).toContainText(/Model .+ · version \S+/);
  await expect(page.getByTestId("board-clinical")).toContainText(/Age: \d+ years|No clinical record/);
  // Key images: CE-T1, T2 and CT, each an image with the ROI or the reason there is none.
  for (const role of ["CE-T1", "T2", "CT"]) {
    const fig = page.getByTestId(`board-image-${role}`);
    await expect(fig).toBeVisible();
    if (p.roiSeriesRoles.includes(role.replace("-", "_"))) {
      const natural = await fig.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth);
      expect(natural).toBeGreaterThan(0);
      await expect(page.getByTestId(`board-measure-${role}`)).toHaveText(/^\d+\.\d mL · longest \d+ mm$/);
    }
  }
}

test("an oncologist builds a board session of three demo patients, presents it and steps through with the keyboard; each case shown is audited", async ({
  browser,
}, info) => {
  test.setTimeout(900_000);
  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await ctx.newPage();
  await signInAs(page, "oncologist");
  const all = (await (await page.request.get("/api/patients?sort=key")).json()).patients as WorklistPatient[];
  // The three synthetic patients with the most ROIs (two with all three series, one without a CT ROI: incomplete).
  const chosen = all
    .filter((p) => p.isSynthetic)
    .sort((a, b) => b.roiSeriesRoles.length - a.roiSeriesRoles.length || a.patientKey.localeCompare(b.patientKey))
    .slice(0, 3);
  expect(chosen).toHaveLength(3);
  // Each gets a stored prediction, as Predict (and "predict anyway" for the incomplete one) would make.
  for (const p of chosen) {
    const r = await page.request.post(`/api/patients/${p.id}/predict?predictAnyway=1`, { timeout: 300_000 });
    expect(r.status(), await r.text()).toBe(200);
  }

  // --- build the session from the worklist: tick in the wrong order, then move the first one down to last ---
  await page.goto("/board");
  const builder = page.getByTestId("board-builder");
  const title = `Board ${Date.now()}`;
  await builder.locator("input[name=title]").fill(title);
  for (const p of [chosen[2], chosen[0], chosen[1]]) await builder.getByTestId(`board-pick-${p.patientKey}`).check();
  await builder.getByRole("button", { name: `move ${chosen[2].displayName} down` }).click();
  await builder.getByRole("button", { name: `move ${chosen[2].displayName} down` }).click();
  await expect(builder.getByTestId("board-order").locator("li")).toHaveText(
    chosen.map((p, i) => new RegExp(`^${i + 1}\\.${p.displayName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`)),
  );
  await builder.getByRole("button", { name: "Save session" }).click();
  await expect(builder.getByTestId("board-status")).toHaveText(`Saved "${title}"`);
  const row = page.getByTestId("board-session-row").filter({ hasText: title });
  await expect(row).toContainText("3");

  // --- present: one patient per screen, keyboard next / previous ---
  await row.getByRole("link", { name: "Present" }).click();
  await expect(page).toHaveURL(/\/board\/[0-9a-f-]{36}\/present\?case=1$/);
  await expectCase(page, 1, chosen[0]);
  await expect(page.getByTestId("research-banner")).toBeVisible();
  await page.screenshot({ path: info.outputPath("board-case-1.png") });
  await page.keyboard.press("ArrowRight");
  await expectCase(page, 2, chosen[1]);
  await page.screenshot({ path: info.outputPath("board-case-2.png") });
  await page.keyboard.press("ArrowRight");
  await expectCase(page, 3, chosen[2]);
  // The third has no CT ROI: its headline is greyed and the reason comes first.
  await expect(page.getByTestId("board-incomplete")).toContainText("no tumour ROI on the CT series");
  await page.screenshot({ path: info.outputPath("board-case-3.png") });
  await page.keyboard.press("ArrowRight"); // past the last case: stays
  await expect(page.getByTestId("board-case")).toHaveAttribute("data-position", "3");
  await page.keyboard.press("ArrowLeft");
  await expectCase(page, 2, chosen[1]);
  const sessionId = /\/board\/([0-9a-f-]{36})\//.exec(page.url())![1];

  // --- PHI limited: a session that shows neither name nor ID ---
  const anon = await page.request.post("/api/board/sessions", {
    data: { title: `${title} anonymous`, patientIds: [chosen[0].id], showName: false, showPatientKey: false },
  });
  expect(anon.status()).toBe(200);
  await page.goto(`/board/${(await anon.json()).session.id}/present?case=1`);
  await expect(page.getByTestId("board-patient")).toHaveText(/^Case 1/);
  await expect(page.locator("body")).not.toContainText(chosen[0].displayName);
  await expect(page.locator("body")).not.toContainText(chosen[0].patientKey);
  await ctx.close();

  // --- every case shown is in the audit log (read by an administrator) ---
  const actx = await browser.newContext();
  const admin = await actx.newPage();
  await signIn(admin, "admin", "admin-demo");
  await expect(admin).toHaveURL(/\/worklist/);
  const audit = await (
    await admin.request.get("/api/audit?action=board.case_view&user=oncologist&pageSize=500")
  ).json();
  const shown = (audit.events as { patientId: string; targetId: string; details: { position: number } }[]).filter(
    (e) => e.targetId === sessionId,
  );
  for (const [i, p] of chosen.entries())
    expect(
      shown.filter((e) => e.patientId === p.id && e.details.position === i).length,
      `case ${i + 1} audited`,
    ).toBeGreaterThanOrEqual(1);
  // case 2 was shown twice (forward and back)
  expect(shown.filter((e) => e.patientId === chosen[1].id).length).toBeGreaterThanOrEqual(2);
  await actx.close();
});
