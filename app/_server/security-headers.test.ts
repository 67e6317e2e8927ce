import type { NextConfig } from "next";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config as proxyConfig, proxy } from "@/proxy";
import { contentSecurityPolicy, newNonce } from "@/lib/http/content-security-policy";

type Header = { key: string; value: string };
// next.config.js is plain JavaScript (Next loads it untranspiled): imported by path, typed here.
const CONFIG_PATH: string = "../../next.config.js";
const {
  default: nextConfig,
  HSTS,
  API_CSP,
} = (await import(CONFIG_PATH)) as {
  default: NextConfig;
  HSTS: Header;
  API_CSP: Header;
};

/** Issue 16 item 6: the headers the production server sends (proxy.ts, next.config.js); in the browser: e2e/csp-nonce.spec.ts. */
describe("security headers", () => {
  const csp = contentSecurityPolicy(newNonce());
  const scriptSrc = csp.split("; ").find((d) => d.startsWith("script-src "))!;

  it("a CSP with a nonce and no inline scripts, allowing wasm and workers, nothing eval'd, no plugins, no framing", () => {
    expect(scriptSrc).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]{22,}' 'strict-dynamic' 'wasm-unsafe-eval'$/);
    expect(csp).not.toContain("'unsafe-eval'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|\*/);
    expect(contentSecurityPolicy(newNonce(), true)).toContain("'unsafe-eval'"); // development only (React's error stacks)
    expect(() => contentSecurityPolicy("x'; script-src *")).toThrow(/nonce/);
  });

  it("the proxy gives every request its own nonce, on the answer and on the request Next renders from", () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = proxy(new NextRequest("http://localhost/worklist"));
      const header = res.headers.get("content-security-policy")!;
      nonces.add(/'nonce-([^']+)'/.exec(header)![1]);
      // NextResponse.next({ request: { headers } }) hands Next the overridden request headers this way
      expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(header);
    }
    expect(nonces.size).toBe(20);
  });

  it("on every path: nosniff, no referrer, no framing; HSTS only when the proxy says TLS", async () => {
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => !r.has)!;
    expect(all.source).toBe("/:path*");
    const map = Object.fromEntries(all.headers.map((h) => [h.key, h.value]));
    expect(map["X-Content-Type-Options"]).toBe("nosniff");
    expect(map["Referrer-Policy"]).toBe("no-referrer");
    expect(map["X-Frame-Options"]).toBe("DENY");
    expect(map["Strict-Transport-Security"]).toBeUndefined();
    expect(map["Content-Security-Policy"]).toBeUndefined(); // per request, from proxy.ts
    const tls = rules.find((r) => r.has)!;
    expect(tls.has).toEqual([{ type: "header", key: "x-forwarded-proto", value: "https" }]);
    expect(tls.headers).toEqual([HSTS]);
  });

  it("the proxy sees pages, not API requests (it would cut their bodies at 10 MB); API answers get a no-content CSP", async () => {
    const [matcher] = proxyConfig.matcher;
    const seen = (p: string) => new RegExp(`^${matcher}$`).test(p);
    for (const p of ["/", "/worklist", "/patients/abc", "/research/cohorts/c1", "/apiary"]) expect(seen(p)).toBe(true);
    for (const p of ["/api/experiments/tables", "/api/import", "/_next/static/chunks/a.js"])
      expect(seen(p)).toBe(false);
    const api = (await nextConfig.headers!()).find((r) => r.source === "/api/:path*")!;
    expect(api.headers).toEqual([API_CSP]);
    expect(API_CSP.value).toContain("default-src 'none'");
    expect(API_CSP.value).toContain("frame-ancestors 'none'");
  });
});
