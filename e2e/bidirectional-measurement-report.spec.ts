import { expect as baseExpect, test } from "@playwright/test";
import { signInAsRadiologist, spareSyntheticPatient } from "./helpers";
import { pdfText } from "./pixels";

const expect = baseExpect.configure({ timeout: 30_000 });

test("a bidirectional measurement is saved with who/when and appears in the report and its PDF", async ({
  page,
}, info) => {
  test.setTimeout(300_000); // includes a prediction
  await signInAsRadiologist(page);
  const patientId = await spareSyntheticPatient(page, { ceT1Roi: true, nth: 2 });
  await page.goto(`/patients/${patientId}`);
  const pane = page.getByTestId("viewport-0");
  await expect(page.getByRole("button", { name: "Bidirectional", exact: true })).toBeEnabled({ timeout: 60_000 });

  await page.keyboard.press("d"); // the bidirectional tool, from the key map
  await expect(page.getByRole("button", { name: "Bidirectional", exact: true })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  const box = (await pane.boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x - 60, y);
  await page.mouse.down();
  for (let t = 1; t <= 10; t++) await page.mouse.move(x - 60 + t * 12, y);
  await page.mouse.up();
  await page.screenshot({ path: info.outputPath("bidirectional-drawn.png") });

  await page.getByTestId("measurements").locator("summary").click();
  await page.getByRole("button", { name: "Save measurements" }).click();
  await expect(page.getByTestId("roi-message")).toContainText("1 measurement saved");
  await expect(page.getByTestId("measurements-saved")).toContainText("saved by Dr. Demo Radiologist");
  const line = (await page.getByTestId("measurement-list").locator("li").first().textContent())!;
  expect(line).toMatch(/^Bidirectional \d+\.\d x \d+\.\d mm \(axial slice \d+\)$/);

  // after a reload the saved set is read back from the server
  await page.reload();
  await page.getByTestId("measurements").locator("summary").click();
  await expect(page.getByTestId("measurement-list")).toContainText(line);

  // this patient has a CE-T1 ROI only: the prediction is incomplete by design and needs the explicit confirmation
  const predicted = await page.request.post(`/api/patients/${patientId}/predict?predictAnyway=1`, { timeout: 200_000 });
  expect(predicted.status()).toBe(200);
  const predictionId = (await predicted.json()).predictionId as string;
  await page.goto(`/patients/${patientId}/report/${predictionId}`);
  await expect(page.getByTestId("report-measurements")).toContainText(line);
  await expect(page.getByTestId("report-measurements")).toContainText("CE-T1");
  await page.screenshot({ path: info.outputPath("report-with-measurement.png"), fullPage: true });

  const pdf = await page.request.get(`/api/predictions/${predictionId}/report`);
  expect(pdf.status()).toBe(200);
  expect(pdfText(await pdf.body()).replace(/\s+/g, " ")).toContain(line);
});
