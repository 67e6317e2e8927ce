/**
 * Time to the first rendered image in each of the three panes, in headless Debian chromium, against a running
 * NACpredict (BASE, default http://localhost:3000, demo data). Two paths:
 * - "from the worklist": a fresh browser (empty caches) signs in, the worklist is shown for WORKLIST_DWELL_MS (a
 *   person picks a patient), then the patient link is clicked; timed from the click. FRESH runs, median reported.
 * - "page load": `page.goto` of the patient page (a reload or a typed URL); the first load is reported separately
 *   (cold browser caches), then the median of RUNS later loads.
 * Rendered = each pane's canvas has non-black pixels. The viewer's performance marks ("nac:viewer-*", ms from
 * navigation start) and navigation timing show where the time goes.
 */
import { chromium, type Page } from "playwright-core";
import { panesShowPixels } from "../../e2e/pixels";
import { CHROMIUM_LAUNCH } from "../../e2e/chromium";

const BASE = process.env.BASE ?? "http://localhost:3000";
const RUNS = Number(process.env.RUNS ?? 5);
const FRESH = Number(process.env.FRESH ?? 3);
const WORKLIST_DWELL_MS = Number(process.env.WORKLIST_DWELL_MS ?? 1500);

/** Signs in on `page` and returns the first synthetic demo patient's link, the worklist showing. */
async function signIn(page: Page): Promise<string> {
  await page.goto(`${BASE}/signin`);
  await page.getByLabel("Username").fill(process.env.NAC_USER ?? "radiologist");
  await page.getByLabel("Password").fill(process.env.NAC_PASSWORD ?? "radiologist-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/worklist/);
  const href = await page
    .locator("[data-testid=worklist-table] tr", { hasText: "synthetic" })
    .first()
    .locator("a")
    .getAttribute("href");
  if (!href) throw new Error("no synthetic demo patient in the worklist");
  return href;
}

async function waitForThreeImages(page: Page): Promise<void> {
  await page.waitForFunction(panesShowPixels, 3, { timeout: 60_000, polling: 50 });
}

/** Navigation timing, the last script's arrival and the viewer's marks, in ms from navigation start. */
function readPhases(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
    const navMarks = nav
      ? {
          "nav-response-start": nav.responseStart,
          "nav-response-end": nav.responseEnd,
          "nav-dom-interactive": nav.domInteractive,
          "nav-load": nav.loadEventEnd,
        }
      : {};
    // The last script to arrive bounds when hydration can start.
    const scripts = performance
      .getEntriesByType("resource")
      .filter((r) => (r as PerformanceResourceTiming).initiatorType === "script");
    const lastScript = scripts.length ? Math.max(...scripts.map((r) => r.startTime + r.duration)) : undefined;
    return Object.fromEntries(
      [
        ...Object.entries(navMarks),
        ...(lastScript === undefined ? [] : [["scripts-last-end", lastScript] as const]),
        ...performance
          .getEntriesByType("mark")
          .filter((m) => m.name.startsWith("nac:viewer-"))
          .map((m) => [m.name.slice(4), m.startTime] as const),
      ].map(([k, v]) => [k, Math.round(v as number)]),
    );
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const browser = await chromium.launch(CHROMIUM_LAUNCH);

  const fromWorklist: number[] = [];
  for (let r = 0; r < FRESH; r++) {
    // A fresh context per run: empty HTTP cache and no compiled code, like the first patient of a session.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const p = await context.newPage();
    await signIn(p);
    await p.waitForTimeout(WORKLIST_DWELL_MS);
    const t0 = Date.now();
    await p.locator("[data-testid=worklist-table] tr", { hasText: "synthetic" }).first().locator("a").click();
    await waitForThreeImages(p);
    fromWorklist.push(Date.now() - t0);
    await context.close();
  }

  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const href = await signIn(page);
  const times: number[] = [];
  const phases: Record<string, number>[] = [];
  for (let r = 0; r < RUNS + 1; r++) {
    const t0 = Date.now();
    await page.goto(`${BASE}${href}`);
    await waitForThreeImages(page);
    times.push(Date.now() - t0);
    phases.push(await readPhases(page));
  }
  await browser.close();
  const [cold, ...warm] = times;
  const names = [...new Set(phases.slice(1).flatMap((p) => Object.keys(p)))];
  const warmPhaseMedians = Object.fromEntries(
    names.map((n) => [
      n,
      median(
        phases
          .slice(1)
          .map((p) => p[n])
          .filter((x) => x !== undefined),
      ),
    ]),
  );
  console.log(
    JSON.stringify(
      {
        bench: "viewer-first-image",
        base: BASE,
        fromWorklistMedianMs: median(fromWorklist),
        fromWorklistMs: fromWorklist,
        pageLoadColdMs: cold,
        pageLoadWarmMedianMs: median(warm),
        pageLoadWarmMs: warm,
        warmPhaseMediansMs: warmPhaseMedians,
      },
      null,
      2,
    ),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
