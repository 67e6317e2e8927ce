/**
 * The Content Security Policy of every page (set per request by proxy.ts). It allows what the app and
 * Cornerstone3D need and nothing more:
 * - scripts: only those carrying this request's nonce (Next puts it on its own bootstrap and chunk scripts, read from
 *   the request's CSP header) and what they load ('strict-dynamic': webpack's chunk loader); no 'unsafe-inline', so an
 *   injected inline script or event handler does not run; 'wasm-unsafe-eval' lets the DICOM codecs and onnxruntime-web
 *   compile WebAssembly (wasm compilation only, not JavaScript eval); 'self' for browsers without 'strict-dynamic'.
 * - workers: this origin (the dicom-image-loader's decode workers, bundled as /_next/static files) and blob: (workers
 *   built from bundled code); blob-created workers inherit this policy, so wasm in them is allowed as above.
 * - styles: this origin plus inline style attributes (React `style` props, Cornerstone's viewport elements).
 * - images: this origin, data: (report key images) and blob: (canvas exports); connections: this origin only.
 * - no plugins, no framing by anyone, no <base> tricks, forms post only here.
 * In development React needs eval (error stacks) and the dev server a websocket: `dev` adds those only there.
 */
export function contentSecurityPolicy(nonce: string, dev = false): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce))
    throw new Error("a CSP nonce must be a base64 string of at least 16 characters");
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

/** 128 random bits, base64: unguessable and new for every request. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
