import { NextResponse, type NextRequest } from "next/server";
import { z, type ZodType } from "zod";
import { recordAudit, withAuditContext, type AuditEntry } from "@/lib/audit/audit-log";
import { can, rolesWith, type Permission } from "@/lib/auth/permissions";
import type { Role } from "@/lib/auth/roles";
import { getPrisma } from "@/lib/db/prisma";
import { isNacError, NacError } from "@/lib/errors";
import { sourceAddressOf } from "./request-info";
import { userFromCookies, type SessionUser } from "./session-user";

/**
 * Every API route except sign-in and health is built with `apiRoute`: it checks the session (401: a live session of an
 * enabled account, re-read on every request) and the permission (403, from the permission table lib/auth/permissions.ts),
 * parses params/query/body with zod (400), calls the handler, and maps errors to `{ error: { code, message } }` with the
 * code's status — never a stack trace. Answers are `Cache-Control: no-store` unless the handler says otherwise (they
 * carry patient data). The guard's roles are attached to the handler so a test can enumerate every route and prove none
 * is unguarded (app/api/route-guards.int.test.ts).
 */
export const ROUTE_GUARD = Symbol.for("nacpredict.routeGuard");

export interface RouteGuard {
  roles: readonly Role[];
  permission?: Permission;
}

type Ctx = { params: Promise<Record<string, string | string[]>> };

export interface RouteSpec<P extends ZodType, Q extends ZodType, B extends ZodType> {
  /** The permission the route needs (lib/auth/permissions.ts): every route has one, no route lists roles. */
  permission: Permission;
  params?: P;
  query?: Q;
  body?: B;
  /** The answer's schema (lib/api/schemas.ts), checked before it is sent: a route never answers a shape its readers do not expect. */
  response?: ZodType;
}

export interface HandlerInput<P, Q, B> {
  req: NextRequest;
  user: SessionUser;
  params: P;
  query: Q;
  body: B;
  /** Records an audit row for this request: user and source address filled in. */
  audit: (entry: Omit<AuditEntry, "userId" | "username" | "sourceAddress">) => Promise<void>;
  sourceAddress: string | null;
}

export type GuardedHandler = ((req: NextRequest, ctx: Ctx) => Promise<Response>) & { [ROUTE_GUARD]: RouteGuard };

export function apiRoute<
  P extends ZodType = ZodType<unknown>,
  Q extends ZodType = ZodType<unknown>,
  B extends ZodType = ZodType<unknown>,
>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: HandlerInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<Response | unknown>,
): GuardedHandler {
  const roles = rolesWith(spec.permission);
  const fn = async (req: NextRequest, ctx: Ctx): Promise<Response> => {
    try {
      assertSameOrigin(req);
      const user = await sessionUser(req);
      if (!user) throw new NacError("UNAUTHENTICATED", "sign in first");
      const allowed = can(user, spec.permission);
      if (!allowed) throw new NacError("FORBIDDEN", `the ${user.role} role may not do this`);
      const params = parse(
        spec.params,
        noNul(ctx?.params ? await ctx.params : {}, "path parameters"),
        "path parameters",
      );
      const query = parse(spec.query, noNul(Object.fromEntries(new URL(req.url).searchParams), "query"), "query");
      let body: unknown = undefined;
      if (spec.body) {
        // A form or `text/plain` body is what another site can send without a CORS preflight: JSON only.
        if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(req.headers.get("content-type") ?? "")) {
          throw new NacError("UNSUPPORTED_MEDIA", "send the body as application/json");
        }
        const raw = await req.json().catch(() => {
          throw new NacError("BAD_REQUEST", "request body must be JSON");
        });
        body = parse(spec.body, raw, "body");
      }
      const sourceAddress = sourceAddressOf(req.headers);
      const audit: HandlerInput<unknown, unknown, unknown>["audit"] = async (entry) =>
        recordAudit(await getPrisma(), { ...entry, userId: user.id, username: user.username, sourceAddress });
      const out = await withAuditContext({ sourceAddress }, () =>
        handler({ req, user, params, query, body, audit, sourceAddress } as HandlerInput<
          z.infer<P>,
          z.infer<Q>,
          z.infer<B>
        >),
      );
      if (spec.response && !(out instanceof Response)) {
        const checked = spec.response.safeParse(out);
        if (!checked.success)
          throw new Error(
            `response of ${req.nextUrl.pathname} does not match its schema: ${checked.error.issues[0]?.message}`,
          );
      }
      return noStore(out instanceof Response ? out : NextResponse.json(out));
    } catch (e) {
      return noStore(errorResponse(e));
    }
  };
  return Object.assign(fn, { [ROUTE_GUARD]: { roles, permission: spec.permission } });
}

