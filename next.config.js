/**
 * Security headers on every answer (issue 16; docs/SECURITY.md). The Content Security Policy is not here: it carries a
 * per-request nonce, set by proxy.ts (lib/http/content-security-policy.ts says what it allows and why).
 */
export const SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/**
 * API answers are JSON or binary, never documents: nothing may load from them or frame them. (Pages get a per-request
 * nonce policy from proxy.ts, which does not see /api requests: see its matcher.)
 */
export const API_CSP = {
  key: "Content-Security-Policy",
  value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
};

/** HSTS only for requests that came over TLS (the site's proxy says so): on plain http it would pin a name without TLS. */
export const HSTS = { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" };

/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      { source: "/api/:path*", headers: [API_CSP] },
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
