/**
 * DICOM RLE Lossless (PS3.5 Annex G) frame decoder. A frame has a 64-byte header (segment count + 15 offsets) and one
 * PackBits segment per byte plane: for each sample, most significant byte first. Returns the frame as interleaved
 * samples in little-endian byte order (bytesPerSample bytes each), i.e. ready to view as a typed array.
 */
import { NacError } from "../../../errors/nac-error";

export function decodeRleFrame(
  frame: Uint8Array,
  rows: number,
  columns: number,
  samplesPerPixel: number,
  bitsAllocated: number,
): Uint8Array {
  const bytesPerSample = bitsAllocated / 8;
  if (!Number.isInteger(bytesPerSample))
    throw new NacError("DICOM_UNSUPPORTED", `RLE with ${bitsAllocated} bits allocated is not supported`);
  const pixels = rows * columns;
  const nSeg = samplesPerPixel * bytesPerSample;
  if (frame.length < 64) throw new NacError("DICOM_MALFORMED", "RLE frame is shorter than its 64-byte header");
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const count = dv.getUint32(0, true);
  if (count !== nSeg) throw new NacError("DICOM_MALFORMED", `RLE frame has ${count} segments, expected ${nSeg}`);
  const offsets: number[] = [];
  for (let s = 0; s < count; s++) offsets.push(dv.getUint32(4 + 4 * s, true));
  const out = new Uint8Array(pixels * nSeg);
  for (let s = 0; s < count; s++) {
    const start = offsets[s];
    const end = s + 1 < count ? offsets[s + 1] : frame.length;
    if (start < 64 || end > frame.length || end < start)
      throw new NacError("DICOM_MALFORMED", `RLE segment ${s + 1} has an invalid offset`);
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample); // segment order is MSB first; output is LE
    const stride = nSeg;
    let o = sample * bytesPerSample + byteInSample;
    let n = 0; // pixels written
    let p = start;
    while (n < pixels && p < end) {
      const h = frame[p++];
      if (h < 128) {
        const len = h + 1;
        if (p + len > end)
          throw new NacError("DICOM_MALFORMED", `RLE segment ${s + 1} literal run overruns the segment`);
        for (let k = 0; k < len && n < pixels; k++, n++, o += stride) out[o] = frame[p + k];
        p += len;
      } else if (h > 128) {
        const len = 257 - h;
        if (p >= end) throw new NacError("DICOM_MALFORMED", `RLE segment ${s + 1} replicate run overruns the segment`);
        const v = frame[p++];
        for (let k = 0; k < len && n < pixels; k++, n++, o += stride) out[o] = v;
      }
      // h === 128: no-op
    }
    if (n < pixels) throw new NacError("DICOM_MALFORMED", `RLE segment ${s + 1} decodes to ${n} of ${pixels} pixels`);
  }
  return out;
}

/** RLE-encode one frame given as interleaved little-endian samples (the inverse of decodeRleFrame). */
export function encodeRleFrame(
  data: Uint8Array,
  rows: number,
  columns: number,
  samplesPerPixel: number,
  bitsAllocated: number,
): Uint8Array {
  const bytesPerSample = bitsAllocated / 8;
  const pixels = rows * columns;
  const nSeg = samplesPerPixel * bytesPerSample;
  if (nSeg > 15) throw new NacError("DICOM_UNSUPPORTED", "RLE supports at most 15 segments");
  const segments: Uint8Array[] = [];
  const plane = new Uint8Array(pixels);
  for (let s = 0; s < nSeg; s++) {
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    for (let i = 0; i < pixels; i++) plane[i] = data[i * nSeg + sample * bytesPerSample + byteInSample];
    segments.push(packBits(plane));
  }
  const total = 64 + segments.reduce((a, s) => a + s.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, nSeg, true);
  let off = 64;
  segments.forEach((seg, s) => {
    dv.setUint32(4 + 4 * s, off, true);
    out.set(seg, off);
    off += seg.length;
  });
  return out;
}

function packBits(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < src.length) {
    let run = 1;
    while (i + run < src.length && run < 128 && src[i + run] === src[i]) run++;
    if (run >= 2) {
      out.push(257 - run, src[i]);
      i += run;
      continue;
    }
    const start = i;
    let lit = 0;
    while (i < src.length && lit < 128 && !(i + 1 < src.length && src[i + 1] === src[i])) {
      i++;
      lit++;
    }
    if (lit === 0) {
      i++;
      lit = 1;
    }
    out.push(lit - 1);
    for (let k = start; k < start + lit; k++) out.push(src[k]);
  }
  if (out.length % 2) out.push(128); // segments are even-length; 128 is a no-op header
  return Uint8Array.from(out);
}
