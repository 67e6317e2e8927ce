import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSession } from "@/lib/auth/sessions";
import { setGrant } from "@/lib/auth/user-admin";
import type { Database } from "@/lib/db/database";
import { useDatabase } from "@/lib/db/prisma";
import { openTestDatabase, testBackend } from "@/lib/db/test-database";
import { parseDicom, TAG } from "@/lib/imaging/dicom";
import { useNodeCodecWasm as installNodeCodecWasm } from "@/lib/imaging/dicom/node/codec-wasm";
import { FileStore } from "@/lib/storage/file-store";
import { importDicomFiles } from "@/lib/pipeline/import-dicom";
import { saveRoi, seriesGridOrThrow } from "@/lib/pipeline/roi";
import { voxelCount } from "@/lib/imaging/volume";

/**
 * Issue 16 regressions, through the real route handlers: sign-out and disabling end sessions at once (API and pages),
 * every PHI read leaves one audit row with user, patient and source address (images: one per series, not per frame),
 * researchers see pseudonyms until granted, PHI answers are not cacheable, the audit API filters and pages.
 */
const DATA = mkdtempSync(path.join(os.tmpdir(), "nac-access-"));
process.env.NEXTAUTH_SECRET = "access-control-test-secret-32-chars-long";
process.env.NAC_DATA_DIR = DATA;
process.env.NAC_STORAGE_DIR = path.join(DATA, "storage");

// Pages read cookies/headers through next/headers: the test supplies the request's.
const jar = vi.hoisted(() => ({ cookie: "" }));
vi.mock("next/headers", async () => (await import("./testdata/next-headers-mock")).nextHeadersFrom(jar));

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const route = async (rel: string, method = "GET") =>
  ((await import(path.resolve("app/api", rel, "route.ts"))) as Record<string, Handler>)[method];

