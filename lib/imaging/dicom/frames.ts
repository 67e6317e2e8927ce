/**
 * Split encapsulated (compressed) Pixel Data into one byte string per frame. Rules, in order: one frame -> all
 * fragments; as many fragments as frames -> one each; a Basic Offset Table -> its ranges; otherwise fragments
 * that start a codestream (JPEG SOI / J2K SOC or JP2 signature) open a new frame.
 */
import type { Fragment } from "dicom-parser";
import { NacError } from "../../errors/nac-error";
import type { DicomDataset } from "./dataset";
import { TAG } from "./tags";
import { concatBytes } from "../../bytes/concat";

function concat(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0] : concatBytes(parts);
}

function startsCodestream(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  if (b[0] === 0xff && (b[1] === 0xd8 || b[1] === 0x4f)) return true; // JPEG SOI, J2K SOC
  return b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0x0c; // JP2 signature box
}

export function encapsulatedFrames(ds: DicomDataset, numberOfFrames: number): Uint8Array[] {
  const el = ds.element(TAG.PixelData);
  if (!el?.encapsulatedPixelData)
    throw new NacError("DICOM_MALFORMED", "transfer syntax is compressed but Pixel Data is not encapsulated");
  const fragments: Fragment[] = el.fragments ?? [];
  const bytes = ds.raw.byteArray;
  const data = fragments.map((f, i) => {
    if (f.position + f.length > bytes.length)
      throw new NacError("DICOM_MALFORMED", `pixel data fragment ${i + 1} runs past the end of the file`);
    return bytes.subarray(f.position, f.position + f.length);
  });
  if (data.length === 0) throw new NacError("DICOM_MALFORMED", "encapsulated Pixel Data has no fragments");
  if (numberOfFrames === 1) return [concat(data)];
  if (data.length === numberOfFrames) return data;
  const bot = el.basicOffsetTable ?? [];
  if (bot.length === numberOfFrames) {
    const frames: Uint8Array[][] = bot.map(() => []);
    for (let i = 0; i < fragments.length; i++) {
      let f = bot.length - 1;
      while (f > 0 && fragments[i].offset < bot[f]) f--;
      frames[f].push(data[i]);
    }
    if (frames.some((p) => p.length === 0))
      throw new NacError("DICOM_MALFORMED", "Basic Offset Table does not match the fragments");
    return frames.map(concat);
  }
  const groups: Uint8Array[][] = [];
  for (const d of data) {
    if (startsCodestream(d) || groups.length === 0) groups.push([d]);
    else groups[groups.length - 1].push(d);
  }
  if (groups.length !== numberOfFrames) {
    throw new NacError(
      "DICOM_MALFORMED",
      `encapsulated Pixel Data holds ${groups.length} codestreams for ${numberOfFrames} frames`,
    );
  }
  return groups.map(concat);
}
