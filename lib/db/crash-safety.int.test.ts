import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./database";
import { openTestDatabase, testBackend } from "./test-database";

/**
 * Killing the server during a write leaves no orphan row: a child process stores a file (atomically) and then writes a
 * patient with its study and series inside one transaction; it is SIGKILLed while the transaction is open.
 * Afterwards no row of it exists, and the database opens cleanly (PGlite recovers its on-disk data directory).
 */
const CHILD = `
import { openDatabase } from ${JSON.stringify(path.resolve("lib/db/database.ts"))};
import { FileStore } from ${JSON.stringify(path.resolve("lib/storage/file-store.ts"))};
const cfg = JSON.parse(process.env.CRASH_DB_CONFIG);
const db = await openDatabase(cfg, { migrate: true });
const stored = await new FileStore(process.env.CRASH_STORE).put("series/x/1.dcm", new Uint8Array(1024));
await db.prisma.$transaction(async (tx) => {
  const p = await tx.patient.create({ data: { patientKey: "CRASH-1", displayName: "Crash^Test" } });
  const st = await tx.study.create({ data: { patientId: p.id, studyInstanceUid: "1.2.3.crash" } });
  await tx.series.create({ data: { studyId: st.id, seriesInstanceUid: "1.2.3.crash.1", modality: "MR", role: "CE_T1",
    instanceCount: 1, geometry: {}, storageKey: stored.key } });
  console.log("IN_TRANSACTION");
  await new Promise(() => {}); // never commits: the parent kills us here
}, { timeout: 600000 });
`;

describe(`a write interrupted by a crash leaves no orphan row (${testBackend()})`, () => {
  let db: Database & { url?: string };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "nac-crash-"));
  const config = () =>
    testBackend() === "postgres" ? { databaseUrl: db.url! } : { embeddedDbDir: path.join(dataDir, "db") };

  beforeAll(async () => {
    if (testBackend() === "postgres") db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  it("rolls back the whole transaction of a killed process", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CHILD], {
      env: { ...process.env, CRASH_DB_CONFIG: JSON.stringify(config()), CRASH_STORE: path.join(dataDir, "storage") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`child never reached the transaction: ${err}`)), 90_000);
      child.stdout.on("data", (d: Buffer) => {
        if (d.toString().includes("IN_TRANSACTION")) {
          clearTimeout(t);
          resolve();
        }
      });
      child.once("exit", (code) => reject(new Error(`child exited early (${code}): ${err}`)));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const after = testBackend() === "postgres" ? db : await openDatabase({ embeddedDbDir: path.join(dataDir, "db") });
    try {
      expect(await after.prisma.patient.count({ where: { patientKey: "CRASH-1" } })).toBe(0);
      expect(await after.prisma.study.count()).toBe(0);
      expect(await after.prisma.series.count()).toBe(0);
      // the database is usable after the crash
      await after.prisma.patient.create({ data: { patientKey: "AFTER-1", displayName: "After^Crash" } });
      expect(await after.prisma.patient.count()).toBe(1);
    } finally {
      if (after !== db) await after.close();
    }
  });
});
