import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

/**
 * Uploads are streamed into a private folder under `<dataDir>/tmp` (same disk and protection as the stored data: the
 * files hold patient data) and removed when the request ends; start-up removes folders left by a killed server.
 */
export async function withUploadDir<T>(dataDir: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const root = path.join(dataDir, "tmp");
  await fs.mkdir(root, { recursive: true, mode: 0o700 });
  const dir = path.join(root, `upload-${randomBytes(8).toString("hex")}`);
  await fs.mkdir(dir, { mode: 0o700 });
  try {
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Removes upload folders left by a server that was killed mid-request (run at start-up). Returns how many. */
export async function sweepUploadDirs(dataDir: string): Promise<number> {
  const root = path.join(dataDir, "tmp");
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const stale = names.filter((n) => n.startsWith("upload-"));
  await Promise.all(stale.map((n) => fs.rm(path.join(root, n), { recursive: true, force: true })));
  return stale.length;
}
