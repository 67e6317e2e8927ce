import busboy from "busboy";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { NacError } from "../errors";
import { formatBytes, tooLarge } from "./limits";

/**
 * A multipart/form-data request body streamed to files in `dir` with busboy: nothing is buffered in memory, and the
 * total size, the number of files and each file's size are counted as the bytes arrive; the first limit crossed stops
 * the reading and answers PAYLOAD_TOO_LARGE (413). A declared Content-Length over the limit is refused before reading.
 */
export interface ReceivedFile {
  field: string;
  name: string;
  path: string;
  size: number;
}

export interface ReceiveLimits {
  maxRequestBytes: number;
  maxFileBytes: number;
  maxFiles: number;
}

export async function receiveMultipart(
  req: Request,
  dir: string,
  limits: ReceiveLimits,
): Promise<{ files: ReceivedFile[]; fields: Map<string, string> }> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type))
    throw new NacError("UNSUPPORTED_MEDIA", "send the files as multipart/form-data");
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > limits.maxRequestBytes)
    throw tooLarge(`upload of ${formatBytes(declared)} is too large`, limits.maxRequestBytes);
  if (!req.body) throw new NacError("BAD_REQUEST", "empty request body");

  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: { "content-type": type },
      preservePath: true,
      defParamCharset: "utf8",
      limits: {
        files: limits.maxFiles,
        fileSize: limits.maxFileBytes,
        fields: 50,
        fieldSize: 64 * 1024,
        parts: limits.maxFiles + 50,
      },
    });
  } catch (e) {
    throw new NacError("BAD_REQUEST", `malformed multipart/form-data header: ${(e as Error).message}`);
  }

  const files: ReceivedFile[] = [];
  const fields = new Map<string, string>();
  const writes: Promise<unknown>[] = [];
  let failure: Error | null = null;
  const source = Readable.fromWeb(req.body as unknown as NodeReadableStream<Uint8Array>);
  const fail = (e: Error) => {
    failure ??= e;
    source.destroy();
  };

  bb.on("file", (field, stream, info) => {
    const rec: ReceivedFile = {
      field,
      name: safeName(info.filename, files.length),
      path: path.join(dir, `part-${files.length}`),
      size: 0,
    };
    files.push(rec);
    stream.on("data", (c: Buffer) => (rec.size += c.length));
    stream.on("limit", () => fail(tooLarge(`${rec.name} is too large`, limits.maxFileBytes)));
    writes.push(pipeline(stream, createWriteStream(rec.path, { mode: 0o600 })).catch((e: Error) => fail(e)));
  });
  bb.on("field", (name, value, info) => {
    if (info.valueTruncated) fail(new NacError("BAD_REQUEST", `form field ${name} is too long`));
    else fields.set(name, value);
  });
  bb.on("filesLimit", () => fail(tooLarge("too many files in one upload", `${limits.maxFiles} files`)));
  bb.on("partsLimit", () => fail(tooLarge("too many parts in one upload", `${limits.maxFiles + 50} parts`)));
  bb.on("fieldsLimit", () => fail(new NacError("BAD_REQUEST", "too many form fields")));

  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      total += chunk.length;
      if (total > limits.maxRequestBytes) cb(tooLarge("upload is too large", limits.maxRequestBytes));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(source, counter, bb);
  } catch (e) {
    if (!failure) {
      failure =
        e instanceof NacError
          ? e
          : new NacError("BAD_REQUEST", `malformed multipart/form-data body: ${(e as Error).message}`);
    }
  }
  await Promise.allSettled(writes);
  if (failure) throw failure;
  return { files, fields };
}

/** The client's file name, for reports only (never a path on disk): folders kept, control characters removed. */
function safeName(name: string | undefined, i: number): string {
  const n = (name ?? "").replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 512);
  return n || `file-${i + 1}`;
}
