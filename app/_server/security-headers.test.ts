import type { NextConfig } from "next";
import { describe, expect, it } from "vitest";

type Header = { key: string; value: string };
// next.config.js is plain JavaScript (Next loads it untranspiled): imported by path, typed here.
const CONFIG_PATH: string = "../../next.config.js";
const { default: nextConfig, SECURITY_HEADERS, HSTS } = (await import(CONFIG_PATH)) as { default: NextConfig; SECURITY_HEADERS: Header[]; HSTS: Header };

/** Issue 16 item 6: the headers the production server sends (next.config.js); the viewer under this CSP: e2e specs. */
describe("security headers", () => {
  const csp = SECURITY_HEADERS.find((h) => h.key === "Content-Security-Policy")!.value;

  it("a CSP allowing wasm and workers, nothing eval'd, no plugins, no framing", () => {
    expect(csp).toContain("script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|\*/);
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
    const tls = rules.find((r) => r.has)!;
    expect(tls.has).toEqual([{ type: "header", key: "x-forwarded-proto", value: "https" }]);
    expect(tls.headers).toEqual([HSTS]);
  });
});
