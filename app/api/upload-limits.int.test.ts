import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/sessions";
import type { Database } from "@/lib/db/database";
import { useDatabase } from "@/lib/db/prisma";
import { openTestDatabase, testBackend } from "@/lib/db/test-database";
import { syntheticSlice } from "@/lib/imaging/series/synthetic-slice.testutil";
import { importDicomFiles } from "@/lib/pipeline/import-dicom";
import { getFileStore } from "@/lib/storage/server-store";
import { gzipBomb, multipartStream, zipBomb } from "@/lib/upload/bombs.testutil";

/**
 * Issue 15 item 3: hostile uploads against the real route handlers, in this process, with its resident memory sampled
 * while each request runs. Every bomb is built on the fly (a few MB); each must be refused with 413 naming its limit,
 * and the process must not grow by 200 MB or more (before the fix: +1 to +3 GB each).
 */
process.env.NEXTAUTH_SECRET = "upload-limits-test-secret-of-32-characters";
const dataDir = mkdtempSync(path.join(os.tmpdir(), "nac-upload-limits-"));
process.env.NAC_DATA_DIR = dataDir;
const GB = 1024 * 1024 * 1024;
const RSS_BUDGET = 200 * 1024 * 1024;

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function peakRssGrowth<T>(fn: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}

describe(`upload limits are enforced while streaming (${testBackend()})`, () => {
  let db: Database;
  let cookie: string;
  let seriesId: string;
  let importRoute: Handler;
  let roisRoute: Handler;
  let roiUploadRoute: Handler;
  beforeAll(async () => {
    db = await openTestDatabase();
    useDatabase(db);
    const u = await db.prisma.user.create({
      data: { username: "rad", displayName: "Rad", role: "radiologist", passwordHash: "unused" },
    });
    const sid = await createSession(db.prisma, u.id, "credentials");
    cookie = `next-auth.session-token=${await encode({ token: { sub: u.id, sid, username: "rad", name: "Rad", role: "radiologist" }, secret: process.env.NEXTAUTH_SECRET! })}`;
    const files = [0, 1].map((z) => ({
      name: `s${z}.dcm`,
      bytes: syntheticSlice({
        seriesUid: "1.2.826.0.1.3680043.10.8.1",
        z,
        value: 5,
        extra: { PatientID: "UPL-1", StudyInstanceUID: "1.2.826.0.1.3680043.10.8.2" },
      }),
    }));
    seriesId = (await importDicomFiles({ prisma: db.prisma, store: getFileStore() }, files)).series[0].seriesId;
    importRoute = ((await import("./import/route")) as { POST: Handler }).POST;
    roisRoute = ((await import("./series/[seriesId]/rois/route")) as { POST: Handler }).POST;
    roiUploadRoute = ((await import("./series/[seriesId]/rois/upload/route")) as { POST: Handler }).POST;
  });
  afterAll(async () => db?.close());

  const post = (
    handler: Handler,
    url: string,
    body: ReadableStream<Uint8Array> | Uint8Array,
    headers: Record<string, string>,
    params: Record<string, string> = {},
  ) =>
    handler(
      new NextRequest(url, {
        method: "POST",
        body,
        headers: { cookie, ...headers },
        duplex: "half",
      } as ConstructorParameters<typeof NextRequest>[1]),
      { params: Promise.resolve(params) },
    );

  async function expect413(res: Response, limit: RegExp) {
    const j = (await res.json()) as { error: { code: string; message: string } };
    if (!j.error) throw new Error(`expected an error, got ${res.status} ${JSON.stringify(j).slice(0, 600)}`);
    expect(res.status, j.error.message).toBe(413);
    expect(j.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(j.error.message).toMatch(limit);
  }

  it("a 3 MB zip of three 1 GB entries (honest sizes, then lying sizes) is refused without inflating it", async () => {
    for (const declared of [GB, 1000]) {
      const m = multipartStream({ field: "files", filename: "bomb.zip", content: zipBomb(3, GB, declared) });
      const { result: res, growth } = await peakRssGrowth(() =>
        post(importRoute, "http://localhost/api/import", m.body, { "content-type": m.contentType }),
      );
      await expect413(res, declared === GB ? /limit 256(\.0)? MB/ : /declared size/);
      console.info(`peak RSS growth ${(growth / 1048576).toFixed(0)} MB`);
      expect(growth).toBeLessThan(RSS_BUDGET);
    }
    expect(await db.prisma.dicomInstance.count()).toBe(2);
  });

  it("1 GB and 2 GB uploads are refused at the request limit, with or without Content-Length", async () => {
    for (const [fillBytes, withLength] of [
      [1 * GB, false],
      [2 * GB + GB / 1024, true],
    ] as const) {
      const m = multipartStream({ field: "files", filename: "big.dcm", fillBytes });
      const headers: Record<string, string> = {
        "content-type": m.contentType,
        ...(withLength ? { "content-length": String(m.length) } : {}),
      };
      const { result: res, growth } = await peakRssGrowth(() =>
        post(importRoute, "http://localhost/api/import", m.body, headers),
      );
      await expect413(res, /limit (512(\.0)? MB|256(\.0)? MB)/);
      console.info(`peak RSS growth ${(growth / 1048576).toFixed(0)} MB`);
      expect(growth).toBeLessThan(RSS_BUDGET);
    }
    // the temp folders of refused uploads are gone
    expect(readdirSync(path.join(dataDir, "tmp"))).toEqual([]);
  });

  it("1 MB of gzip posted as a drawn mask (1 GB inflated) is refused at the grid's voxel count", async () => {
    const { result: res, growth } = await peakRssGrowth(() =>
      post(
        roisRoute,
        `http://localhost/api/series/${seriesId}/rois`,
        new Uint8Array(gzipBomb(GB)),
        { "content-type": "application/octet-stream" },
        { seriesId },
      ),
    );
    await expect413(res, /limit 24 bytes/);
    console.info(`peak RSS growth ${(growth / 1048576).toFixed(0)} MB`);
    expect(growth).toBeLessThan(RSS_BUDGET);
  });

  it("a 1 MB .nii.gz mask upload inflating to 1 GB is refused", async () => {
    const m = multipartStream({ field: "file", filename: "mask.nii.gz", content: gzipBomb(GB) });
    const { result: res, growth } = await peakRssGrowth(() =>
      post(
        roiUploadRoute,
        `http://localhost/api/series/${seriesId}/rois/upload`,
        m.body,
        { "content-type": m.contentType },
        { seriesId },
      ),
    );
    await expect413(res, /limit \d+ bytes/);
    console.info(`peak RSS growth ${(growth / 1048576).toFixed(0)} MB`);
    expect(growth).toBeLessThan(RSS_BUDGET);
    expect(await db.prisma.roi.count()).toBe(0);
  });
});
