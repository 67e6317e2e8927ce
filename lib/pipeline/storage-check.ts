import { createReadStream, promises as fs } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import type { PrismaClient } from "../../generated/prisma/client";
import type { FileStore } from "../storage/file-store";
import { readLeases } from "../storage/write-lease";
import { sweepUploadDirs } from "../upload/upload-dir";

/**
 * Storage consistency: every row that names a stored file has it, with the recorded sha256; every
 * file that no row names is an orphan (a failed transaction or a kill -9 between writing the file and committing its
 * row). Orphans are removed by `repair` only under the prefixes whose tables are listed here, so a file of a table this
 * check does not know about is reported, never deleted; files held by a running writer's lease are left alone.
 *
 * A table that stores files registers here (prefix + how to list its keys and hashes).
 */
interface StoredFileSource {
  table: string;
  /** Key prefix (first path segment) this table's files live under. */
  prefix: string;
  rows(prisma: PrismaClient): Promise<{ key: string; sha256: string }[]>;
  /**
   * Whether unreferenced files under the prefix may be removed: only for writers that hold a write lease until their
   * rows commit (imports, ROI saves). Others' orphans are reported, never removed.
   */
  removeOrphans: boolean;
}

export const STORED_FILE_SOURCES: StoredFileSource[] = [
  {
    table: "dicom_instances",
    prefix: "dicom",
    rows: async (p) =>
      (await p.dicomInstance.findMany({ select: { storageKey: true, sha256: true } })).map((r) => ({
        key: r.storageKey,
        sha256: r.sha256,
      })),
    removeOrphans: true,
  },
  {
    table: "rois",
    prefix: "rois",
    rows: async (p) =>
      (await p.roi.findMany({ select: { maskStorageKey: true, maskSha256: true } })).map((r) => ({
        key: r.maskStorageKey,
        sha256: r.maskSha256,
      })),
    removeOrphans: true,
  },
  {
    table: "model_bundles",
    prefix: "bundles",
    rows: async (p) =>
      (await p.modelBundle.findMany({ select: { storageKey: true, sha256: true } })).map((r) => ({
        key: r.storageKey,
        sha256: r.sha256,
      })),
    removeOrphans: false,
  },
  {
    table: "experiments",
    prefix: "experiments",
    rows: async (p) =>
      (await p.experiment.findMany({ select: { tableStorageKey: true, tableSha256: true } })).map((r) => ({
        key: r.tableStorageKey,
        sha256: r.tableSha256,
      })),
    removeOrphans: false,
  },
];

export interface StorageCheckReport {
  rows: number;
  files: number;
  /** Rows whose file is missing. */
  missing: { table: string; key: string }[];
  /** Rows whose file's sha256 differs from the recorded one (only with `hashes`). */
  corrupt: { table: string; key: string }[];
  /** Files no row names, under a known prefix (removed with `repair`). */
  orphans: string[];
  /** Files no row names whose writers hold no lease (bundles, experiment tables), or under a prefix no registered
   *  table owns: listed, never removed. */
  unknown: string[];
  /** Unreferenced files kept because a running writer holds them. */
  leased: string[];
  removed: number;
}

export interface StorageCheckOptions {
  /** Verify every file's sha256 (reads every byte: minutes on a large store). Off for the start-up check. */
  hashes?: boolean;
  /** Remove orphans (and stale write leases). */
  repair?: boolean;
}

export async function checkStorage(
  deps: { prisma: PrismaClient; store: FileStore },
  opts: StorageCheckOptions = {},
): Promise<StorageCheckReport> {
  const { prisma, store } = deps;
  // Leases first, then rows, then files: a writer that starts after this line writes keys its lease protects or
  // that its committed rows name; one that finished before is seen in the rows.
  const leases = await readLeases(store);
  const referenced = new Map<string, { table: string; sha256: string }>();
  for (const src of STORED_FILE_SOURCES)
    for (const r of await src.rows(prisma)) referenced.set(r.key, { table: src.table, sha256: r.sha256 });
  const files = await listStoredFiles(store.root);
  const fileSet = new Set(files);

  const report: StorageCheckReport = {
    rows: referenced.size,
    files: files.length,
    missing: [],
    corrupt: [],
    orphans: [],
    unknown: [],
    leased: [],
    removed: 0,
  };
  for (const [key, r] of referenced) {
    if (!fileSet.has(key)) report.missing.push({ table: r.table, key });
    else if (opts.hashes && (await fileSha256(path.join(store.root, key))) !== r.sha256)
      report.corrupt.push({ table: r.table, key });
  }
  const known = new Set(STORED_FILE_SOURCES.filter((s) => s.removeOrphans).map((s) => s.prefix));
  for (const f of files) {
    if (referenced.has(f)) continue;
    if (leases.liveKeys.has(f)) report.leased.push(f);
    else if (known.has(f.split("/")[0])) report.orphans.push(f);
    else report.unknown.push(f);
  }
  if (opts.repair) {
    for (const f of report.orphans) {
      await fs.rm(path.join(store.root, f), { force: true });
      report.removed++;
    }
    await Promise.all(leases.staleLeaseFiles.map((l) => fs.rm(l, { force: true })));
  }
  return report;
}

/** Every stored file's key: dot-files and dot-folders (temp files, leases) are the store's own, not objects. */
async function listStoredFiles(root: string, dir = ""): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listStoredFiles(root, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

async function fileSha256(file: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest("hex");
}

export function summarizeStorageCheck(r: StorageCheckReport): string {
  return [
    `${r.rows} stored objects, ${r.files} files`,
    `${r.missing.length} missing`,
    `${r.corrupt.length} corrupt`,
    `${r.orphans.length} orphaned${r.removed ? ` (${r.removed} removed)` : ""}`,
    ...(r.unknown.length ? [`${r.unknown.length} under unknown prefixes (kept)`] : []),
    ...(r.leased.length ? [`${r.leased.length} being written`] : []),
  ].join(", ");
}

/**
 * The cheap part, run by `npm start` before the server listens: temp files and upload folders of interrupted writes
 * are removed, orphans (files written by a process killed before its rows committed) are removed, and missing files
 * are reported (no hashing: `npm run nac -- storage check` does that).
 */
export async function startupStorageCheck(
  deps: { prisma: PrismaClient; store: FileStore },
  dataDir: string,
): Promise<{ report: StorageCheckReport; temp: number; uploads: number }> {
  const temp = await deps.store.sweepTemp();
  const uploads = await sweepUploadDirs(dataDir);
  const report = await checkStorage(deps, { hashes: false, repair: true });
  return { report, temp, uploads };
}
