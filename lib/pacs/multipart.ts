/**
 * multipart/related bodies as DICOMweb uses them (RFC 2387; PS3.18 §8.6): WADO-RS answers frames and instances in
 * them, STOW-RS takes instances in one. Byte-level, so binary parts are never decoded as text. Browser-safe.
 */
import { NacError } from "../errors";
import { concatBytes } from "../bytes/concat";

export interface MultipartPart {
  headers: Record<string, string>;
  body: Uint8Array;
}

const enc = new TextEncoder();
const dec = new TextDecoder("latin1");

export function boundaryOf(contentType: string): string {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!m)
    throw new NacError(
      "PACS_BAD_RESPONSE",
      `the PACS answered ${contentType || "no content type"} where a multipart/related body with a boundary was expected`,
    );
  return m[1] ?? m[2];
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The parts of a multipart/related body; a body cut short (no closing delimiter) is an error, never a shorter list. */
export function parseMultipart(body: Uint8Array, contentType: string): MultipartPart[] {
  const delimiter = enc.encode(`--${boundaryOf(contentType)}`);
  const parts: MultipartPart[] = [];
  let pos = indexOf(body, delimiter, 0);
  if (pos < 0) throw new NacError("PACS_BAD_RESPONSE", "multipart body without its boundary");
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // "--": closing delimiter
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = indexOf(body, enc.encode("\r\n\r\n"), pos);
    if (headerEnd < 0) throw new NacError("PACS_PARTIAL", "multipart body cut short inside a part's headers");
    const headers: Record<string, string> = {};
    for (const line of dec.decode(body.subarray(pos, headerEnd)).split("\r\n")) {
      const c = line.indexOf(":");
      if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
    }
    const next = indexOf(body, enc.encode(`\r\n--${dec.decode(delimiter).slice(2)}`), headerEnd + 4);
    if (next < 0)
      throw new NacError(
        "PACS_PARTIAL",
        "multipart body cut short: the last part has no closing boundary (connection lost?)",
      );
    parts.push({ headers, body: body.slice(headerEnd + 4, next) });
    pos = next + 2;
  }
}

/** A multipart/related body of Part 10 files for STOW-RS. */
export function buildMultipart(
  parts: { contentType: string; body: Uint8Array }[],
  type: string,
): { body: Uint8Array; contentType: string } {
  const boundary = `nacpredict-${Array.from(globalThis.crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    chunks.push(enc.encode(`--${boundary}\r\nContent-Type: ${p.contentType}\r\n\r\n`), p.body, enc.encode("\r\n"));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  return { body: concatBytes(chunks), contentType: `multipart/related; type="${type}"; boundary=${boundary}` };
}
