/**
 * Regression tests for issue 15's decoding findings, on fixtures made with dcmtk / GDCM / pydicom by
 * testdata/make-decoding-fixtures.py (references in testdata/decoding_fixtures.json and
 * lib/testdata/codec_series/codec_series.json, from the uncompressed originals).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Decoder } from "jpeg-lossless-decoder-js";
import { beforeAll, describe, expect, it } from "vitest";
import { encapsulatedFrames } from "./frames";
import { decodePixelData, parseDicom, type StoredArray } from "./index";
import { useNodeCodecWasm } from "./node/codec-wasm";

const FIXTURES = path.resolve(import.meta.dirname, "testdata");
const CODEC_SERIES = path.resolve(import.meta.dirname, "../../testdata/codec_series");

interface Ref {
  dtype: string;
  shape: number[];
  sum: number;
  min: number;
  max: number;
  last: number;
  sha256: string;
  pixel_0_0?: number[];
  pixel_0_1?: number[];
}
const refs = JSON.parse(readFileSync(path.join(FIXTURES, "decoding_fixtures.json"), "utf8")) as Record<string, Ref>;
const seriesRefs = JSON.parse(readFileSync(path.join(CODEC_SERIES, "codec_series.json"), "utf8")) as Record<
  string,
  Ref & { transfer_syntax: string }
>;

const DTYPE: Record<string, string> = { Uint8Array: "uint8", Int16Array: "int16", Uint16Array: "uint16" };

function summary(a: StoredArray) {
  let sum = 0,
    min = Infinity,
    max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    sum += a[i];
    if (a[i] < min) min = a[i];
    if (a[i] > max) max = a[i];
  }
  const sha256 = createHash("sha256")
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest("hex");
  return { dtype: DTYPE[a.constructor.name], sum, min, max, last: a[a.length - 1], sha256 };
}

function expectMatches(a: StoredArray, ref: Ref) {
  expect(summary(a)).toEqual({
    dtype: ref.dtype,
    sum: ref.sum,
    min: ref.min,
    max: ref.max,
    last: ref.last,
    sha256: ref.sha256,
  });
}

const read = (file: string) => parseDicom(new Uint8Array(readFileSync(file)));

/** The error a decode rejects with (toMatchObject does not apply a RegExp to a string property, so test it here). */
async function rejection(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const outcome = await p.then(
    () => undefined,
    (e: unknown) => e as { code?: string; message: string },
  );
  if (!outcome) throw new Error("the decode succeeded");
  return outcome;
}

beforeAll(() => useNodeCodecWasm());

describe("JPEG lossless SV1: the last pixel (issue 15 item 12)", () => {
  const file = path.join(FIXTURES, "ct_jpeg_lossless_sv1_last_pixel.dcm");

  it("a 512x512 signed 16-bit CT from dcmcjpeg decodes equal to its uncompressed original, last pixel -2048", async () => {
    const { frames, info } = await decodePixelData(read(file));
    expect([info.rows, info.columns, info.pixelRepresentation]).toEqual([512, 512, 1]);
    expect(frames[0][512 * 512 - 1]).toBe(-2048);
    expectMatches(frames[0], refs["ct_jpeg_lossless_sv1_last_pixel.dcm"]);
  });

  it("the unpatched jpeg-lossless-decoder-js 2.1.2 still drops it (when this fails, upstream is fixed: drop codecs/lossless-last-pixel.ts)", () => {
    const encoded = encapsulatedFrames(read(file), 1)[0].slice().buffer;
    const out = new Decoder().decode(encoded, 0, encoded.byteLength, 2);
    expect(new Int16Array(out.buffer, out.byteOffset, out.length)[512 * 512 - 1]).toBe(0);
  });
});

describe("uncompressed YBR_FULL_422 with 2 samples per pixel on disk (issue 15 item 13)", () => {
  it("expands to three samples per pixel as pydicom does", async () => {
    const ref = refs["ybr_full_422_uncompressed.dcm"];
    const { frames, info } = await decodePixelData(read(path.join(FIXTURES, "ybr_full_422_uncompressed.dcm")));
    expect([info.rows, info.columns, info.samplesPerPixel]).toEqual(ref.shape);
    expect(frames[0].length).toBe(100 * 100 * 3);
    expect(Array.from(frames[0].subarray(0, 6))).toEqual([...ref.pixel_0_0!, ...ref.pixel_0_1!]);
    expectMatches(frames[0], ref);
  });

  it("a subsampled frame that is one byte short is still DICOM_MALFORMED, not padded", async () => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, "ybr_full_422_uncompressed.dcm")));
    const ds = parseDicom(bytes);
    const el = ds.element("7FE00010")!;
    // Shrink the element's length by two bytes (keeps the file parseable), leaving 19,998 of 20,000 bytes.
    const cut = bytes.slice(0, el.dataOffset + el.length - 2);
    new DataView(cut.buffer).setUint32(el.dataOffset - 4, el.length - 2, true);
    const err = await rejection(decodePixelData(parseDicom(cut)));
    expect(err.code).toBe("DICOM_MALFORMED");
    expect(err.message).toMatch(
      /Pixel Data is truncated: 19998 bytes, 20000 needed .* YBR_FULL_422 \(2 samples per pixel\)/,
    );
  });
});

