import type { Locator, Page } from "@playwright/test";

export { pdfText } from "../lib/report/pdf-text";

/** RGBA pixels of a screenshot of an element (decoded in the page, where PNG decoding is at hand). */
export async function screenshotRgba(page: Page, el: Locator): Promise<Uint8Array> {
  const png = await el.screenshot();
  const data = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    return Array.from(ctx.getImageData(0, 0, c.width, c.height).data);
  }, png.toString("base64"));
  return Uint8Array.from(data);
}

/**
 * In-page check (for page.waitForFunction) that each of the first `panes` viewport canvases shows an image: a 64x64
 * copy of the canvas has a non-black pixel. Cheap enough to poll every 50 ms, so it times the first render; the
 * screenshot-based pixelStats below then proves what is shown.
 */
export function panesShowPixels(panes: number): boolean {
  return Array.from({ length: panes }, (_, i) => i).every((i) => {
    const c = document.querySelector(`[data-testid=viewport-${i}] canvas`) as HTMLCanvasElement | null;
    if (!c || c.width === 0) return false;
    const probe = document.createElement("canvas");
    probe.width = 64;
    probe.height = 64;
    const ctx = probe.getContext("2d")!;
    ctx.drawImage(c, 0, 0, 64, 64);
    const d = ctx.getImageData(0, 0, 64, 64).data;
    for (let p = 0; p < d.length; p += 4) if (d[p] > 10) return true;
    return false;
  });
}

/** How many distinct grey levels, the mean and a hash: enough to prove an image is shown and that it changed. */
export async function pixelStats(page: Page, el: Locator): Promise<{ mean: number; distinct: number; hash: number }> {
  const d = await screenshotRgba(page, el);
  let sum = 0,
    hash = 0;
  const seen = new Set<number>();
  for (let i = 0; i < d.length; i += 4) {
    sum += d[i];
    seen.add(d[i]);
    hash = (hash * 31 + d[i] + d[i + 1] * 7) >>> 0;
  }
  return { mean: sum / (d.length / 4), distinct: seen.size, hash };
}

/** Pixels that look like the ROI overlay colours: red tumour, amber peritumoral shell. */
export async function overlayPixels(page: Page, el: Locator): Promise<{ red: number; yellow: number }> {
  const d = await screenshotRgba(page, el);
  let red = 0,
    yellow = 0;
  for (let i = 0; i < d.length; i += 4) {
    const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
    if (r > 150 && g < 110 && b < 110) red++;
    if (r > 150 && g > 110 && b < 90 && r - b > 90) yellow++;
  }
  return { red, yellow };
}
