import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/sessions";
import type { Database } from "@/lib/db/database";
import { useDatabase } from "@/lib/db/prisma";
import { openTestDatabase, testBackend } from "@/lib/db/test-database";

/**
 * Issue 15 items 4, 10 and 11 at the route edge, in-process: foreign origins and non-JSON bodies change nothing,
 * clinical values are never coerced, a NUL in a query is a 400 and an unknown id a 404.
 * (The browser-level CSRF proof, with a page on a second origin, is e2e/cross-origin-writes-refused.spec.ts.)
 */
process.env.NEXTAUTH_SECRET = "hostile-requests-test-secret-of-32-characters";
type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const valid = {
  ageYears: 47,
  menopausalStatus: "pre",
  er: "negative",
  pr: "negative",
  her2: "negative",
  ki67Percent: 60,
  grade: "3",
  histology: "IDC (NST)",
  cT: "cT2",
  cN: "cN0",
};

describe(`hostile requests at the API edge (${testBackend()})`, () => {
  let db: Database;
  let cookie: string;
  let patientId: string;
  let clinical: { GET: Handler; POST: Handler };
  beforeAll(async () => {
    db = await openTestDatabase();
    useDatabase(db);
    const u = await db.prisma.user.create({
      data: { username: "rad", displayName: "Rad", role: "radiologist", passwordHash: "unused" },
    });
    const sid = await createSession(db.prisma, u.id, "credentials");
    cookie = `next-auth.session-token=${await encode({ token: { sub: u.id, sid, username: "rad", name: "Rad", role: "radiologist" }, secret: process.env.NEXTAUTH_SECRET! })}`;
    patientId = (await db.prisma.patient.create({ data: { patientKey: "H-1", displayName: "Hostile, One" } })).id;
    clinical = (await import("./patients/[patientId]/clinical/route")) as { GET: Handler; POST: Handler };
  });
  afterAll(async () => db?.close());

  const saveClinical = (headers: Record<string, string>, body: string) =>
    clinical.POST(
      new NextRequest(`http://localhost:3204/api/patients/${patientId}/clinical`, {
        method: "POST",
        headers: { cookie, host: "localhost:3204", ...headers },
        body,
      }),
      {
        params: Promise.resolve({ patientId }),
      },
    );
  const versions = () => db.prisma.clinicalRecord.count({ where: { patientId } });

  it("a write from another origin, or with fetch metadata but no Origin, is refused and changes nothing", async () => {
    const body = JSON.stringify({ values: valid });
    const json = { "content-type": "application/json" };
    for (const headers of [
      { ...json, origin: "http://localhost:3999" }, // another port of the same host: same site, other origin
      { ...json, origin: "http://evil.example" },
      { ...json, origin: "null" },
      { ...json, origin: "http://localhost:3204", "sec-fetch-site": "same-site" },
      { ...json, "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" },
    ]) {
      const res = await saveClinical(headers, body);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await res.json()).error.message).toMatch(/cross-origin request refused/);
    }
    expect(await versions()).toBe(0);
    // JSON sent as text/plain (what a foreign form or no-cors fetch can send without a preflight)
    const plain = await saveClinical({ "content-type": "text/plain", origin: "http://localhost:3204" }, body);
    expect(plain.status).toBe(415);
    expect(await versions()).toBe(0);
    // the product's own page: same origin, JSON
    const own = await saveClinical({ ...json, origin: "http://localhost:3204", "sec-fetch-site": "same-origin" }, body);
    expect(own.status).toBe(200);
    expect(await versions()).toBe(1);
  });

  it('clinical values are never coerced: null, "", false, [] for a required number and "0x32" for an age are 400', async () => {
    for (const [name, bad] of [
      ["ki67Percent", null],
      ["ki67Percent", ""],
      ["ki67Percent", false],
      ["ki67Percent", []],
      ["ageYears", "0x32"],
    ] as const) {
      const res = await saveClinical(
        { "content-type": "application/json" },
        JSON.stringify({ values: { ...valid, [name]: bad } }),
      );
      expect(res.status, `${name} = ${JSON.stringify(bad)}`).toBe(400);
      const j = await res.json();
      expect(j.error.code).toBe("VALIDATION_FAILED");
      expect(j.error.details.issues[0].path).toBe(name);
    }
    expect(await versions()).toBe(1);
  });

  it("a NUL byte in a search is a 400, not a 500", async () => {
    const { GET } = (await import("./patients/route")) as { GET: Handler };
    const res = await GET(new NextRequest("http://localhost/api/patients?q=a%00b", { headers: { cookie } }), {
      params: Promise.resolve({}),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/NUL/);
  });

  it("unknown patient and series ids answer 404, not 200 with empty data", async () => {
    const unknown = randomUUID();
    const predict = (await import("./patients/[patientId]/predict/route")) as { GET: Handler };
    const rois = (await import("./series/[seriesId]/rois/route")) as { GET: Handler };
    const get = (h: Handler, url: string, params: Record<string, string>) =>
      h(new NextRequest(url, { headers: { cookie } }), { params: Promise.resolve(params) });
    for (const res of [
      await get(clinical.GET, `http://localhost/api/patients/${unknown}/clinical`, { patientId: unknown }),
      await get(predict.GET, `http://localhost/api/patients/${unknown}/predict`, { patientId: unknown }),
      await get(rois.GET, `http://localhost/api/series/${unknown}/rois`, { seriesId: unknown }),
    ]) {
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe("NOT_FOUND");
    }
  });
});