describe("the e2e codec series (JPEG 2000 and JPEG-LS lossless, issue 15 item 8)", () => {
  it.each(Object.entries(seriesRefs))("%s decodes equal to its uncompressed source", async (name, ref) => {
    const ds = read(path.join(CODEC_SERIES, name));
    expect(ds.transferSyntaxUid).toBe(ref.transfer_syntax);
    const { frames } = await decodePixelData(ds);
    expectMatches(frames[0], ref);
  });
});

describe("a sequence delimiter's bytes inside JPEG 2000 pixel data (issue 15 item 14)", () => {
  const TESTDATA = path.resolve(import.meta.dirname, "../../testdata/pydicom/test_files");

  it("pydicom's JPEG2000-embedded-sequence-delimiter.dcm: the fragment runs its full item length; the corrupt SIZ is refused naming both sizes", async () => {
    const ds = read(path.join(TESTDATA, "JPEG2000-embedded-sequence-delimiter.dcm"));
    const twin = read(path.join(TESTDATA, "JPEG2000.dcm"));
    const lengths = (d: typeof ds) => d.element("7FE00010")!.fragments!.map((f) => f.length);
    expect(lengths(ds)).toEqual([250]);
    expect(lengths(ds)).toEqual(lengths(twin));
    // The 4 replaced bytes are Rsiz and the high half of Xsiz: the codestream now claims an image 3.7e9 pixels wide.
    // GDCM 3.0.21 (gdcmconv --raw) refuses it with the same OpenJPEG error; no decoder can recover the image.
    const err = await rejection(decodePixelData(ds));
    expect(err.code).toBe("DICOM_MALFORMED");
    expect(err.message).toMatch(
      /frame 1: the JPEG 2000 codestream declares \d{10}x1024 with 1 component\(s\) in its SIZ marker, the DICOM header 256x1024 with 1: the pixel data is corrupt/,
    );
  });

  it("a valid codestream holding the delimiter's bytes (FE FF DD E0 in a COM segment) decodes equal to the original", async () => {
    const file = path.join(CODEC_SERIES, "j2k/28.dcm");
    const bytes = new Uint8Array(readFileSync(file));
    const frag = read(file).element("7FE00010")!.fragments![0];
    const siz = frag.position + 2; // SOC is 2 bytes; SIZ follows
    const sizEnd = siz + 2 + ((bytes[siz + 2] << 8) | bytes[siz + 3]);
    // COM marker, Lcom 8, Rcom 0 (binary), then the bytes of a Sequence Delimitation Item tag.
    const com = Uint8Array.from([0xff, 0x64, 0x00, 0x08, 0x00, 0x00, 0xfe, 0xff, 0xdd, 0xe0]);
    const out = new Uint8Array(bytes.length + com.length);
    out.set(bytes.subarray(0, sizEnd), 0);
    out.set(com, sizEnd);
    out.set(bytes.subarray(sizEnd), sizEnd + com.length);
    new DataView(out.buffer).setUint32(frag.position - 4, frag.length + com.length, true); // the item's length
    const ds = parseDicom(out);
    expect(ds.element("7FE00010")!.fragments!.map((f) => f.length)).toEqual([frag.length + com.length]);
    const { frames } = await decodePixelData(ds);
    expectMatches(frames[0], seriesRefs["j2k/28.dcm"]);
  });
});

describe("codestream size vs header, checked before decoding", () => {
  it.each([
    ["JPEG lossless", path.join(FIXTURES, "ct_jpeg_lossless_sv1_last_pixel.dcm")],
    ["JPEG-LS", path.join(CODEC_SERIES, "jpls/28.dcm")],
    ["JPEG 2000", path.join(CODEC_SERIES, "j2k/28.dcm")],
  ])("%s: a header whose Columns disagree with the codestream is refused before decoding", async (_codec, file) => {
    const bytes = new Uint8Array(readFileSync(file));
    const el = read(file).element("00280011")!;
    const columns = bytes[el.dataOffset] | (bytes[el.dataOffset + 1] << 8);
    new DataView(bytes.buffer).setUint16(el.dataOffset, columns / 2, true);
    const err = await rejection(decodePixelData(parseDicom(bytes)));
    expect(err.code).toBe("DICOM_MALFORMED");
    expect(err.message).toMatch(new RegExp(`declares ${columns}x\\d+ .* the DICOM header ${columns / 2}x`));
  });
});
