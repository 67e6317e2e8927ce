import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/database";
import { openTestDatabase, testBackend } from "../db/test-database";
import { syntheticSlice } from "../imaging/series/synthetic-slice.testutil";
import { FileStore } from "../storage/file-store";
import { importDicomFiles } from "./import-dicom";
import { checkStorage, startupStorageCheck } from "./storage-check";

/**
 * Issue 15 item 7: a process killed (SIGKILL) between writing an import's files and committing its rows leaves
 * complete .dcm files no row names; the next start removes them, keeps every referenced file, and `storage check`
 * reports missing and corrupt files.
 */
describe(`storage check and the kill -9 orphan (${testBackend()})`, () => {
  let db: Database & { url?: string };
  let store: FileStore;
  let dataDir: string;
  beforeAll(async () => {
    db = await openTestDatabase();
    dataDir = mkdtempSync(path.join(os.tmpdir(), "nac-storage-check-"));
    store = new FileStore(path.join(dataDir, "storage"));
    const files = [0, 1].map((z) => ({
      name: `k${z}.dcm`,
      bytes: syntheticSlice({
        seriesUid: "1.2.826.0.1.3680043.10.7.1",
        z,
        value: 3,
        extra: { PatientID: "KEEP-1", StudyInstanceUID: "1.2.826.0.1.3680043.10.7.2" },
      }),
    }));
    expect((await importDicomFiles({ prisma: db.prisma, store }, files)).counts.imported).toBe(2);
  });
  afterAll(async () => db?.close());

  it("kill -9 while an import is between its file writes and its commit: the next start leaves no orphan", async () => {
    // The child imports 5 slices with a file store that stops (forever) after its 3rd write: the files are on disk, the
    // transaction never started. On PostgreSQL it uses the same database as this test; on PGlite its own (in-memory).
    const files = Array.from({ length: 5 }, (_, z) =>
      Buffer.from(
        syntheticSlice({
          seriesUid: "1.2.826.0.1.3680043.10.7.11",
          z,
          value: 9,
          extra: { PatientID: "KILLED-1", StudyInstanceUID: "1.2.826.0.1.3680043.10.7.12" },
        }),
      ).toString("base64"),
    );
    const input = path.join(dataDir, "child-input.json");
    writeFileSync(input, JSON.stringify(files));
    const lib = path.resolve("lib");
    const script = `
      import { readFileSync } from "node:fs";
      import { openDatabase, openMemoryDatabase } from ${JSON.stringify(`${lib}/db/database.ts`)};
      import { FileStore } from ${JSON.stringify(`${lib}/storage/file-store.ts`)};
      import { importDicomFiles } from ${JSON.stringify(`${lib}/pipeline/import-dicom.ts`)};
      class StallingStore extends FileStore {
        n = 0;
        async putNew(key, bytes) {
          const r = await super.putNew(key, bytes);
          if (++this.n === 3) { process.stdout.write("written\\n"); await new Promise(() => {}); }
          return r;
        }
      }
      const url = ${JSON.stringify(db.url ?? "")};
      const db = url ? await openDatabase({ databaseUrl: url, embeddedDbDir: "" }) : await openMemoryDatabase();
      const files = JSON.parse(readFileSync(${JSON.stringify(input)}, "utf8")).map((b, i) => ({ name: "s" + i, bytes: new Uint8Array(Buffer.from(b, "base64")) }));
      await importDicomFiles({ prisma: db.prisma, store: new StallingStore(${JSON.stringify(store.root)}) }, files);
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("child never wrote its files")), 90_000);
      child.stdout.on("data", (d: Buffer) => d.toString().includes("written") && (clearTimeout(t), resolve()));
      child.once("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const before = await checkStorage({ prisma: db.prisma, store });
    expect(before.orphans.length).toBeGreaterThanOrEqual(3); // complete .dcm files of patient KILLED-1, no row names them
    expect(readdirSync(path.join(store.root, ".leases")).length).toBe(1);

    const { report } = await startupStorageCheck({ prisma: db.prisma, store }, dataDir);
    expect(report.removed).toBe(before.orphans.length);
    const after = await checkStorage({ prisma: db.prisma, store }, { hashes: true });
    expect(after).toMatchObject({ orphans: [], missing: [], corrupt: [], leased: [] });
    expect(after.files).toBe(2); // patient KEEP-1's files are untouched
    expect(readdirSync(path.join(store.root, ".leases"))).toEqual([]);
  }, 120_000);

  it("a running writer's files are not orphans; missing and corrupt files are reported, unknown prefixes kept", async () => {
    const { openWriteLease } = await import("../storage/write-lease");
    const lease = await openWriteLease(store, ["dicom/ab/in-flight.dcm"]);
    await store.putNew("dicom/ab/in-flight.dcm", new Uint8Array([1]));
    await store.put("exports/someone-elses.bin", new Uint8Array([2]));
    const inst = await db.prisma.dicomInstance.findFirstOrThrow();
    const other = await db.prisma.dicomInstance.findFirstOrThrow({ where: { id: { not: inst.id } } });
    await writeFile(store.resolveKey(inst.storageKey), new Uint8Array([0, 1, 2]));
    const good = await store.get(other.storageKey);
    await store.remove(other.storageKey);

    const r = await checkStorage({ prisma: db.prisma, store }, { hashes: true, repair: true });
    expect(r.leased).toEqual(["dicom/ab/in-flight.dcm"]);
    expect(r.unknown).toEqual(["exports/someone-elses.bin"]);
    expect(r.orphans).toEqual([]);
    expect(r.corrupt).toEqual([{ table: "dicom_instances", key: inst.storageKey }]);
    expect(r.missing).toEqual([{ table: "dicom_instances", key: other.storageKey }]);
    expect(await store.exists("dicom/ab/in-flight.dcm")).toBe(true);
    expect(await store.exists("exports/someone-elses.bin")).toBe(true);

    await lease.release(); // the writer failed and did not clean up: now an orphan
    expect((await checkStorage({ prisma: db.prisma, store }, { repair: true })).removed).toBe(1);
    await store.putNew(other.storageKey, good);
  });
});
