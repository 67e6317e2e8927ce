/**
 * decodePixelData: Pixel Data of any supported transfer syntax -> stored values, one typed array per frame.
 *
 * Output per frame: rows*columns*samplesPerPixel values, row-major, colour samples interleaved (planar input is
 * re-interleaved), colour left in the stored photometric space (no YBR->RGB). Types: 1-bit -> Uint8Array of 0/1,
 * 8/16/32-bit -> (U)Int8/16/32Array by Pixel Representation, float -> Float32Array/Float64Array.
 * Signed data are sign-extended from BitsStored (codecs hand back unsigned samples; J2K streams may disagree with
 * PixelRepresentation); for unsigned data bits above BitsStored are masked off (they may hold overlays).
 * Rescale slope/intercept is NOT applied here (see the series reader). Truncated or inconsistent data is
 * DICOM_MALFORMED; it is never padded or guessed.
 */
import { NacError } from "../../errors/nac-error";
import type { DicomDataset } from "./dataset";
import { encapsulatedFrames } from "./frames";
import { readPixelInfo, type PixelInfo } from "./pixel-info";
import { codestreamGeometry } from "./codecs/codestream-geometry";
import { decodeJpegDct, decodeJpegLossless } from "./codecs/jpeg";
import { decodeRleFrame } from "./codecs/rle";
import { decodeWithWasm, type CodecFrame } from "./codecs/wasm-codecs";

export type StoredArray =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export interface DecodedPixels {
  info: PixelInfo;
  frames: StoredArray[];
}

function allocate(info: PixelInfo, length: number): StoredArray {
  if (info.kind === "float32") return new Float32Array(length);
  if (info.kind === "float64") return new Float64Array(length);
  const signed = info.pixelRepresentation === 1;
  switch (info.bitsAllocated) {
    case 1:
      return new Uint8Array(length);
    case 8:
      return signed ? new Int8Array(length) : new Uint8Array(length);
    case 16:
      return signed ? new Int16Array(length) : new Uint16Array(length);
    default:
      return signed ? new Int32Array(length) : new Uint32Array(length);
  }
}

/** View little-endian bytes (copied to an aligned buffer, byte-swapped if big endian) as the output type. */
function fromBytes(info: PixelInfo, bytes: Uint8Array, bigEndian: boolean): StoredArray {
  const bps = info.bitsAllocated / 8;
  const copy = bytes.slice();
  if (bigEndian && bps > 1) {
    for (let i = 0; i < copy.length; i += bps) copy.subarray(i, i + bps).reverse();
  }
  const n = copy.length / bps;
  const b = copy.buffer;
  if (info.kind === "float32") return new Float32Array(b, 0, n);
  if (info.kind === "float64") return new Float64Array(b, 0, n);
  const signed = info.pixelRepresentation === 1;
  if (bps === 1) return signed ? new Int8Array(b, 0, n) : copy;
  if (bps === 2) return signed ? new Int16Array(b, 0, n) : new Uint16Array(b, 0, n);
  return signed ? new Int32Array(b, 0, n) : new Uint32Array(b, 0, n);
}

function interleave<T extends StoredArray>(planar: T, pixels: number, samples: number): T {
  const out = new (planar.constructor as new (n: number) => T)(planar.length);
  for (let s = 0; s < samples; s++) for (let p = 0; p < pixels; p++) out[p * samples + s] = planar[s * pixels + p];
  return out;
}

/** Sign-extend (signed) or mask (unsigned) integer samples to BitsStored, in place. */
function normaliseBits(info: PixelInfo, a: StoredArray): void {
  if (info.kind !== "int" || info.bitsAllocated === 1 || info.bitsStored >= info.bitsAllocated) return;
  const bs = info.bitsStored;
  if (info.pixelRepresentation === 1) {
    const shift = 32 - bs;
    for (let i = 0; i < a.length; i++) a[i] = (a[i] << shift) >> shift;
  } else {
    const mask = bs >= 32 ? 0xffffffff : (1 << bs) - 1;
    for (let i = 0; i < a.length; i++) a[i] = (a[i] & mask) >>> 0;
  }
}

