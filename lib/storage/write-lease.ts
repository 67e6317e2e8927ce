import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FileStore } from "./file-store";

/**
 * Write leases: files are stored before the rows that name them are committed, so for a moment every stored file is
 * unreferenced. A writer first records the keys it is about to write in a lease file (`<root>/.leases/`), and removes
 * the lease once the rows are committed (or the files removed). The orphan sweep never touches a key held by a live
 * lease; a lease whose process is gone (same host, pid no longer running: a kill -9) or that is older than a day (a
 * writer on another host sharing the storage) is stale, and its files become ordinary orphans.
 */
const LEASE_DIR = ".leases";
const STALE_AFTER_MS = 24 * 3600 * 1000;

interface LeaseFile {
  host: string;
  pid: number;
  startedAt: string;
  keys: string[];
}

export interface WriteLease {
  release(): Promise<void>;
}

export async function openWriteLease(store: FileStore, keys: string[]): Promise<WriteLease> {
  const dir = path.join(store.root, LEASE_DIR);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${os.hostname()}-${process.pid}-${randomBytes(6).toString("hex")}.json`);
  const body: LeaseFile = { host: os.hostname(), pid: process.pid, startedAt: new Date().toISOString(), keys };
  // The lease must be on disk before any of its files is: fsync'd like the files it protects.
  const fh = await fs.open(file, "wx", 0o640);
  try {
    await fh.writeFile(JSON.stringify(body));
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { release: () => fs.rm(file, { force: true }) };
}

export interface LeaseState {
  /** Keys protected by leases of running writers. */
  liveKeys: Set<string>;
  /** Lease files of writers that are gone; remove them once their files were dealt with. */
  staleLeaseFiles: string[];
}

export async function readLeases(store: FileStore, now = Date.now()): Promise<LeaseState> {
  const dir = path.join(store.root, LEASE_DIR);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const liveKeys = new Set<string>();
  const staleLeaseFiles: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let lease: LeaseFile | null = null;
    try {
      lease = JSON.parse(await fs.readFile(file, "utf8")) as LeaseFile;
    } catch {
      lease = null; // torn by a crash while it was written: its writer had not stored anything yet
    }
    if (!lease || isStale(lease, now)) staleLeaseFiles.push(file);
    else for (const k of lease.keys) liveKeys.add(k);
  }
  return { liveKeys, staleLeaseFiles };
}

function isStale(lease: LeaseFile, now: number): boolean {
  if (now - Date.parse(lease.startedAt) > STALE_AFTER_MS) return true;
  if (lease.host !== os.hostname()) return false;
  if (lease.pid === process.pid) return false;
  try {
    process.kill(lease.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}
