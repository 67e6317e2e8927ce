import { NacError } from "../errors";
import { formatBytes, tooLarge } from "./limits";
import { concatBytes } from "../bytes/concat";

/**
 * A raw request body read with its size counted as it arrives: refused (413) when Content-Length or the bytes
 * received pass `maxBytes`, so a request can never make the server hold more than that.
 */
export async function readBodyBounded(req: Request, maxBytes: number, what = "request body"): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge(`${what} of ${formatBytes(declared)} is too large`, maxBytes);
  if (!req.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`${what} is too large`, maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  return concatBytes(chunks, total);
}

export function requireContentType(req: Request, allowed: RegExp, what: string): void {
  const type = req.headers.get("content-type") ?? "";
  if (!allowed.test(type))
    throw new NacError("UNSUPPORTED_MEDIA", `send ${what} (Content-Type was ${JSON.stringify(type || "none")})`);
}
