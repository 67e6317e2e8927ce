import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { NacError } from "../errors";

/**
 * Image and mask bytes live here, not in the database. Keys are relative POSIX paths chosen by the caller from row ids
 * ("dicom/<aa>/<instance id>.dcm"), never from UIDs or names: two different UIDs must never share a file.
 * Every write is atomic: bytes go to a temp file in the same directory, are fsynced, then renamed over the key,
 * so a crash mid-write leaves either the old file or nothing visible, never a half-written one.
 * Callers write the file first and insert the database row after, so a row never points at a missing file;
 * a crash between the two leaves an unreferenced file, which `sweepTemp`/garbage collection can remove.
 */
export class FileStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  resolveKey(key: string): string {
    if (!/^[A-Za-z0-9._\-/]+$/.test(key) || key.split("/").some((s) => s === "" || s === "." || s === "..")) {
      throw new NacError("BAD_REQUEST", `invalid storage key: ${JSON.stringify(key)}`);
    }
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Uint8Array): Promise<{ key: string; sha256: string; size: number }> {
    return this.write(key, bytes, true);
  }

  /**
   * Like put, but never replaces an existing file (hard-link, which fails atomically when the key exists): a key that
   * is somehow reused is an error, not a silent overwrite of another object's bytes.
   */
  async putNew(key: string, bytes: Uint8Array): Promise<{ key: string; sha256: string; size: number }> {
    return this.write(key, bytes, false);
  }

  private async write(
    key: string,
    bytes: Uint8Array,
    overwrite: boolean,
  ): Promise<{ key: string; sha256: string; size: number }> {
    const target = this.resolveKey(key);
    const dir = path.dirname(target);
    const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      await fs.mkdir(dir, { recursive: true });
      const fh = await fs.open(tmp, "wx", 0o640);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (overwrite) await fs.rename(tmp, target);
      else {
        await fs.link(tmp, target);
        await fs.rm(tmp, { force: true });
      }
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw new NacError("STORAGE_FAILED", `could not store ${key}: ${(e as Error).message}`, undefined, { cause: e });
    }
    return { key, sha256: sha256Hex(bytes), size: bytes.byteLength };
  }

  /**
   * The bytes at `key`. With `expectedSha256` (the hash recorded when the file was stored) the bytes are verified and a
   * mismatch is STORAGE_CORRUPT: a replaced or damaged file is never served as if it were the recorded object.
   */
  async get(key: string, expectedSha256?: string): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await fs.readFile(this.resolveKey(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT")
        throw new NacError("NOT_FOUND", `stored file ${key} not found`);
      throw new NacError("STORAGE_FAILED", `could not read ${key}: ${(e as Error).message}`, undefined, { cause: e });
    }
    if (expectedSha256 !== undefined && sha256Hex(bytes) !== expectedSha256) {
      throw new NacError(
        "STORAGE_CORRUPT",
        `stored file ${key} does not match its recorded sha256: it was changed or damaged on disk (run \`npm run nac -- storage check\`)`,
      );
    }
    return bytes;
  }

  /** Removes a stored file (no error when it is already gone). */
  async remove(key: string): Promise<void> {
    await fs.rm(this.resolveKey(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    return fs.access(this.resolveKey(key)).then(
      () => true,
      () => false,
    );
  }

  async list(prefix: string): Promise<string[]> {
    const dir = this.resolveKey(prefix);
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith("."))
      .map((e) => `${prefix}/${e.name}`)
      .sort();
  }

  /** Removes temp files left by writes that were interrupted (run at start-up). Returns how many were removed. */
  async sweepTemp(): Promise<number> {
    let removed = 0;
    const walk = async (dir: string): Promise<void> => {
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.name.startsWith(".") && e.name.endsWith(".tmp")) {
          await fs.rm(p, { force: true });
          removed++;
        }
      }
    };
    await walk(this.root);
    return removed;
  }
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
