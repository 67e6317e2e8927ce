import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import type { Database } from "@/lib/db/database";
import { useDatabase } from "@/lib/db/prisma";
import { openTestDatabase, testBackend } from "@/lib/db/test-database";
import { FileStore } from "@/lib/storage/file-store";
import { importDicomFiles } from "@/lib/pipeline/import-dicom";

/**
 * Issue 16, items 1, 2, 4, 5, 6, 7 and 8 as a user or an attacker meets them: signing in through the real Auth.js
 * handler (CSRF token, credentials callback, session cookie), then the route handlers and the page guard. It uses only
 * what existed before the issue was worked on (sign-in, routes, the page guard, the database), so the same file runs
 * against the code before #16 and shows each item failing there (docs/SECURITY.md, "Regression tests").
 */
const DATA = mkdtempSync(path.join(os.tmpdir(), "nac-issue16-"));
process.env.NEXTAUTH_SECRET = "issue-16-black-box-secret-of-32-chars";
process.env.NEXTAUTH_URL = "http://localhost";
process.env.NAC_DATA_DIR = DATA;
process.env.NAC_STORAGE_DIR = path.join(DATA, "storage");
delete process.env.NAC_BIND_ADDRESS;
Object.assign(process.env, {
  NAC_OIDC_ISSUER: "http://127.0.0.1:9", // never contacted: the provider list only names it
  NAC_OIDC_CLIENT_ID: "nac",
  NAC_OIDC_CLIENT_SECRET: "nac-secret-for-tests-only",
  NAC_OIDC_NAME: "Test hospital",
});

const jar = vi.hoisted(() => ({ cookie: "", headers: new Headers() }));
vi.mock("next/headers", async () => (await import("./testdata/next-headers-mock")).nextHeadersFrom(jar, "10.7.7.7"));
// Auth.js's route handler require()s next/headers itself (outside vitest's module graph): the same stand-in, answering
// with the request being handled, goes into Node's require cache.
const nodeRequire = createRequire(import.meta.url);
nodeRequire.cache[nodeRequire.resolve("next/headers")] = {
  exports: {
    cookies: async () => ({
      getAll: () =>
        (jar.headers.get("cookie") ?? "")
          .split("; ")
          .filter(Boolean)
          .map((c) => ({ name: c.split("=")[0], value: decodeURIComponent(c.slice(c.indexOf("=") + 1)) })),
    }),
    headers: async () => jar.headers,
  },
} as unknown as NodeJS.Module;

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const handler = async (rel: string, method = "GET") =>
  ((await import(path.resolve("app/api", rel, "route.ts"))) as Record<string, Handler>)[method];
const PASSWORD = "correct-horse-battery";
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]);