function noStore(res: Response): Response {
  if (!res.headers.has("cache-control")) res.headers.set("cache-control", "no-store");
  return res;
}

/** PostgreSQL cannot hold a NUL character: refuse it at the edge (400), never let it reach a query (500). */
function noNul<T extends Record<string, string | string[]>>(values: T, what: string): T {
  for (const [k, v] of Object.entries(values)) {
    if ((Array.isArray(v) ? v : [v]).some((x) => x.includes("\u0000")))
      throw new NacError("BAD_REQUEST", `${what}: ${k} contains a NUL character`);
  }
  return values;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for every state-changing request: SameSite=Lax cookies still travel with requests from
 * another port or a sibling host (same site, other origin), so the Origin must be this site's own. Browsers send
 * Origin with every POST/PUT/PATCH/DELETE, and fetch metadata (Sec-Fetch-Site) too; a request carrying fetch metadata
 * from anywhere but this origin, or fetch metadata without an Origin, is refused. A request with neither comes from
 * a non-browser client (CLI, scripts), which a foreign page cannot drive. Allowed: the request's own host (behind a
 * proxy: X-Forwarded-Host, which a cross-origin page cannot set without a preflight), NEXTAUTH_URL and
 * NAC_ALLOWED_ORIGINS (comma-separated origins).
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  const origin = req.headers.get("origin");
  const site = req.headers.get("sec-fetch-site");
  if (origin === null) {
    if (site !== null && site !== "same-origin")
      throw new NacError("FORBIDDEN", "cross-origin request refused: no Origin header");
    return;
  }
  if (site !== null && site !== "same-origin")
    throw new NacError("FORBIDDEN", `cross-origin request refused (from ${origin}, ${site})`);
  if (!allowedOrigin(req, origin))
    throw new NacError("FORBIDDEN", `cross-origin request refused: ${origin} is not this site's origin`);
}

function allowedOrigin(req: Request, origin: string): boolean {
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frame, file:) and garbage
  }
  const host =
    req.headers.get("x-forwarded-host")?.split(",")[0].trim() || req.headers.get("host") || new URL(req.url).host;
  if (o.host === host) return true;
  const configured = [process.env.NEXTAUTH_URL, ...(process.env.NAC_ALLOWED_ORIGINS ?? "").split(",")]
    .map((x) => x?.trim())
    .filter((x): x is string => !!x);
  return configured.some((c) => {
    try {
      return new URL(c).origin === o.origin;
    } catch {
      return false;
    }
  });
}

function parse<T extends ZodType | undefined>(schema: T, value: unknown, what: string) {
  if (!schema) return value;
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new NacError("VALIDATION_FAILED", `${what}: ${i.path.length ? i.path.join(".") + ": " : ""}${i.message}`, {
      issues: r.error.issues.map((x) => ({ path: x.path.join("."), message: x.message })),
    });
  }
  return r.data;
}

/**
 * The user behind the request's session cookie: a live session row of an enabled account, re-read from the database on
 * every call, so sign-out, a disabled account or a changed role take effect at once instead of when the token expires.
 */
export async function sessionUser(req: NextRequest): Promise<SessionUser | null> {
  return userFromCookies((name) => req.cookies.get(name)?.value);
}

export function errorResponse(e: unknown): Response {
  if (isNacError(e)) {
    return NextResponse.json(
      { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } },
      { status: e.status },
    );
  }
  console.error("unhandled API error", e);
  return NextResponse.json(
    { error: { code: "INTERNAL", message: "internal error; see the server log" } },
    { status: 500 },
  );
}