describe(`access control and accountability (${testBackend()})`, () => {
  let db: Database;
  const ids: Record<string, string> = {};
  let patientId: string;
  let patientKey: string;
  let patientName: string;
  let seriesId: string;
  let instanceIds: string[];
  let roiId: string;

  async function signedIn(username: string): Promise<{ cookie: string; sid: string }> {
    const sid = await createSession(db.prisma, ids[username], "credentials");
    const token = await encode({ token: { sub: ids[username], sid, username }, secret: process.env.NEXTAUTH_SECRET! });
    return { cookie: `next-auth.session-token=${token}`, sid };
  }
  async function call(
    rel: string,
    cookie: string,
    opts: { params?: Record<string, string>; query?: string; method?: string; body?: unknown } = {},
  ) {
    const h = await route(rel, opts.method);
    const url = `http://localhost/api/${rel}${opts.query ? `?${opts.query}` : ""}`;
    const init = {
      method: opts.method ?? "GET",
      headers: { cookie, "x-forwarded-for": "10.1.2.3", ...(opts.body ? { "content-type": "application/json" } : {}) },
      ...(opts.body ? { body: JSON.stringify(opts.body) } : {}),
    };
    return h(new NextRequest(url, init), { params: Promise.resolve(opts.params ?? {}) });
  }

  beforeAll(async () => {
    installNodeCodecWasm();
    db = await openTestDatabase();
    useDatabase(db);
    for (const [username, role] of [
      ["rad", "radiologist"],
      ["res", "researcher"],
      ["adm", "admin"],
      ["onc", "oncologist"],
    ] as const) {
      ids[username] = (
        await db.prisma.user.create({ data: { username, displayName: username, role, passwordHash: "x" } })
      ).id;
    }
    const dir = path.resolve("lib/testdata/breast_mri_ucsf_br_06/image_dce_pe1");
    const files = readdirSync(dir)
      .sort()
      .map((n) => ({ name: n, bytes: new Uint8Array(readFileSync(path.join(dir, n))) }));
    const store = new FileStore(process.env.NAC_STORAGE_DIR!);
    const report = await importDicomFiles({ prisma: db.prisma, store }, files);
    seriesId = report.series[0].seriesId;
    const series = await db.prisma.series.findUniqueOrThrow({
      where: { id: seriesId },
      include: { study: { include: { patient: true } }, instances: true },
    });
    patientId = series.study.patientId;
    patientKey = series.study.patient.patientKey;
    patientName = series.study.patient.displayName;
    instanceIds = series.instances.map((i) => i.id).slice(0, 5);
    const grid = await seriesGridOrThrow(db.prisma, seriesId);
    const mask = new Uint8Array(voxelCount(grid));
    for (let i = 0; i < 50; i++) mask[grid.dims[0] * grid.dims[1] * 20 + grid.dims[0] * 100 + 120 + i] = 1;
    roiId = (
      await saveRoi(
        { prisma: db.prisma, store },
        { seriesId, mask, source: "drawn", user: { id: ids.rad, username: "rad" } },
      )
    ).roi.id;
    await db.prisma.clinicalRecord.create({ data: { patientId, version: 1, values: { age: 50 }, authorId: ids.rad } });
  });
  afterAll(async () => db?.close());

  it("sign-out revokes the session: the same token is refused on the next request", async () => {
    const { cookie, sid } = await signedIn("rad");
    expect((await call("patients", cookie)).status).toBe(200);
    const { authOptionsFor } = await import("@/app/_server/auth-options");
    await authOptionsFor({ secure: false, sourceAddress: "10.1.2.3" }).events!.signOut!({
      token: { sub: ids.rad, sid, username: "rad" },
      session: {} as never,
    });
    const after = await call("patients", cookie);
    expect(after.status).toBe(401);
    expect(
      await db.prisma.auditEvent.count({
        where: { action: "auth.sign_out", userId: ids.rad, sourceAddress: "10.1.2.3" },
      }),
    ).toBe(1);
  });

  it("a token without a server-side session (as issued before) is refused", async () => {
    const token = await encode({
      token: { sub: ids.rad, username: "rad", role: "radiologist" },
      secret: process.env.NEXTAUTH_SECRET!,
    });
    expect((await call("patients", `next-auth.session-token=${token}`)).status).toBe(401);
  });

  it("pages check the account as the API does: a disabled account's open session is sent to sign-in", async () => {
    const { requirePageSession } = await import("@/app/_server/session");
    const { cookie } = await signedIn("onc");
    jar.cookie = cookie;
    await expect(requirePageSession()).resolves.toMatchObject({ username: "onc" });
    // the administrator disables the account through the API; the user's next page render must not pass
    const adm = await signedIn("adm");
    expect(
      (
        await call("users/[userId]", adm.cookie, {
          method: "PATCH",
          params: { userId: ids.onc },
          body: { disabled: true },
        })
      ).status,
    ).toBe(200);
    await expect(requirePageSession()).rejects.toThrow(/NEXT_REDIRECT/);
    expect((await call("patients", cookie)).status).toBe(401);
    const { enable } = {
      enable: await call("users/[userId]", adm.cookie, {
        method: "PATCH",
        params: { userId: ids.onc },
        body: { disabled: false },
      }),
    };
    expect(enable.status).toBe(200);
    // enabling does not resurrect the revoked session
    await expect(requirePageSession()).rejects.toThrow(/NEXT_REDIRECT/);
  });

  it("records every PHI read once, with user, patient and source address; image reads once per series, not per frame", async () => {
    const { cookie } = await signedIn("rad");
    const before = new Date();
    const reads: [string, Record<string, string>][] = [
      ["patients/[patientId]", { patientId }],
      ["series/[seriesId]", { seriesId }],
      ["series/[seriesId]/rois", { seriesId }],
      ["rois/[roiId]/mask", { roiId }],
      ["rois/[roiId]/export", { roiId }],
      ["patients/[patientId]/clinical", { patientId }],
      ["patients/[patientId]/predict", { patientId }],
    ];
    for (const [rel, params] of reads) expect((await call(rel, cookie, { params })).status, rel).toBe(200);
    for (const instanceId of instanceIds)
      expect((await call("instances/[instanceId]/file", cookie, { params: { instanceId } })).status).toBe(200);
    const rows = await db.prisma.auditEvent.findMany({
      where: { userId: ids.rad, at: { gte: before } },
      orderBy: { at: "asc" },
    });
    expect(rows.map((r) => r.action)).toEqual([
      "patient.view",
      "series.view",
      "roi.list",
      "roi.mask_read",
      "roi.export",
      "clinical.view",
      "prediction.list",
      "series.images_read",
    ]);
    for (const r of rows) {
      expect(r.patientId, r.action).toBe(patientId);
      expect(r.sourceAddress, r.action).toBe("10.1.2.3");
      expect(r.username).toBe("rad");
    }
  });

  it("frames of one series view fetched at once (as the viewer does) leave one image-read row, not one per frame", async () => {
    const { cookie } = await signedIn("adm");
    const answers = await Promise.all(
      instanceIds.map((instanceId) => call("instances/[instanceId]/file", cookie, { params: { instanceId } })),
    );
    expect(answers.map((r) => r.status)).toEqual(instanceIds.map(() => 200));
    expect(
      await db.prisma.auditEvent.count({
        where: { action: "series.images_read", userId: ids.adm, targetId: seriesId },
      }),
    ).toBe(1);
  });

  it("writes done deeper in the pipeline carry the request's source address too", async () => {
    const { cookie } = await signedIn("rad");
    const res = await call("series/[seriesId]", cookie, {
      method: "PATCH",
      params: { seriesId },
      body: { role: "T2" },
    });
    expect(res.status).toBe(200);
    const row = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "series.role_override", userId: ids.rad },
    });
    expect(row.sourceAddress).toBe("10.1.2.3");
  });

  it("answers with patient data are never cached by the browser", async () => {
    const { cookie } = await signedIn("rad");
    expect((await call("patients", cookie)).headers.get("cache-control")).toBe("no-store");
    expect((await call("patients/[patientId]", cookie, { params: { patientId } })).headers.get("cache-control")).toBe(
      "no-store",
    );
    const file = await call("instances/[instanceId]/file", cookie, { params: { instanceId: instanceIds[0] } });
    expect(file.headers.get("cache-control")).toMatch(/no-store/);
  });

  it("a researcher sees pseudonyms (list, patient, search, DICOM file) until an administrator grants identified access", async () => {
    const { cookie } = await signedIn("res");
    const list = (await (await call("patients", cookie)).json()).patients as {
      id: string;
      patientKey: string;
      displayName: string;
    }[];
    const row = list.find((p) => p.id === patientId)!;
    expect(row.patientKey).toMatch(/^NAC-[0-9A-F]{10}$/);
    expect(row.displayName).toBe(row.patientKey);
    expect(JSON.stringify(list)).not.toContain(patientKey);
    // searching a real name or ID finds nothing; the pseudonym finds the patient
    expect(
      (await (await call("patients", cookie, { query: `q=${encodeURIComponent(patientKey)}` })).json()).patients,
    ).toHaveLength(0);
    expect(
      (await (await call("patients", cookie, { query: `q=${row.patientKey}` })).json()).patients.map(
        (p: { id: string }) => p.id,
      ),
    ).toEqual([patientId]);
    const one = (await (await call("patients/[patientId]", cookie, { params: { patientId } })).json()).patient;
    expect([one.patientKey, one.displayName]).toEqual([row.patientKey, row.patientKey]);
    const file = new Uint8Array(
      await (
        await call("instances/[instanceId]/file", cookie, { params: { instanceId: instanceIds[0] } })
      ).arrayBuffer(),
    );
    expect(parseDicom(file).string(TAG.PatientID)).toBe(row.patientKey);
    expect(Buffer.from(file).includes(Buffer.from(patientKey))).toBe(false);

    await setGrant(db.prisma, "res", "phi.identified.read", true, { userId: ids.adm, username: "adm" });
    const granted = (await (await call("patients/[patientId]", cookie, { params: { patientId } })).json()).patient;
    expect([granted.patientKey, granted.displayName]).toEqual([patientKey, patientName]);
    await setGrant(db.prisma, "res", "phi.identified.read", false, { userId: ids.adm, username: "adm" });
  });

  it("the audit API filters by user, patient, action and dates, pages, and exports the same rows as CSV", async () => {
    const { cookie } = await signedIn("adm");
    const page1 = await (await call("audit", cookie, { query: `patient=${patientKey}&user=rad&pageSize=3` })).json();
    expect(page1.total).toBeGreaterThanOrEqual(8);
    expect(page1.events).toHaveLength(3);
    expect(
      page1.events.every(
        (e: { patientId: string; username: string }) => e.patientId === patientId && e.username === "rad",
      ),
    ).toBe(true);
    const page2 = await (
      await call("audit", cookie, { query: `patient=${patientId}&user=rad&pageSize=3&page=2` })
    ).json();
    expect(page2.total).toBe(page1.total);
    expect(page2.events.map((e: { id: string }) => e.id)).not.toContain(page1.events[0].id);
    const images = await (
      await call("audit", cookie, { query: `patient=${patientId}&user=rad&action=series.images_read` })
    ).json();
    expect(images.events.map((e: { action: string }) => e.action)).toEqual(["series.images_read"]);
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (await (await call("audit", cookie, { query: `action=auth.&from=${today}&to=${today}` })).json()).total,
    ).toBeGreaterThanOrEqual(1);
    expect((await (await call("audit", cookie, { query: "from=2000-01-01&to=2000-01-02" })).json()).total).toBe(0);
    expect((await call("audit", cookie, { query: "action=drop.table" })).status).toBe(400);
    const csv = await call("audit/export", cookie, { query: `patient=${patientId}&user=rad` });
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("at,username,user_id,action,outcome,patient_id,target_type,target_id,source_address,details");
    expect(lines.length - 1).toBe(page1.total);
    expect(await db.prisma.auditEvent.count({ where: { action: "audit.export", userId: ids.adm } })).toBe(1);
    // only administrators read the audit log
    expect((await call("audit", (await signedIn("rad")).cookie)).status).toBe(403);
  });
});
