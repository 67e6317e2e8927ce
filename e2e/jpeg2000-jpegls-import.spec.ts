import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAsRadiologist } from "./helpers";
import { panesShowPixels, pixelStats } from "./pixels";

/**
 * Issue 15 item 8: JPEG 2000 and JPEG-LS imports failed in the production build only (the server bundle could not
 * load the codecs' wasm), while the Node tests passed. Imports both lossless series of lib/testdata/codec_series
 * (the same six MR slices, one per codec; made by lib/imaging/dicom/testdata/make-decoding-fixtures.py) through
 * the import form of the production server and checks that they render, identically.
 */
test("a JPEG 2000 and a JPEG-LS series import through the production server and render the same pixels", async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await signInAsRadiologist(page);
  const dir = path.resolve("lib/testdata/codec_series");
  const files = ["j2k", "jpls"].flatMap((codec) =>
    readdirSync(path.join(dir, codec))
      .sort()
      .map((n) => ({
        name: `${codec}-${n}`,
        mimeType: "application/dicom",
        buffer: readFileSync(path.join(dir, codec, n)),
      })),
  );
  expect(files).toHaveLength(12);
  await page.getByTestId("import-files").setInputFiles(files);
  // A re-run on the same server finds them already stored: "duplicates 12" is as good as "Imported 12".
  await expect(page.getByTestId("import-result")).toContainText(
    /Imported 12, duplicates 0, ignored 0, errors 0|Imported 0, duplicates 12, ignored 0, errors 0/,
    { timeout: 60_000 },
  );
  await expect(page.getByTestId("import-errors")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("imported.png"), fullPage: true });

  await page.goto("/worklist");
  await page.locator("[data-testid=worklist-table] tr", { hasText: "CODEC-E2E" }).locator("a").click();
  await expect(page.getByTestId("pane-title-0")).toContainText("JPEG 2000 lossless fixture");
  await expect(page.getByTestId("pane-title-1")).toContainText("JPEG-LS lossless fixture");
  await page.waitForFunction(panesShowPixels, 2, { timeout: 20_000, polling: 100 });
  const [j2k, jpls] = [0, 1].map((i) => page.getByTestId(`viewport-${i}`));
  await expect.poll(async () => (await pixelStats(page, j2k)).distinct, { timeout: 15_000 }).toBeGreaterThan(20);
  await expect.poll(async () => (await pixelStats(page, jpls)).distinct, { timeout: 15_000 }).toBeGreaterThan(20);
  await expect(page.getByTestId("slice-0")).toHaveText(await page.getByTestId("slice-1").innerText());
  // Both are lossless codings of the same slices, at the same slice and preset: the same picture. The panes' headers
  // differ in height (one description wraps), so screenshots of the two panes are offset; compare the canvases
  // themselves, each scaled to 128x128, grey level by grey level.
  const canvases = await page.evaluate(() =>
    [0, 1].map((i) => {
      const c = document.querySelector(`[data-testid=viewport-${i}] canvas`) as HTMLCanvasElement;
      const probe = document.createElement("canvas");
      probe.width = probe.height = 128;
      const ctx = probe.getContext("2d")!;
      ctx.drawImage(c, 0, 0, 128, 128);
      const d = ctx.getImageData(0, 0, 128, 128).data;
      return { size: `${c.width}x${c.height}`, grey: Array.from({ length: 128 * 128 }, (_, p) => d[p * 4]) };
    }),
  );
  const [ga, gb] = canvases.map((c) => c.grey);
  const meanAbsDiff = ga.reduce((s, v, p) => s + Math.abs(v - gb[p]), 0) / ga.length;
  const bright = ga.filter((v) => v > 20).length;
  info.annotations.push({
    type: "canvases",
    description: `${canvases.map((c) => c.size).join(" vs ")}; mean |difference| ${meanAbsDiff.toFixed(3)} grey levels; ${bright} of 16384 probe pixels above 20`,
  });
  expect(canvases[0].size).toBe(canvases[1].size);
  expect(bright).toBeGreaterThan(500); // an image, not a blank canvas
  expect(meanAbsDiff).toBeLessThan(0.5);
  await page.screenshot({ path: info.outputPath("jpeg2000-jpegls-panes.png") });
});
