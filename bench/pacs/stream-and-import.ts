/**
 * PACS benchmarks against a real Orthanc (Debian, DICOMweb plugin; started here on a loopback port and
 * stopped after), one synthetic patient (CE-T1 56 + T2 34 + CT 40 images, 256x256, 16-bit):
 *
 * 1. Import throughput, in process (embedded PGlite in memory, storage in a temp dir): the PACS import (QIDO-RS
 *    listing, WADO-RS instance fetches into staging, checks, then the import pipeline) in images per second, against
 *    the peer in the same run: importing the same 130 files from memory with importDicomFiles (a drop on the worklist
 *    without the upload).
 * 2. Time to the first image in all three panes, in headless Debian chromium, against a running NACpredict (BASE,
 *    default http://localhost:3207, demo accounts): the patient's studies streamed from Orthanc through the proxy
 *    (/pacs/view) vs the same patient from local storage after import (/patients/:id). First load (cold browser cache)
 *    and the median of RUNS reloads. Skipped when BASE does not answer (the import part still runs).
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { panesShowPixels } from "../../e2e/pixels";
import { openMemoryDatabase } from "../../lib/db/database";
import { importDicomFiles } from "../../lib/pipeline/import-dicom";
import { createOrResumePacsImport, runPacsImport } from "../../lib/pipeline/pacs/import";
import { savePacsSource } from "../../lib/pipeline/pacs/sources";
import { seedDemoPacs } from "../../lib/pacs/testdata/demo-pacs";
import { startOrthanc, type OrthancServer } from "../../lib/pacs/testdata/orthanc";
import { FileStore } from "../../lib/storage/file-store";
import type { GeneratedPatient } from "../../lib/synth/generate-patient";

const BASE = process.env.BASE ?? "http://localhost:3207";
const RUNS = Number(process.env.RUNS ?? 5);
const IMPORT_RUNS = Number(process.env.IMPORT_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const user = { id: null, username: "bench" };

async function importThroughput(orthanc: OrthancServer, patient: GeneratedPatient, studyUids: string[]) {
  const pacs: number[] = [];
  const local: number[] = [];
  const files = patient.series.flatMap((s) => s.files.map((bytes, i) => ({ name: `${s.role}-${i}.dcm`, bytes })));
  for (let r = 0; r < IMPORT_RUNS; r++) {
    for (const mode of ["pacs", "local"] as const) {
      const db = await openMemoryDatabase();
      const root = mkdtempSync(path.join(os.tmpdir(), "pacs-bench-"));
      const deps = {
        prisma: db.prisma,
        secretKey: Buffer.alloc(32, 1),
        store: new FileStore(path.join(root, "storage")),
        stagingDir: path.join(root, "staging"),
        concurrency: 4,
      };
      const t0 = performance.now();
      if (mode === "pacs") {
        await savePacsSource(
          deps,
          {
            name: "Orthanc",
            baseUrl: orthanc.dicomWebUrl,
            authKind: "basic",
            username: orthanc.username,
            secret: orthanc.password,
          },
          user,
        );
        const v = await createOrResumePacsImport(deps, { studyUids, user });
        const done = await runPacsImport(deps, v.id, user);
        if (done.status !== "succeeded" || done.imported !== files.length)
          throw new Error(`PACS import: ${done.status} ${done.error?.message ?? ""}`);
        pacs.push(performance.now() - t0);
      } else {
        const rep = await importDicomFiles({ prisma: db.prisma, store: deps.store }, files, {});
        if (rep.counts.imported !== files.length) throw new Error("local import incomplete");
        local.push(performance.now() - t0);
      }
      await db.close();
    }
  }
  const ips = (ms: number) => Math.round((files.length / (ms / 1000)) * 10) / 10;
  return {
    images: files.length,
    pacsImportMs: pacs.map(Math.round),
    pacsImagesPerSecondMedian: ips(median(pacs)),
    localImportMs: local.map(Math.round),
    localImagesPerSecondMedian: ips(median(local)),
  };
}

async function signIn(page: Page, user: string, password: string) {
  await page.goto(`${BASE}/signin`);
  await page.getByLabel("Username").fill(user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/worklist/);
}

async function timeFirstImages(page: Page, url: string) {
  const times: number[] = [];
  for (let r = 0; r < RUNS + 1; r++) {
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(panesShowPixels, 3, { timeout: 90_000, polling: 50 });
    times.push(Date.now() - t0);
  }
  const [cold, ...warm] = times;
  return { coldMs: cold, warmMedianMs: median(warm), warmMs: warm };
}

async function firstImage(orthanc: OrthancServer, patient: GeneratedPatient, studyUids: string[]) {
  try {
    await fetch(`${BASE}/api/health`);
  } catch {
    return { skipped: `no NACpredict at ${BASE}` };
  }
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const admin = await browser.newPage();
    await signIn(admin, "admin", "admin-demo");
    const saved = await admin.request.post(`${BASE}/api/pacs/sources`, {
      data: {
        name: "Bench Orthanc",
        baseUrl: orthanc.dicomWebUrl,
        authKind: "basic",
        username: orthanc.username,
        secret: orthanc.password,
        timeoutMs: 15000,
        isDefault: true,
      },
    });
    if (!saved.ok()) throw new Error(`configuring the source: ${await saved.text()}`);
    const sourceId = (await saved.json()).source.id as string;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, "radiologist", "radiologist-demo");
    const streamed = await timeFirstImages(
      page,
      `${BASE}/pacs/view?${new URLSearchParams([["source", sourceId], ...studyUids.map((u) => ["study", u])])}`,
    );
    const imp = await page.request.post(`${BASE}/api/pacs/imports`, { data: { sourceId, studyUids } });
    const importId = (await imp.json()).import.id as string;
    let patientId = "";
    for (let i = 0; i < 600 && !patientId; i++) {
      const v = (await (await page.request.get(`${BASE}/api/pacs/imports/${importId}`)).json()).import;
      if (v.status === "failed") throw new Error(v.error.message);
      if (v.status === "succeeded") patientId = v.patientIds[0];
      else await page.waitForTimeout(500);
    }
    const stored = await timeFirstImages(page, `${BASE}/patients/${patientId}`);
    return { patient: patient.patientId, streamedFromOrthanc: streamed, localStorage: stored };
  } finally {
    await browser.close();
  }
}

async function main() {
  const orthanc = await startOrthanc();
  try {
    const patient = await seedDemoPacs(orthanc);
    const found = await (
      await orthanc.rest("/tools/find", {
        method: "POST",
        body: JSON.stringify({ Level: "Study", Query: { PatientID: patient.patientId }, Expand: true }),
      })
    ).json();
    const studyUids = (found as { MainDicomTags: { StudyInstanceUID: string } }[]).map(
      (s) => s.MainDicomTags.StudyInstanceUID,
    );
    const throughput = await importThroughput(orthanc, patient, studyUids);
    const first = await firstImage(orthanc, patient, studyUids);
    console.log(
      JSON.stringify(
        {
          bench: "pacs",
          orthanc: "Debian orthanc 1.10.1 + orthanc-dicomweb 1.7, loopback",
          importThroughput: throughput,
          timeToFirstImage: first,
        },
        null,
        2,
      ),
    );
  } finally {
    await orthanc.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
