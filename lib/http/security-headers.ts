/**
 * Response headers every answer carries (set by proxy.ts). The Content Security Policy allows what the app and
 * Cornerstone3D need and nothing more:
 * - scripts: this origin's, started by Next's nonce-carrying bootstrap ('strict-dynamic'); 'wasm-unsafe-eval' for the
 *   DICOM codecs and onnxruntime-web compiled from WebAssembly (it allows wasm compilation only, not JS eval);
 * - workers: this origin (the dicom-image-loader's decode workers) and blob: (web workers created from bundled code);
 * - images: this origin, data: (report key images) and blob: (canvas exports);
 * - styles: this origin plus inline style attributes (React `style` props and Cornerstone's viewport elements);
 * - connections: this origin only (API, DICOM files, wasm fetched by the codecs);
 * - no plugins, no framing by anyone (frame-ancestors 'none', and X-Frame-Options for old browsers), no <base> tricks,
 *   forms post only here.
 * HSTS only when the request arrived over TLS (at the site's proxy): on plain http it would be ignored or, worse,
 * pin a hostname that does not serve TLS.
 */
export function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ""}`,
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(o: { nonce: string; secure: boolean; dev?: boolean }): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(o.nonce, o.dev),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
    ...(o.secure ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}
