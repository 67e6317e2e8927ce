import { NextResponse, type NextRequest } from "next/server";
import { isSecureRequest } from "@/app/_server/request-info";
import { securityHeaders } from "@/lib/http/security-headers";

/**
 * Security headers on every page and API answer (lib/http/security-headers.ts). A fresh CSP nonce per request: Next
 * reads it from the request's Content-Security-Policy header and puts it on its own scripts (every page renders
 * dynamically: app/layout.tsx).
 */
export function proxy(req: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const headers = securityHeaders({ nonce, secure: isSecureRequest(req.headers), dev: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["content-security-policy"]);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

export const config = {
  // Static build assets carry no patient data and are fingerprinted; everything else gets the headers.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
