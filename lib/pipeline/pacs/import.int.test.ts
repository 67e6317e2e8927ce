import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/database";
import { openTestDatabase, testBackend } from "../../db/test-database";
import { buildMultipart, parseMultipart } from "../../pacs/multipart";
import { seedDemoPacs } from "../../pacs/testdata/demo-pacs";
import { startOrthanc, type OrthancServer } from "../../pacs/testdata/orthanc";
import { FileStore } from "../../storage/file-store";
import type { GeneratedPatient } from "../../synth/generate-patient";
import { createOrResumePacsImport, runPacsImport, type PacsImportDeps } from "./import";
import { savePacsSource } from "./sources";

/** PACS import against a real Orthanc: roles from the classifier, idempotent, and resumable after the PACS dies mid-way. */
const KEY = Buffer.alloc(32, 3);
const user = { id: null, username: "test-radiologist" };

describe(`PACS import (${testBackend()})`, () => {
  let orthanc: OrthancServer;
  let db: Database;
  let patient: GeneratedPatient;
  let deps: PacsImportDeps;
  let studyUids: string[];
  let instanceRequests = 0;
  let killAfter = Infinity;

  beforeAll(async () => {
    orthanc = await startOrthanc();
    patient = await seedDemoPacs(orthanc);
    db = await openTestDatabase();
    const root = mkdtempSync(path.join(os.tmpdir(), "pacs-import-"));
    // Counts WADO-RS instance fetches, and kills the PACS after `killAfter` of them (a PACS going away mid-import).
    const countingFetch: typeof fetch = async (input, init) => {
      const url = String(input);
      if (/\/instances\/[0-9.]+$/.test(url)) {
        instanceRequests++;
        if (instanceRequests > killAfter) await orthanc.kill();
      }
      return fetch(input, init);
    };
    deps = {
      prisma: db.prisma,
      secretKey: KEY,
      store: new FileStore(path.join(root, "storage")),
      stagingDir: path.join(root, "staging"),
      fetch: countingFetch,
      concurrency: 1,
    };
    await savePacsSource(
      deps,
      {
        name: "Orthanc",
        baseUrl: orthanc.dicomWebUrl,
        authKind: "basic",
        username: orthanc.username,
        secret: orthanc.password,
        timeoutMs: 5000,
      },
      user,
    );
    const res = await orthanc.rest("/tools/find", {
      method: "POST",
      body: JSON.stringify({ Level: "Study", Query: { PatientID: patient.patientId }, Expand: true }),
    });
    studyUids = ((await res.json()) as { MainDicomTags: { StudyInstanceUID: string } }[]).map(
      (s) => s.MainDicomTags.StudyInstanceUID,
    );
    expect(studyUids).toHaveLength(2);
  });
  afterAll(async () => {
    await db?.close();
    await orthanc?.stop();
  });

  it("a PACS stopped in the middle leaves a resumable import and no partial study; resuming fetches only the rest", async () => {
    killAfter = 50;
    const created = await createOrResumePacsImport(deps, { studyUids, user });
    const failed = await runPacsImport(deps, created.id, user);
    expect(failed.status).toBe("failed");
    expect(failed.error?.code).toBe("PACS_UNREACHABLE");
    expect(failed.error?.message).toMatch(/unreachable/);
    expect(failed.resumable).toBe(true);
    expect(failed.fetched).toBe(50);
    expect(failed.total).toBe(130);
    // nothing of it is visible
    expect(await db.prisma.patient.count()).toBe(0);
    expect(await db.prisma.study.count()).toBe(0);
    expect(await db.prisma.dicomInstance.count()).toBe(0);
    expect(readdirSync(path.join(deps.stagingDir, created.id)).filter((n) => n.endsWith(".dcm"))).toHaveLength(50);

    // asking again for the same studies resumes the same import
    killAfter = Infinity;
    await orthanc.restart();
    const again = await createOrResumePacsImport(deps, { studyUids: [...studyUids].reverse(), user });
    expect(again.id).toBe(created.id);
    instanceRequests = 0;
    const done = await runPacsImport(deps, again.id, user);
    expect(done.error).toBeNull();
    expect(done.status).toBe("succeeded");
    expect(instanceRequests).toBe(80); // only what was missing
    expect(done.imported).toBe(130);
    expect(done.attempts).toBe(2);
    expect(done.series.map((s) => s.role).sort()).toEqual(["CE_T1", "CT", "T2"]);
    expect(await db.prisma.dicomInstance.count()).toBe(130);
    expect(await db.prisma.patient.findMany({ select: { patientKey: true } })).toEqual([
      { patientKey: patient.patientId },
    ]);
    expect(readdirSync(deps.stagingDir)).toEqual([]); // staging cleaned once imported
    const audit = await db.prisma.auditEvent.findMany({ where: { action: "pacs.import" }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.outcome)).toEqual(["failed", "ok"]);
  });

  it("importing the same studies again fetches and adds nothing", async () => {
    instanceRequests = 0;
    const second = await createOrResumePacsImport(deps, { studyUids, user });
    const done = await runPacsImport(deps, second.id, user);
    expect(done.status).toBe("succeeded");
    expect(done.skipped).toBe(130);
    expect(done.imported).toBe(0);
    expect(instanceRequests).toBe(0);
    expect(await db.prisma.dicomInstance.count()).toBe(130);
    expect(await db.prisma.series.count()).toBe(3);
    expect(done.patientIds).toHaveLength(1);
  });

  it("a corrupt image from the PACS fails the import with a clear message and imports nothing of it; resuming fetches it again", async () => {
    const db2 = await openTestDatabase();
    try {
      const root = mkdtempSync(path.join(os.tmpdir(), "pacs-corrupt-"));
      let corrupt = true;
      let victim = "";
      // The PACS answers one instance with its file cut to 60 % (pixel data short), well-formed otherwise.
      const corruptingFetch: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        const m = /\/instances\/([0-9.]+)$/.exec(String(input));
        if (!corrupt || !m || (victim && victim !== m[1])) return res;
        victim = m[1];
        const parts = parseMultipart(new Uint8Array(await res.arrayBuffer()), res.headers.get("content-type")!);
        const cut = buildMultipart(
          [{ contentType: "application/dicom", body: parts[0].body.slice(0, Math.floor(parts[0].body.length * 0.6)) }],
          "application/dicom",
        );
        return new Response(Buffer.from(cut.body), { status: 200, headers: { "content-type": cut.contentType } });
      };
      const d2: PacsImportDeps = {
        prisma: db2.prisma,
        secretKey: KEY,
        store: new FileStore(path.join(root, "storage")),
        stagingDir: path.join(root, "staging"),
        fetch: corruptingFetch,
      };
      await savePacsSource(
        d2,
        {
          name: "Orthanc",
          baseUrl: orthanc.dicomWebUrl,
          authKind: "basic",
          username: orthanc.username,
          secret: orthanc.password,
        },
        user,
      );
      const v = await createOrResumePacsImport(d2, { studyUids, user });
      const failed = await runPacsImport(d2, v.id, user);
      expect(failed.status).toBe("failed");
      expect(failed.error?.code).toBe("PACS_BAD_RESPONSE");
      expect(failed.error?.message).toMatch(
        new RegExp(`instance ${victim.replace(/\./g, "\\.")} from the PACS is corrupt .*nothing was imported`),
      );
      expect(await db2.prisma.series.count()).toBe(0);
      expect(await db2.prisma.patient.count()).toBe(0);
      corrupt = false;
      const done = await runPacsImport(d2, v.id, user);
      expect(done.status).toBe("succeeded");
      expect(done.imported).toBe(130);
    } finally {
      await db2.close();
    }
  });

  it("a study the PACS does not hold fails clearly", async () => {
    const v = await createOrResumePacsImport(deps, { studyUids: ["1.2.3.4.5.6.7"], user });
    const r = await runPacsImport(deps, v.id, user);
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("PACS_NOT_FOUND");
  });
});
