import { expect, test } from "@playwright/test";
import { signInAsRadiologist } from "./helpers";

/**
 * Issue 16 item 6: pages carry a Content Security Policy with a fresh nonce per request and no 'unsafe-inline' for
 * scripts. Next's own scripts carry the nonce, so the app still works (signs in, hydrates, navigates); an inline script
 * or event handler smuggled into the page's HTML (as an injection bug in the server's markup would) does not run.
 */
const cspOf = (h: Record<string, string>) => h["content-security-policy"] ?? "";
const scriptSrc = (csp: string) =>
  csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith("script-src ")) ?? "";

test("a page's CSP has a per-request nonce and no 'unsafe-inline' for scripts; an injected inline script does not run", async ({
  page,
}, info) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await signInAsRadiologist(page);

  const first = await page.goto("/worklist");
  const csp = cspOf(first!.headers());
  const src = scriptSrc(csp);
  expect(src).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(src).not.toContain("'unsafe-inline'");
  expect(src).not.toMatch(/'unsafe-eval'(?!.*wasm)/);
  expect(src).toContain("'wasm-unsafe-eval'");
  expect(csp).toContain("worker-src 'self' blob:");
  expect(csp).toContain("frame-ancestors 'none'");
  const nonce = /'nonce-([^']+)'/.exec(src)![1];
  // Next put this nonce on every script of the page it rendered (the ones its loader adds later are trusted through
  // 'strict-dynamic')
  const scriptTags = (await first!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThan(0);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);
  const second = await page.goto("/worklist");
  expect(/'nonce-([^']+)'/.exec(scriptSrc(cspOf(second!.headers())))![1]).not.toBe(nonce);
  // the app works under the policy: hydrated (client navigation to a patient), with no violation reported
  await expect(page.getByRole("heading", { name: "Worklist" })).toBeVisible();
  expect(violations).toEqual([]);

  // Markup injected into the server's HTML: a parser-inserted inline script and an inline event handler.
  await page.route("**/worklist", async (route) => {
    const res = await route.fetch();
    const html = (await res.text())
      .replace("<head>", "<head><script>window.__injected = 'inline script ran'</script>")
      .replace("</body>", `<img src="/no-such-image" onerror="window.__injected = 'event handler ran'"></body>`);
    await route.fulfill({ response: res, body: html });
  });
  const injected = await page.goto("/worklist");
  expect(scriptSrc(cspOf(injected!.headers()))).not.toContain("'unsafe-inline'");
  await expect(page.getByRole("heading", { name: "Worklist" })).toBeVisible();
  await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
  expect(await page.evaluate(() => (window as unknown as { __injected?: string }).__injected)).toBeUndefined();
  expect(violations.join("\n")).toMatch(/inline/i);
  // and the page is still live: Next's own (nonce-carrying) scripts ran, the worklist reacts to a click
  await page.unroute("**/worklist");
  const link = page.locator("a[href^='/patients/']").first();
  await link.click();
  await expect(page).toHaveURL(/\/patients\//);
  await page.screenshot({ path: info.outputPath("patient-under-csp.png") });
});
