import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptionsFor } from "@/app/_server/auth-options";
import { isSecureRequest, sourceAddressOf } from "@/app/_server/request-info";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Public by design: this is the sign-in endpoint. Options per request: Secure cookies under TLS, the source address.
async function handler(req: NextRequest, ctx: Ctx): Promise<Response> {
  const res = (await NextAuth(
    req,
    ctx,
    authOptionsFor({ secure: isSecureRequest(req.headers), sourceAddress: sourceAddressOf(req.headers) }),
  )) as Response;
  res.headers.set("cache-control", "no-store");
  return res;
}
export { handler as GET, handler as POST };
