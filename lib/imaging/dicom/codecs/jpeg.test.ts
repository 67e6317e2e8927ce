/**
 * JPEG baseline decoding against libjpeg-turbo (Pillow 9.4) on fixtures made by testdata/make-jpeg-fixtures.py:
 * 8-bit grey, and YCbCr 4:2:2 / 4:2:0 (odd size) decoded without colour conversion with libjpeg's fancy upsampling.
 * The pydicom set has no grey or subsampled baseline JPEG, hence these.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodePixelData, parseDicom } from "../index";

const DIR = path.resolve(import.meta.dirname, "../testdata");
const refs = JSON.parse(readFileSync(path.join(DIR, "jpeg_fixtures.json"), "utf8")) as Record<
  string,
  { sum: number; sha256: string }
>;

describe("JPEG baseline vs libjpeg-turbo", () => {
  it.each(Object.entries(refs))("%s decodes bit-identically", async (name, ref) => {
    const { frames, info } = await decodePixelData(parseDicom(new Uint8Array(readFileSync(path.join(DIR, name)))));
    const a = frames[0] as Uint8Array;
    expect(a).toBeInstanceOf(Uint8Array);
    expect(a.length).toBe(info.rows * info.columns * info.samplesPerPixel);
    expect(a.reduce((s: number, v: number) => s + v, 0)).toBe(ref.sum);
    expect(createHash("sha256").update(a).digest("hex")).toBe(ref.sha256);
  });
});
