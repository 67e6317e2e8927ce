import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "./security-headers";

describe("security headers (issue 16 item 6)", () => {
  it("a CSP with a nonce, no inline or eval'd script, wasm allowed, no framing", () => {
    const csp = contentSecurityPolicy("abc123");
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("connect-src 'self'");
  });

  it("nosniff, no referrer, HSTS only over TLS", () => {
    const plain = securityHeaders({ nonce: "n", secure: false });
    expect(plain["x-content-type-options"]).toBe("nosniff");
    expect(plain["referrer-policy"]).toBe("no-referrer");
    expect(plain["strict-transport-security"]).toBeUndefined();
    expect(securityHeaders({ nonce: "n", secure: true })["strict-transport-security"]).toMatch(/max-age=31536000/);
  });
});
