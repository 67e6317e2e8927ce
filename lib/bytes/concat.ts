/** Joins byte chunks into one new array (always a copy: callers may reuse their chunks' buffers). */
export function concatBytes(
  chunks: readonly Uint8Array[],
  total = chunks.reduce((a, c) => a + c.byteLength, 0),
): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}
