/**
 * The image size a compressed frame declares in its own header (JPEG SOFn, JPEG-LS SOF55, JPEG 2000 SIZ), read
 * before any decoder runs: a frame whose codestream disagrees with Rows/Columns/Samples per Pixel is refused with a
 * message naming both, instead of handing the decoder a corrupt size (a decoder then reports something obscure,
 * e.g. OpenJPEG's "Invalid number of tiles", or allocates what the corrupt size asks for).
 */
export interface CodestreamGeometry {
  /** Which header the numbers come from, for messages. */
  marker: "SOF" | "SOF55" | "SIZ";
  width: number;
  height: number;
  components: number;
}

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3];

/** JPEG / JPEG-LS: walk the marker segments from SOI to the first frame header. */
function jpegFrameHeader(b: Uint8Array, jpegLs: boolean): CodestreamGeometry | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let o = 2;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) return undefined;
    const marker = b[o + 1];
    if (marker === 0xff) {
      o++; // fill byte
      continue;
    }
    const length = u16(b, o + 2);
    const isSof = jpegLs
      ? marker === 0xf7
      : marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (o + 10 > b.length) return undefined;
      return { marker: jpegLs ? "SOF55" : "SOF", height: u16(b, o + 5), width: u16(b, o + 7), components: b[o + 9] };
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan or end before a frame header
    o += 2 + length;
  }
  return undefined;
}

/** JPEG 2000: the SIZ segment right after SOC, in a raw codestream or inside a JP2 file's contiguous codestream box. */
function j2kSiz(b: Uint8Array): CodestreamGeometry | undefined {
  let o = 0;
  if (b.length >= 12 && u32(b, 0) === 12 && u32(b, 4) === 0x6a502020) {
    // JP2: boxes of (length, type); find "jp2c".
    o = -1;
    for (let p = 0; p + 8 <= b.length;) {
      const len = u32(b, p);
      if (u32(b, p + 4) === 0x6a703263) {
        o = p + 8;
        break;
      }
      if (len < 8) return undefined;
      p += len;
    }
    if (o < 0) return undefined;
  }
  if (o + 4 + 38 > b.length || u16(b, o) !== 0xff4f || u16(b, o + 2) !== 0xff51) return undefined;
  const s = o + 4; // Lsiz
  const xsiz = u32(b, s + 4);
  const ysiz = u32(b, s + 8);
  const xosiz = u32(b, s + 12);
  const yosiz = u32(b, s + 16);
  return { marker: "SIZ", width: xsiz - xosiz, height: ysiz - yosiz, components: u16(b, s + 36) };
}

export function codestreamGeometry(
  encoding: "jpeg" | "jpeg-ls" | "jpeg-2000",
  frame: Uint8Array,
): CodestreamGeometry | undefined {
  if (encoding === "jpeg-2000") return j2kSiz(frame);
  return jpegFrameHeader(frame, encoding === "jpeg-ls");
}