function nativeFrames(ds: DicomDataset, info: PixelInfo): StoredArray[] {
  const el = ds.element(info.pixelDataTag)!;
  if (el.encapsulatedPixelData)
    throw new NacError("DICOM_MALFORMED", "Pixel Data is encapsulated but the transfer syntax is uncompressed");
  const bytes = ds.bytes(info.pixelDataTag) ?? new Uint8Array(0);
  const pixels = info.rows * info.columns;
  if (info.bitsAllocated === 1) {
    const needed = Math.ceil((pixels * info.numberOfFrames) / 8);
    if (bytes.length < needed) {
      throw new NacError(
        "DICOM_MALFORMED",
        `Pixel Data has ${bytes.length} bytes, ${needed} needed for ${info.numberOfFrames} frame(s) of ${info.rows}x${info.columns} bits`,
      );
    }
    // Frames are packed back to back with no byte alignment; bit 0 of each byte comes first.
    return Array.from({ length: info.numberOfFrames }, (_, f) => {
      const out = new Uint8Array(pixels);
      const base = f * pixels;
      for (let p = 0; p < pixels; p++) {
        const bit = base + p;
        out[p] = (bytes[bit >> 3] >> (bit & 7)) & 1;
      }
      return out;
    });
  }
  if (isSubsampled422(info, bytes.length)) return expandYbr422Frames(ds, info, bytes);
  const frameBytes = (pixels * info.samplesPerPixel * info.bitsAllocated) / 8;
  const needed = frameBytes * info.numberOfFrames;
  if (bytes.length < needed) {
    throw new NacError(
      "DICOM_MALFORMED",
      `Pixel Data is truncated: ${bytes.length} bytes, ${needed} needed for ${info.numberOfFrames} frame(s) of ${info.rows}x${info.columns}x${info.samplesPerPixel} at ${info.bitsAllocated} bits`,
    );
  }
  const bigEndian = !ds.meta.transferSyntax.littleEndian;
  // In big endian, 8-bit data in an OW element is stored as swapped 16-bit words.
  const swap8 = bigEndian && info.bitsAllocated === 8 && el.vr === "OW";
  return Array.from({ length: info.numberOfFrames }, (_, f) => {
    let src = bytes.subarray(f * frameBytes, (f + 1) * frameBytes);
    if (swap8) {
      src = src.slice();
      for (let i = 0; i + 1 < src.length; i += 2) [src[i], src[i + 1]] = [src[i + 1], src[i]];
    }
    let a = fromBytes(info, src, bigEndian);
    if (info.samplesPerPixel > 1 && info.planarConfiguration === 1) a = interleave(a, pixels, info.samplesPerPixel);
    return a;
  });
}

/**
 * Uncompressed YBR_FULL_422 may be stored chroma-subsampled (PS3.3 C.7.6.3.1.2): each horizontal pair of pixels as
 * Y1 Y2 Cb Cr, i.e. two samples per pixel on disk. Recognised by its size (less than the full three samples per
 * pixel); data of the full size is read as ordinary interleaved samples.
 */
function isSubsampled422(info: PixelInfo, byteLength: number): boolean {
  if (info.photometricInterpretation !== "YBR_FULL_422" || info.samplesPerPixel !== 3) return false;
  const full = (info.rows * info.columns * 3 * info.bitsAllocated * info.numberOfFrames) / 8;
  return byteLength < full;
}

/** Y1 Y2 Cb Cr per pixel pair -> [Y1 Cb Cr] [Y2 Cb Cr], as pydicom does (no chroma interpolation). */
function expandYbr422Frames(ds: DicomDataset, info: PixelInfo, bytes: Uint8Array): StoredArray[] {
  if (info.bitsAllocated !== 8 && info.bitsAllocated !== 16) {
    throw new NacError(
      "DICOM_UNSUPPORTED",
      `subsampled YBR_FULL_422 with ${info.bitsAllocated} bits allocated is not supported`,
    );
  }
  if (info.columns % 2 !== 0)
    throw new NacError(
      "DICOM_MALFORMED",
      `subsampled YBR_FULL_422 needs an even number of columns, not ${info.columns}`,
    );
  if (info.planarConfiguration === 1)
    throw new NacError("DICOM_MALFORMED", "subsampled YBR_FULL_422 must be colour-by-pixel (Planar Configuration 0)");
  const pixels = info.rows * info.columns;
  const frameBytes = (pixels * 2 * info.bitsAllocated) / 8;
  const needed = frameBytes * info.numberOfFrames;
  if (bytes.length < needed) {
    throw new NacError(
      "DICOM_MALFORMED",
      `Pixel Data is truncated: ${bytes.length} bytes, ${needed} needed for ${info.numberOfFrames} frame(s) of ${info.rows}x${info.columns} YBR_FULL_422 (2 samples per pixel)`,
    );
  }
  const bigEndian = !ds.meta.transferSyntax.littleEndian;
  return Array.from({ length: info.numberOfFrames }, (_, f) => {
    const packed = fromBytes(info, bytes.subarray(f * frameBytes, (f + 1) * frameBytes), bigEndian);
    const out = allocate(info, pixels * 3);
    for (let pair = 0, i = 0, o = 0; pair < pixels / 2; pair++, i += 4, o += 6) {
      const [y1, y2, cb, cr] = [packed[i], packed[i + 1], packed[i + 2], packed[i + 3]];
      out[o] = y1;
      out[o + 1] = cb;
      out[o + 2] = cr;
      out[o + 3] = y2;
      out[o + 4] = cb;
      out[o + 5] = cr;
    }
    return out;
  });
}

