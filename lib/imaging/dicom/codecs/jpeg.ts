/**
 * JPEG frame decoders in plain JS: lossless (process 14, jpeg-lossless-decoder-js) and baseline/extended DCT
 * (8/12-bit, vendored pdf.js-derived JpegImage). Colour components are returned as coded (no YCbCr -> RGB transform),
 * matching what DICOM's photometric interpretation says the stored values are.
 */
import { LastPixelSafeDecoder as LosslessDecoder } from "./lossless-last-pixel";
import { NacError } from "../../../errors/nac-error";
import JpegImage from "./vendor/jpeg-image.js";
import type { CodecFrame } from "./wasm-codecs";

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function decodeJpegLossless(encoded: Uint8Array, bitsAllocated: number): CodecFrame {
  try {
    const dec = new LosslessDecoder();
    const buf = encoded.slice().buffer; // the decoder wants its own ArrayBuffer
    const data = dec.decode(buf, 0, buf.byteLength, bitsAllocated > 8 ? 2 : 1);
    return {
      data,
      width: dec.xDim,
      height: dec.yDim,
      components: dec.numComp,
      bitsPerSample: dec.precision ?? bitsAllocated,
    };
  } catch (e) {
    throw new NacError("DICOM_MALFORMED", `JPEG lossless frame could not be decoded (${message(e)})`);
  }
}

export function decodeJpegDct(encoded: Uint8Array, bitsAllocated: number): CodecFrame {
  try {
    const img = new JpegImage();
    img.parse(encoded);
    img.colorTransform = false;
    const components = img.components.length;
    const data = bitsAllocated > 8 ? img.getData16(img.width, img.height) : img.getData(img.width, img.height);
    return { data, width: img.width, height: img.height, components, bitsPerSample: bitsAllocated > 8 ? 16 : 8 };
  } catch (e) {
    throw new NacError("DICOM_MALFORMED", `JPEG frame could not be decoded (${message(e)})`);
  }
}
