import yauzl from "yauzl";
import { NacError } from "../errors";
import { tooLarge, type UploadLimits } from "./limits";

/**
 * Entries of a zip file on disk, read with yauzl (central directory first, then each entry inflated as a stream).
 * Limits are checked on the declared sizes before inflating anything, and again on the bytes as they inflate (yauzl
 * also refuses an entry that inflates past its declared size), so a zip bomb costs neither memory nor time.
 * Hidden files (name starting with ".") and macOS resource forks (__MACOSX/) are not imported but reported.
 */
export interface ZipEntryFile {
  name: string;
  bytes: Uint8Array;
}

export interface ZipSkipped {
  name: string;
  reason: string;
}

/** Running totals across all zips and files of one request. */
export interface UploadBudget {
  files: number;
  inflatedBytes: number;
}

export async function readZipEntries(
  zipPath: string,
  displayName: string,
  limits: UploadLimits,
  budget: UploadBudget,
): Promise<{ entries: ZipEntryFile[]; skipped: ZipSkipped[] }> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(
      zipPath,
      { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false },
      (err, z) => (err ? reject(notAZip(err)) : resolve(z)),
    ),
  );
  const entries: ZipEntryFile[] = [];
  const skipped: ZipSkipped[] = [];
  try {
    // The central directory's declared sizes: refuse a bomb before inflating a byte of it.
    if (zip.entryCount + budget.files > limits.maxFiles)
      throw tooLarge(`${displayName} holds ${zip.entryCount} entries`, `${limits.maxFiles} files per upload`);
    await new Promise<void>((resolve, reject) => {
      zip.on("error", (e: Error) => reject(notAZip(e)));
      zip.on("end", () => resolve());
      zip.on("entry", (entry: yauzl.Entry) => {
        handle(entry).then(
          () => zip.readEntry(),
          (e: Error) => {
            zip.close();
            reject(e);
          },
        );
      });
      zip.readEntry();
    });
  } finally {
    if (zip.isOpen) zip.close();
  }
  return { entries, skipped };

  async function handle(entry: yauzl.Entry): Promise<void> {
    const name = entry.fileName;
    if (name.endsWith("/")) return;
    const base = name.split("/").pop() ?? name;
    if (name.startsWith("__MACOSX/"))
      return void skipped.push({ name, reason: "macOS resource fork (__MACOSX), not an image" });
    if (base.startsWith("."))
      return void skipped.push({ name, reason: "hidden file (name starts with '.'), not imported" });
    const size = entry.uncompressedSize;
    if (size > limits.maxFileBytes)
      throw tooLarge(`${displayName}: entry ${name} inflates to ${size} bytes`, limits.maxFileBytes);
    if (size > 1024 * 1024 && size > limits.maxRatio * Math.max(1, entry.compressedSize)) {
      throw tooLarge(
        `${displayName}: entry ${name} is compressed ${Math.round(size / Math.max(1, entry.compressedSize))}:1`,
        `ratio ${limits.maxRatio}:1`,
      );
    }
    if (budget.inflatedBytes + size > limits.maxInflatedBytes)
      throw tooLarge(`${displayName}: the unpacked files are too large`, limits.maxInflatedBytes);
    if (entry.isEncrypted()) return void skipped.push({ name, reason: "encrypted zip entry: unpack it first" });
    budget.files++;
    const bytes = await readEntry(entry);
    budget.inflatedBytes += bytes.length;
    entries.push({ name, bytes });
  }

  async function readEntry(entry: yauzl.Entry): Promise<Uint8Array> {
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      zip.openReadStream(entry, (err, s) => (err ? reject(notAZip(err)) : resolve(s))),
    );
    // Preallocated from the declared size; yauzl errors if the data inflates to more or less than declared.
    const out = new Uint8Array(entry.uncompressedSize);
    let o = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (o + chunk.length > out.length)
          throw tooLarge(`${displayName}: entry ${entry.fileName} inflates past its declared size`, out.length);
        out.set(chunk, o);
        o += chunk.length;
      }
    } catch (e) {
      if (e instanceof NacError) throw e;
      // yauzl's check of the inflated bytes against the declared size: a bomb that lies about its size
      if (/too many bytes in the stream/.test((e as Error).message))
        throw tooLarge(`${displayName}: entry ${entry.fileName} inflates past its declared size`, out.length);
      throw notAZip(e as Error);
    }
    return out;
  }
}

function notAZip(e: Error): NacError {
  return new NacError("UNSUPPORTED_MEDIA", `not a readable zip archive: ${e.message}`);
}