function fromCodec(info: PixelInfo, frame: CodecFrame, index: number): StoredArray {
  if (frame.width !== info.columns || frame.height !== info.rows || frame.components !== info.samplesPerPixel) {
    throw new NacError(
      "DICOM_MALFORMED",
      `frame ${index + 1} decodes to ${frame.width}x${frame.height}x${frame.components}, header says ${info.columns}x${info.rows}x${info.samplesPerPixel}`,
    );
  }
  const n = info.rows * info.columns * info.samplesPerPixel;
  if (frame.data.length < n) throw new NacError("DICOM_MALFORMED", `frame ${index + 1} decoded to too few samples`);
  const out = allocate(info, n);
  const src = frame.data;
  for (let i = 0; i < n; i++) out[i] = src[i];
  return frame.planar ? interleave(out, info.rows * info.columns, info.samplesPerPixel) : out;
}

const CODEC_NAME: Record<string, string> = {
  "jpeg-baseline": "JPEG",
  "jpeg-extended": "JPEG",
  "jpeg-lossless": "JPEG lossless",
  "jpeg-ls": "JPEG-LS",
  "jpeg-2000": "JPEG 2000",
};

/** Refuse a frame whose codestream header declares another size than the DICOM header, before any decoder runs. */
function checkGeometry(info: PixelInfo, encoding: string, bytes: Uint8Array, index: number): void {
  const g = codestreamGeometry(
    encoding === "jpeg-2000" ? "jpeg-2000" : encoding === "jpeg-ls" ? "jpeg-ls" : "jpeg",
    bytes,
  );
  if (!g) return; // no header found: the decoder reports what is wrong
  // A JPEG frame may leave its height to a DNL marker after the scan (height 0 in SOF).
  const heightOk = g.height === info.rows || (g.marker === "SOF" && g.height === 0);
  if (g.width !== info.columns || !heightOk || g.components !== info.samplesPerPixel) {
    throw new NacError(
      "DICOM_MALFORMED",
      `frame ${index + 1}: the ${CODEC_NAME[encoding]} codestream declares ${g.width}x${g.height} with ${g.components} component(s) in its ${g.marker} marker, the DICOM header ${info.columns}x${info.rows} with ${info.samplesPerPixel}: the pixel data is corrupt`,
    );
  }
}

async function decodeEncapsulated(ds: DicomDataset, info: PixelInfo): Promise<StoredArray[]> {
  const encoding = ds.meta.transferSyntax.encoding;
  if (info.kind !== "int" || info.bitsAllocated === 1) {
    throw new NacError(
      "DICOM_UNSUPPORTED",
      `${ds.meta.transferSyntax.name} with ${info.bitsAllocated}-bit ${info.kind} data is not supported`,
    );
  }
  const encoded = encapsulatedFrames(ds, info.numberOfFrames);
  const out: StoredArray[] = [];
  for (let f = 0; f < encoded.length; f++) {
    const bytes = encoded[f];
    if (encoding !== "rle") checkGeometry(info, encoding, bytes, f);
    switch (encoding) {
      case "rle": {
        const raw = decodeRleFrame(bytes, info.rows, info.columns, info.samplesPerPixel, info.bitsAllocated);
        out.push(fromBytes(info, raw, false));
        break;
      }
      case "jpeg-lossless":
        out.push(fromCodec(info, decodeJpegLossless(bytes, info.bitsAllocated), f));
        break;
      case "jpeg-baseline":
      case "jpeg-extended":
        out.push(fromCodec(info, decodeJpegDct(bytes, info.bitsAllocated), f));
        break;
      case "jpeg-ls":
        out.push(fromCodec(info, await decodeWithWasm("charls", bytes), f));
        break;
      case "jpeg-2000":
        out.push(fromCodec(info, await decodeWithWasm("openjpeg", bytes), f));
        break;
      default:
        throw new NacError("DICOM_UNSUPPORTED", `pixel encoding ${encoding} is not supported`);
    }
  }
  return out;
}

/**
 * Asynchronous because the WebAssembly codecs load lazily. Callers must await it: the returned promise is marked
 * handled so that a caller that forgets to does not bring down a Node process with an unhandled rejection, but
 * only an awaiting caller sees the error.
 */
export function decodePixelData(ds: DicomDataset): Promise<DecodedPixels> {
  const p = decodeImpl(ds);
  p.catch(() => undefined);
  return p;
}

async function decodeImpl(ds: DicomDataset): Promise<DecodedPixels> {
  const info = readPixelInfo(ds);
  const frames =
    ds.meta.transferSyntax.encoding === "native" || info.pixelDataTag !== "7FE00010"
      ? nativeFrames(ds, info)
      : await decodeEncapsulated(ds, info);
  for (const f of frames) normaliseBits(info, f);
  return { info, frames };
}
