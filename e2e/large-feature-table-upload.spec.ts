import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { EXPERIMENT_TABLE, signInAs } from "./helpers";

/**
 * A researcher uploads a feature table larger than 10 MB (the 177-patient cohort's is 75 MB) and the server reads all
 * of it: Next's proxy used to buffer request bodies and cut them at 10 MB without an error, so the route parsed the
 * first 10 MB of the table.
 */
test("a researcher's feature table over 10 MB arrives whole: every patient and column, the file's own sha256", async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  // the 60-patient test table widened with 15 000 extra CE-T1 tumour columns: ~14 MB, rows cut nowhere near a boundary
  const lines = readFileSync(EXPERIMENT_TABLE, "utf8").trim().split("\n");
  const extra = 15_000;
  const header = lines[0].split(",");
  const wide = [
    [header[0], ...Array.from({ length: extra }, (_, j) => `CE_T1.intra.padding_feature_${j}`), ...header.slice(1)],
    ...lines.slice(1).map((line, i) => {
      const cells = line.split(",");
      const pad = Array.from({ length: extra }, (_, j) => (Math.sin(i * 7919 + j) * 1000).toFixed(9));
      return [cells[0], ...pad, ...cells.slice(1)];
    }),
  ];
  const file = info.outputPath("wide-60.csv");
  const bytes = Buffer.from(wide.map((r) => r.join(",")).join("\n") + "\n");
  writeFileSync(file, bytes);
  expect(bytes.length).toBeGreaterThan(12e6);
  const sha256 = createHash("sha256").update(bytes).digest("hex");

  await signInAs(page, "researcher");
  await page.getByRole("link", { name: "Experiments" }).click();
  await page.getByTestId("table-file").setInputFiles(file);
  const summary = page.getByTestId("table-summary");
  await expect(summary).toContainText(`60 patients, ${header.length - 3 + extra} feature columns`, { timeout: 60_000 });
  await expect(summary).toContainText(`sha256 ${sha256.slice(0, 12)}`);
});
