import type { Locator, Page } from "@playwright/test";

/** Statistics of a screenshot of an element: how many distinct grey levels and the mean, to prove pixels changed. */
export async function pixelStats(page: Page, el: Locator): Promise<{ mean: number; distinct: number; hash: number }> {
  const png = await el.screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let sum = 0, hash = 0;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      sum += d[i];
      seen.add(d[i]);
      hash = (hash * 31 + d[i] + d[i + 1] * 7) >>> 0;
    }
    return { mean: sum / (d.length / 4), distinct: seen.size, hash };
  }, png.toString("base64"));
}

export { pdfText } from "../lib/report/pdf-text";
