import type { NextRequest } from "next/server";
import { concatBytes } from "@/lib/bytes/concat";
import { NacError } from "@/lib/errors";

/** The raw request body, refused with 413 as soon as it passes `limit` bytes (counted while streaming, not after). */
export async function readBodyLimited(req: NextRequest, limit: number, what: string): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit)
    throw new NacError("PAYLOAD_TOO_LARGE", `${what} over ${Math.round(limit / 1e6)} MB`);
  if (!req.body) throw new NacError("BAD_REQUEST", `send the ${what} as the request body`);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new NacError("PAYLOAD_TOO_LARGE", `${what} over ${Math.round(limit / 1e6)} MB`);
    }
    chunks.push(value);
  }
  if (!size) throw new NacError("BAD_REQUEST", `the ${what} is empty`);
  return concatBytes(chunks, size);
}
