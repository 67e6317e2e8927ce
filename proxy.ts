import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/lib/http/content-security-policy";

/**
 * A fresh CSP nonce per request (Next's documented recipe, node_modules/next/dist/docs/01-app/02-guides/
 * content-security-policy.md): the policy goes on the request, where Next's renderer reads the nonce and puts it on
 * its scripts, and on the answer. Pages render per request for this (app/layout.tsx awaits connection()). The other
 * security headers are static (next.config.js). Only next/server and a framework-free module are imported here.
 */
export function proxy(req: NextRequest) {
  const csp = contentSecurityPolicy(newNonce(), process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("content-security-policy", csp);
  return res;
}

export const config = {
  // Pages and RSC payloads get the nonce policy; fingerprinted build assets are not documents. API routes are left out:
  // Next buffers the body of every request the proxy sees and silently cuts it at 10 MB (proxyClientMaxBodySize), so a
  // 75 MB feature table or a series zip reached its route truncated. Upload routes stream and enforce their own limits;
  // API answers get a static no-content policy from next.config.js instead.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