describe(`issue 16 through sign-in and the route handlers (${testBackend()})`, () => {
  let db: Database;
  let seriesId: string;
  let instanceIds: string[];
  let patientKey: string;

  async function authCall(
    action: string[],
    init: { method?: string; cookie?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const h = await handler("auth/[...nextauth]", init.method ?? "GET");
    const headers: Record<string, string> = {
      "x-forwarded-for": "10.7.7.7",
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.headers ?? {}),
    };
    if (init.form) headers["content-type"] = "application/x-www-form-urlencoded";
    const req = new NextRequest(`http://localhost/api/auth/${action.join("/")}`, {
      method: init.method ?? "GET",
      headers,
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    jar.headers = new Headers(headers);
    return h(req, { params: Promise.resolve({ nextauth: action }) });
  }
  /** The browser's sign-in: CSRF token, then the credentials callback. */
  async function signIn(username: string, password = PASSWORD, headers: Record<string, string> = {}) {
    const csrf = await authCall(["csrf"], { headers });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await authCall(["callback", "credentials"], {
      method: "POST",
      cookie: cookiesOf(csrf).join("; "),
      form: { csrfToken, username, password, json: "true" },
      headers,
    });
    const session = res.headers.getSetCookie().find((c) => /session-token=/.test(c) && !/session-token=;/.test(c));
    return {
      ok: !!session,
      cookie: session ? [...cookiesOf(csrf), session.split(";")[0]].join("; ") : "",
      sessionSetCookie: session ?? "",
    };
  }
  async function api(rel: string, cookie: string, params: Record<string, string> = {}) {
    return (await handler(rel))(
      new NextRequest(`http://localhost/api/${rel}`, { headers: { cookie, "x-forwarded-for": "10.7.7.7" } }),
      { params: Promise.resolve(params) },
    );
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    useDatabase(db);
    const hash = await hashPassword(PASSWORD);
    for (const [username, role] of [
      ["rad", "radiologist"],
      ["onc", "oncologist"],
      ["res", "researcher"],
      ["victim", "radiologist"],
    ] as const) {
      await db.prisma.user.create({ data: { username, displayName: username, role, passwordHash: hash } });
    }
    const dir = path.resolve("lib/testdata/breast_mri_ucsf_br_06/image_dce_pe1");
    const files = readdirSync(dir)
      .sort()
      .slice(0, 4)
      .map((n) => ({ name: n, bytes: new Uint8Array(readFileSync(path.join(dir, n))) }));
    const report = await importDicomFiles(
      { prisma: db.prisma, store: new FileStore(process.env.NAC_STORAGE_DIR!) },
      files,
    );
    seriesId = report.series[0].seriesId;
    const series = await db.prisma.series.findUniqueOrThrow({
      where: { id: seriesId },
      include: { instances: true, study: { include: { patient: true } } },
    });
    instanceIds = series.instances.map((i) => i.id);
    patientKey = series.study.patient.patientKey;
  });
  afterAll(async () => db?.close());

  it("item 1: sign-out ends the session", async () => {
    const rad = await signIn("rad");
    expect(rad.ok).toBe(true);
    expect((await api("patients", rad.cookie)).status).toBe(200);
    const csrf = (await (await authCall(["csrf"], { cookie: rad.cookie })).json()) as { csrfToken: string };
    await authCall(["signout"], {
      method: "POST",
      cookie: rad.cookie,
      form: { csrfToken: csrf.csrfToken, json: "true" },
    });
    expect((await api("patients", rad.cookie)).status, "the signed-out token still reads patients").toBe(401);
  });

  it("item 1: a disabled account's open page is refused on its next request", async () => {
    const onc = await signIn("onc");
    jar.cookie = onc.cookie;
    jar.headers = new Headers({ cookie: onc.cookie, "x-forwarded-for": "10.7.7.7" });
    const { requirePageSession } = await import("@/app/_server/session");
    await expect(requirePageSession()).resolves.toMatchObject({ username: "onc" });
    await db.prisma.user.update({ where: { username: "onc" }, data: { disabledAt: new Date() } });
    await expect(requirePageSession(), "a disabled account's page still renders").rejects.toThrow(/NEXT_REDIRECT/);
  });

  it("item 2: series view, image reads, clinical record and prediction list leave audit rows with the source address; rows cannot be changed", async () => {
    const rad = await signIn("rad");
    const patientId = (await db.prisma.series.findUniqueOrThrow({ where: { id: seriesId }, include: { study: true } }))
      .study.patientId;
    const before = new Date();
    expect((await api("series/[seriesId]", rad.cookie, { seriesId })).status).toBe(200);
    for (const instanceId of instanceIds)
      expect((await api("instances/[instanceId]/file", rad.cookie, { instanceId })).status).toBe(200);
    expect((await api("patients/[patientId]/clinical", rad.cookie, { patientId })).status).toBe(200);
    expect((await api("patients/[patientId]/predict", rad.cookie, { patientId })).status).toBe(200);
    const rows = await db.prisma.auditEvent.findMany({ where: { username: "rad", at: { gte: before } } });
    const actions = rows.map((r) => r.action).sort();
    expect(actions).toEqual(["clinical.view", "prediction.list", "series.images_read", "series.view"]);
    for (const r of rows) expect(r.patientId).toBe(patientId);
    expect(rows.map((r) => (r as unknown as { sourceAddress?: string }).sourceAddress)).toEqual(
      rows.map(() => "10.7.7.7"),
    );
    await expect(db.prisma.auditEvent.deleteMany({}), "audit rows can be deleted").rejects.toThrow();
  });

  it("item 4: repeated wrong passwords lock the account for a while, even with the right one", async () => {
    expect((await signIn("rad")).ok).toBe(true);
    for (let i = 0; i < 6; i++) expect((await signIn("victim", "wrong-password")).ok).toBe(false);
    expect((await signIn("victim")).ok, "the right password after 6 failures signs in at once").toBe(false);
  });

  it("item 5: a researcher sees pseudonyms, not the site's patient IDs", async () => {
    const res = await signIn("res");
    const body = await (await api("patients", res.cookie)).text();
    expect(body).not.toContain(patientKey);
    expect(body).toMatch(/NAC-[0-9A-F]{10}/);
  });

  it("item 6: patient data is never cached; nosniff, no framing and a CSP without inline scripts", async () => {
    const rad = await signIn("rad");
    expect((await api("patients", rad.cookie)).headers.get("cache-control") ?? "").toMatch(/no-store/);
    expect(
      (await api("instances/[instanceId]/file", rad.cookie, { instanceId: instanceIds[0] })).headers.get(
        "cache-control",
      ) ?? "",
    ).toMatch(/no-store/);
    const config = (
      (await import(path.resolve("next.config.js"))) as {
        default: { headers?: () => Promise<{ headers: { key: string; value: string }[] }[]> };
      }
    ).default;
    const headers = Object.fromEntries(
      ((await config.headers?.()) ?? []).flatMap((r) => r.headers).map((h) => [h.key.toLowerCase(), h.value]),
    );
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    // the CSP carries a per-request nonce (proxy.ts), so the page answers are checked in e2e/csp-nonce.spec.ts
    const proxy = (await import(path.resolve("proxy.ts")).catch(() => null)) as {
      proxy?: (r: NextRequest) => Response;
    } | null;
    const csp =
      proxy?.proxy?.(new NextRequest("http://localhost/worklist")).headers.get("content-security-policy") ??
      headers["content-security-policy"] ??
      "";
    expect(csp).toMatch(/script-src [^;]*'nonce-/);
    expect(csp).not.toMatch(/script-src [^;]*'unsafe-inline'/);
  });

  it("item 7: the session cookie is Secure behind a TLS proxy; the server binds to loopback unless told", async () => {
    const tls = await signIn("rad", PASSWORD, { "x-forwarded-proto": "https" });
    expect(tls.ok).toBe(true);
    expect(tls.sessionSetCookie).toMatch(/;\s*Secure/i);
    const { readServerConfig } = await import("@/lib/config/server-config");
    expect((readServerConfig({ ...process.env }) as unknown as { bindAddress?: string }).bindAddress).toBe("127.0.0.1");
  });

  it("item 8: single sign-on through the site's OpenID Connect provider is offered", async () => {
    const providers = (await (await authCall(["providers"])).json()) as Record<string, { type: string; name: string }>;
    expect(providers.oidc).toMatchObject({ type: "oauth", name: "Test hospital" });
  });
});
