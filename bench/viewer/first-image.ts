/**
 * Time from opening a patient to the first rendered image in each of the three panes, in headless Debian chromium,
 * against a running NACpredict (BASE, default http://localhost:3000, demo data). Median of RUNS page loads; the first
 * load (cold server and browser caches) is reported separately.
 */
import { chromium } from "playwright-core";

const BASE = process.env.BASE ?? "http://localhost:3000";
const RUNS = Number(process.env.RUNS ?? 5);

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${BASE}/signin`);
  await page.getByLabel("Username").fill(process.env.NAC_USER ?? "radiologist");
  await page.getByLabel("Password").fill(process.env.NAC_PASSWORD ?? "radiologist-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/worklist/);
  const href = await page.locator("[data-testid=worklist-table] tr", { hasText: "synthetic" }).first().locator("a").getAttribute("href");
  if (!href) throw new Error("no synthetic demo patient in the worklist");
  const times: number[] = [];
  const phases: Record<string, number>[] = [];
  for (let r = 0; r < RUNS + 1; r++) {
    const t0 = Date.now();
    await page.goto(`${BASE}${href}`);
    // Rendered = the pane's slice counter shows and its canvas has non-black pixels.
    await page.waitForFunction(
      () =>
        [0, 1, 2].every((i) => {
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
        }),
      undefined,
      { timeout: 60_000, polling: 50 },
    );
    times.push(Date.now() - t0);
    // The viewer's own marks (ms from navigation start): where the time to the first image goes.
    phases.push(
      await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("mark").filter((m) => m.name.startsWith("nac:viewer-")).map((m) => [m.name.slice(4), Math.round(m.startTime)]))),
    );
  }
  await browser.close();
  const [cold, ...warm] = times;
  const sorted = [...warm].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const names = [...new Set(phases.slice(1).flatMap((p) => Object.keys(p)))];
  const warmPhaseMedians = Object.fromEntries(
    names.map((n) => {
      const v = phases.slice(1).map((p) => p[n]).filter((x) => x !== undefined).sort((a, b) => a - b);
      return [n, v[Math.floor(v.length / 2)]];
    }),
  );
  console.log(JSON.stringify({ bench: "viewer-first-image", base: BASE, coldMs: cold, warmMedianMs: median, warmMs: warm, warmPhaseMediansMs: warmPhaseMedians }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
