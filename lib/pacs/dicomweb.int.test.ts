import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { isNacError, type NacError } from "../errors";
import { parseDicom } from "../imaging/dicom";
import { pacsClient, savePacsSource } from "../pipeline/pacs/sources";
import type { GeneratedPatient } from "../synth/generate-patient";
import { DicomWebClient } from "./dicomweb-client";
import { T, str } from "./dicom-json";
import { seedDemoPacs } from "./testdata/demo-pacs";
import { startOrthanc, type OrthancServer } from "./testdata/orthanc";

/** The DICOMweb client and data-source service against a real Orthanc (and small hostile servers for what it cannot do). */
const KEY = Buffer.alloc(32, 7);
const user = { id: null, username: "test-admin" };

async function failure(p: Promise<unknown>): Promise<NacError> {
  try {
    await p;
  } catch (e) {
    if (isNacError(e)) return e;
    throw e;
  }
  throw new Error("expected a failure");
}

/** An HTTP server answering every request with `handler`, on an ephemeral loopback port. */
async function stubServer(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe(`DICOMweb against a real Orthanc (${testBackend()})`, () => {
  let orthanc: OrthancServer;
  let db: Database;
  let patient: GeneratedPatient;
  let client: DicomWebClient;

  beforeAll(async () => {
    orthanc = await startOrthanc();
    patient = await seedDemoPacs(orthanc);
    db = await openTestDatabase();
    await savePacsSource(
      { prisma: db.prisma, secretKey: KEY },
      {
        name: "Test PACS",
        baseUrl: orthanc.dicomWebUrl,
        authKind: "basic",
        username: orthanc.username,
        secret: orthanc.password,
      },
      user,
    );
    client = (await pacsClient({ prisma: db.prisma, secretKey: KEY })).client;
  });
  afterAll(async () => {
    await db?.close();
    await orthanc?.stop();
  });

  it("keeps the secret sealed in the database and out of the public view", async () => {
    const row = await db.prisma.pacsSource.findFirstOrThrow();
    expect(row.secretCiphertext).toMatch(/^v1:/);
    expect(row.secretCiphertext).not.toContain(orthanc.password);
    const { source } = await pacsClient({ prisma: db.prisma, secretKey: KEY });
    expect(JSON.stringify(source)).not.toContain(orthanc.password);
    expect(source.hasSecret).toBe(true);
    const wrongKey = await failure(pacsClient({ prisma: db.prisma, secretKey: Buffer.alloc(32, 8) }));
    expect(wrongKey.code).toBe("PACS_NOT_CONFIGURED");
  });

  it("finds the demo patient's studies by patient ID and by part of the name, with the study fields", async () => {
    const byId = await client.searchStudies({ patientId: patient.patientId });
    expect(byId).toHaveLength(2);
    const byName = await client.searchStudies({ patientName: "patient-001" });
    expect(byName.map((s) => s.studyInstanceUid).sort()).toEqual(byId.map((s) => s.studyInstanceUid).sort());
    const mr = byId.find((s) => s.modalities.includes("MR"))!;
    expect(mr.patientName).toBe("DEMO, PATIENT-001");
    expect(mr.birthDate).toMatch(/^\d{8}$/);
    expect(mr.studyDate).toMatch(/^\d{8}$/);
    expect(mr.accessionNumber).toMatch(/^SYN\d{7}M$/);
    expect(mr.instanceCount).toBe(56 + 34);
    expect(await client.searchStudies({ patientId: patient.patientId, modality: "CT" })).toHaveLength(1);
    expect(await client.searchStudies({ patientId: patient.patientId, studyDate: mr.studyDate! })).toHaveLength(1);
    expect(await client.searchStudies({ accessionNumber: mr.accessionNumber! })).toHaveLength(1);
    expect(await client.searchStudies({ birthDate: mr.birthDate! })).toHaveLength(2);
    expect(await client.searchStudies({ patientId: "NOBODY" })).toEqual([]);
  });

  it("series metadata and frames equal the stored files (pixel sums, byte for byte)", async () => {
    const [mr] = await client.searchStudies({ patientId: patient.patientId, modality: "MR" });
    const series = await client.searchSeries(mr.studyInstanceUid);
    expect(series.map((s) => s.modality)).toEqual(["MR", "MR"]);
    const t2 = patient.series.find((s) => s.role === "T2")!;
    const meta = await client.seriesMetadata(mr.studyInstanceUid, t2.seriesInstanceUid);
    expect(meta).toHaveLength(t2.files.length);
    const stored = new Map(t2.files.map((f) => [parseDicom(f).string("00080018")!, parseDicom(f)]));
    for (const m of meta) {
      const ds = stored.get(str(m, T.SOPInstanceUID)!)!;
      expect(str(m, T.Rows)).toBe(String(ds.uint16("00280010")));
    }
    let pacsSum = 0;
    let fileSum = 0;
    for (const [sop, ds] of [...stored].slice(0, 8)) {
      const [frame] = await client.frames(mr.studyInstanceUid, t2.seriesInstanceUid, sop, [1]);
      const pixels = ds.bytes("7FE00010")!;
      expect(Buffer.from(frame).equals(Buffer.from(pixels))).toBe(true);
      const a = new Uint16Array(frame.buffer, frame.byteOffset, frame.byteLength / 2);
      const b = new Uint16Array(pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + pixels.byteLength));
      pacsSum += a.reduce((x, y) => x + y, 0);
      fileSum += b.reduce((x, y) => x + y, 0);
    }
    expect(pacsSum).toBeGreaterThan(0);
    expect(pacsSum).toBe(fileSum);
    const sop = [...stored.keys()][0];
    const file = await client.instance(mr.studyInstanceUid, t2.seriesInstanceUid, sop);
    expect(Buffer.from(file).equals(Buffer.from(t2.files.find((f) => parseDicom(f).string("00080018") === sop)!))).toBe(
      true,
    );
  });

  it("wrong credentials give a clear PACS_UNAUTHORIZED, not the user's own 401", async () => {
    const bad = new DicomWebClient({
      baseUrl: orthanc.dicomWebUrl,
      auth: { kind: "basic", username: orthanc.username, password: "wrong" },
      timeoutMs: 5000,
    });
    const e = await failure(bad.searchStudies({ patientId: patient.patientId }));
    expect(e.code).toBe("PACS_UNAUTHORIZED");
    expect(e.status).toBe(502);
    expect(e.message).toMatch(/refused NACpredict's credentials \(401\)/);
    const none = await failure(
      new DicomWebClient({ baseUrl: orthanc.dicomWebUrl, auth: { kind: "none" }, timeoutMs: 5000 }).searchStudies({}),
    );
    expect(none.code).toBe("PACS_UNAUTHORIZED");
  });

  it("an unreachable PACS, a slow one, a 403, a body cut short and a non-DICOM answer each get their own clear error", async () => {
    const closed = await stubServer(() => undefined);
    const closedUrl = closed.url;
    await closed.close();
    const unreachable = await failure(
      new DicomWebClient({ baseUrl: closedUrl, auth: { kind: "none" }, timeoutMs: 3000 }).searchStudies({}),
    );
    expect(unreachable.code).toBe("PACS_UNREACHABLE");
    expect(unreachable.message).toMatch(/unreachable \(ECONNREFUSED\)/);

    const slow = await stubServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/dicom+json" });
      res.write("[");
      setTimeout(() => res.end("]"), 3000); // headers at once, the body too late: the timeout covers the body
    });
    const t0 = Date.now();
    const timeout = await failure(
      new DicomWebClient({ baseUrl: slow.url, auth: { kind: "none" }, timeoutMs: 800 }).searchStudies({}),
    );
    expect(timeout.code).toBe("PACS_TIMEOUT");
    expect(timeout.message).toMatch(/did not answer within 0.8 s/);
    expect(Date.now() - t0).toBeLessThan(2500);
    await slow.close();

    const forbidden = await stubServer((_req, res) => res.writeHead(403).end());
    const e403 = await failure(
      new DicomWebClient({
        baseUrl: forbidden.url,
        auth: { kind: "bearer", token: "t" },
        timeoutMs: 3000,
      }).searchStudies({}),
    );
    expect(e403.code).toBe("PACS_FORBIDDEN");
    expect(e403.message).toMatch(/403/);
    await forbidden.close();

    // a frame answer cut short (the PACS dropped the connection after part of the body): never a truncated frame
    const [mr] = await client.searchStudies({ patientId: patient.patientId, modality: "MR" });
    const t2 = patient.series.find((s) => s.role === "T2")!;
    const sop = parseDicom(t2.files[0]).string("00080018")!;
    const real = await orthanc.rest(
      `/dicom-web/studies/${mr.studyInstanceUid}/series/${t2.seriesInstanceUid}/instances/${sop}/frames/1`,
      {
        headers: { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' },
      },
    );
    const ct = real.headers.get("content-type")!;
    const full = new Uint8Array(await real.arrayBuffer());
    const cut = await stubServer((_req, res) => {
      res.writeHead(200, { "content-type": ct });
      res.end(Buffer.from(full.subarray(0, full.length >> 1)));
    });
    const partial = await failure(
      new DicomWebClient({ baseUrl: cut.url, auth: { kind: "none" }, timeoutMs: 3000 }).frames(
        mr.studyInstanceUid,
        t2.seriesInstanceUid,
        sop,
        [1],
      ),
    );
    expect(partial.code).toBe("PACS_PARTIAL");
    await cut.close();

    const html = await stubServer((_req, res) =>
      res.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>"),
    );
    const notJson = await failure(
      new DicomWebClient({ baseUrl: html.url, auth: { kind: "none" }, timeoutMs: 3000 }).searchStudies({}),
    );
    expect(notJson.code).toBe("PACS_BAD_RESPONSE");
    await html.close();
  });

  it("refuses a data source without a password for basic auth, and a non-http URL", async () => {
    const deps = { prisma: db.prisma, secretKey: KEY };
    expect(
      (
        await failure(
          savePacsSource(deps, { name: "X", baseUrl: orthanc.dicomWebUrl, authKind: "basic", username: "u" }, user),
        )
      ).code,
    ).toBe("VALIDATION_FAILED");
    expect(
      (await failure(savePacsSource(deps, { name: "Y", baseUrl: "file:///etc/passwd", authKind: "none" }, user))).code,
    ).toBe("VALIDATION_FAILED");
    expect(
      (
        await failure(
          savePacsSource(deps, { name: "Z", baseUrl: orthanc.dicomWebUrl, authKind: "none", extra: 1 }, user),
        )
      ).code,
    ).toBe("VALIDATION_FAILED");
  });
});
