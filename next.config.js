/**
 * Security headers on every answer (issue 16; docs/SECURITY.md). The Content Security Policy allows what the app and
 * Cornerstone3D need and nothing more: scripts from this origin ('unsafe-inline' only for Next's inline bootstrap
 * scripts, see below) and 'wasm-unsafe-eval' for the DICOM codecs' WebAssembly (wasm compilation only, not JS eval);
 * workers from this origin and blob: (the image loader's decode workers); images also data: (report key images) and
 * blob:; inline style attributes (React style props, Cornerstone's viewport elements); connections to this origin only;
 * no plugins, no framing, no <base> tricks, forms post only here.
 * Workaround: a per-request nonce (proxy.ts, Next's documented recipe) would drop 'unsafe-inline' for scripts, but with
 * Next 16.4.6 a Node-runtime proxy made every production answer an empty 200 here; revisit with the next Next release.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: CSP },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** HSTS only for requests that came over TLS (the site's proxy says so): on plain http it would pin a name without TLS. */
export const HSTS = { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" };

/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [HSTS] },
    ];
  },
  reactStrictMode: true,
  poweredByHeader: false,
  // Types are checked once, for the whole repo, by `npm run typecheck` in the test command; checking again inside
  // `next build` doubled build time on this 2-core machine.
  typescript: { ignoreBuildErrors: true },
  // Native or wasm-heavy server packages are loaded by Node at run time instead of being bundled. The Cornerstone
  // codecs' emscripten glue finds its .wasm next to itself only when Node loads it from node_modules (bundled, JPEG-LS
  // and JPEG 2000 imports failed in production only: issue 15 item 8; e2e/jpeg2000-jpegls-import.spec.ts).
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "onnxruntime-node",
    "pg",
    "bcryptjs",
    "@cornerstonejs/codec-charls",
    "@cornerstonejs/codec-openjpeg",
  ],
  // We build with `next build --webpack`: Turbopack (Next 16's default) hung at 0% CPU on a page importing
  // Cornerstone3D's dicom-image-loader (its `new Worker(new URL(..., import.meta.url))` and codec wasm URLs).
  // Try Turbopack again when Cornerstone3D documents Turbopack support or Next fixes worker URL handling.
  webpack: (config, { isServer }) => {
    if (!isServer) {
      // The emscripten glue in @cornerstonejs/codec-* references fs/path behind a Node check; never used in browsers.
      config.resolve.fallback = { ...(config.resolve.fallback ?? {}), fs: false, path: false };
    }
    return config;
  },
};

export default nextConfig;
