/**
 * DicomDataset: a read-only view over a parsed DICOM data set (dicom-parser underneath) with typed accessors.
 * Tags are 8 hex digits "GGGGEEEE" (e.g. "00280010"). String values are trimmed of DICOM padding; DS/IS values
 * are validated (an invalid number is DICOM_MALFORMED naming the tag, never a silent NaN).
 * Binary accessors (uint16, float64, ...) are chosen by the caller from the standard VR of the tag, because
 * implicit-VR files carry no VR.
 * Text (SH, LO, ST, LT, UT, UC, PN) is decoded with the Specific Character Set (0008,0005) in force: the data set's own,
 * or for a sequence item without one, its parent's (PS3.5 7.5.3).
 */
import type { DataSet, Element } from "dicom-parser";
import { NacError } from "../../errors/nac-error";
import { charsetDecoder, type CharsetDecoder, type TextKind } from "./charset";
import type { TransferSyntax } from "./transfer-syntax";

export interface DicomFileMeta {
  /** Transfer syntax the data set was read with (from file meta, or guessed for a raw data set). */
  transferSyntax: TransferSyntax;
  /** False for a raw data set without preamble / file meta (syntax was then guessed from the first bytes). */
  hasFileMeta: boolean;
}

const TAG_RE = /^[0-9A-Fa-f]{8}$/;

function key(tag: string): string {
  if (!TAG_RE.test(tag)) throw new NacError("INTERNAL", `bad DICOM tag key "${tag}" (expected 8 hex digits)`);
  return "x" + tag.toLowerCase();
}

export function formatTag(tag: string): string {
  return `(${tag.slice(0, 4).toUpperCase()},${tag.slice(4).toUpperCase()})`;
}

const SPECIFIC_CHARACTER_SET = "x00080005";
/** VRs whose values are in the default repertoire whatever the Specific Character Set says. */
const DEFAULT_REPERTOIRE_VRS = new Set(["AE", "AS", "CS", "DA", "DS", "DT", "IS", "TM", "UI", "UR"]);
const TEXT_VRS = new Set(["ST", "LT", "UT"]);
/** Person-name tags, for implicit-VR files (no VR on the wire): the "^" and "=" delimiters reset code extensions. */
const PN_TAGS = new Set([
  "x00080090",
  "x00081048",
  "x00081050",
  "x00081060",
  "x00081070",
  "x00100010",
  "x00101001",
  "x00101005",
  "x00101060",
  "x00321032",
  "x0040a123",
  "x00700084",
]);

function readCharset(raw: DataSet, inherited: CharsetDecoder | undefined): CharsetDecoder {
  const el = raw.elements[SPECIFIC_CHARACTER_SET];
  if (!el || el.length <= 0 || el.dataOffset + el.length > raw.byteArray.length) return inherited ?? charsetDecoder([]);
  let s = "";
  for (let i = el.dataOffset; i < el.dataOffset + el.length; i++) s += String.fromCharCode(raw.byteArray[i]);
  return charsetDecoder(s.replace(/[\0 ]+$/, "").split("\\"));
}

export class DicomDataset {
  readonly charset: CharsetDecoder;

  constructor(
    readonly raw: DataSet,
    readonly meta: DicomFileMeta,
    inheritedCharset?: CharsetDecoder,
  ) {
    this.charset = readCharset(raw, inheritedCharset);
  }

  get transferSyntaxUid(): string {
    return this.meta.transferSyntax.uid;
  }

  element(tag: string): Element | undefined {
    return this.raw.elements[key(tag)];
  }

  has(tag: string): boolean {
    const el = this.element(tag);
    return el !== undefined && el.length > 0;
  }

  /** Raw value bytes of an element (no copy), or undefined when absent/empty. */
  bytes(tag: string): Uint8Array | undefined {
    const el = this.element(tag);
    if (!el || el.length <= 0 || el.length === 0xffffffff) return undefined;
    const end = el.dataOffset + el.length;
    if (end > this.raw.byteArray.length) {
      throw new NacError("DICOM_MALFORMED", `element ${formatTag(tag)} runs past the end of the file`);
    }
    return this.raw.byteArray.subarray(el.dataOffset, end);
  }

  /** Whole string value, decoded with the Specific Character Set, trimmed of trailing spaces/NULs and leading spaces. */
  string(tag: string): string | undefined {
    const b = this.bytes(tag);
    if (!b) return undefined;
    const s = this.decodeText(tag, b)
      .replace(/[\0 ]+$/, "")
      .replace(/^ +/, "");
    return s.length ? s : undefined;
  }

  private decodeText(tag: string, b: Uint8Array): string {
    const vr = this.element(tag)?.vr;
    if (vr && DEFAULT_REPERTOIRE_VRS.has(vr)) {
      let s = "";
      for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
      return s;
    }
    const kind: TextKind =
      vr === "PN" || (!vr && PN_TAGS.has(key(tag))) ? "pn" : vr && TEXT_VRS.has(vr) ? "text" : "multi";
    return this.charset.decode(b, kind);
  }

  /** Backslash-separated multi-valued string. */
  strings(tag: string): string[] | undefined {
    const s = this.string(tag);
    return s === undefined ? undefined : s.split("\\").map((v) => v.trim());
  }

  /** Decimal String (DS), all values; throws DICOM_MALFORMED on a non-number. */
  decimals(tag: string): number[] | undefined {
    const vals = this.strings(tag);
    if (!vals) return undefined;
    return vals.map((v) => {
      const n = v === "" ? NaN : Number(v);
      if (!Number.isFinite(n) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) {
        throw new NacError("DICOM_MALFORMED", `${formatTag(tag)} has an invalid decimal value "${v}"`);
      }
      return n;
    });
  }

  decimal(tag: string): number | undefined {
    return this.decimals(tag)?.[0];
  }

  /** Integer String (IS); throws DICOM_MALFORMED on a non-integer. */
  integerString(tag: string): number | undefined {
    const v = this.strings(tag)?.[0];
    if (v === undefined) return undefined;
    if (!/^[+-]?\d+$/.test(v))
      throw new NacError("DICOM_MALFORMED", `${formatTag(tag)} has an invalid integer value "${v}"`);
    return Number(v);
  }

  private binary(
    tag: string,
    size: number,
    index: number,
    read: (dv: DataView, off: number, le: boolean) => number,
  ): number | undefined {
    const b = this.bytes(tag);
    if (!b || b.length < (index + 1) * size) return undefined;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return read(dv, index * size, this.littleEndian);
  }

  private get littleEndian(): boolean {
    // dicom-parser tells which byte order the (inflated) data set was read with.
    return this.raw.byteArrayParser.readUint16(new Uint8Array([1, 0]), 0) === 1;
  }

  uint16(tag: string, index = 0): number | undefined {
    return this.binary(tag, 2, index, (dv, o, le) => dv.getUint16(o, le));
  }
  int16(tag: string, index = 0): number | undefined {
    return this.binary(tag, 2, index, (dv, o, le) => dv.getInt16(o, le));
  }
  uint32(tag: string, index = 0): number | undefined {
    return this.binary(tag, 4, index, (dv, o, le) => dv.getUint32(o, le));
  }
  float32(tag: string, index = 0): number | undefined {
    return this.binary(tag, 4, index, (dv, o, le) => dv.getFloat32(o, le));
  }
  float64(tag: string, index = 0): number | undefined {
    return this.binary(tag, 8, index, (dv, o, le) => dv.getFloat64(o, le));
  }
  /** All FD values. */
  float64s(tag: string): number[] | undefined {
    const b = this.bytes(tag);
    if (!b) return undefined;
    const out: number[] = [];
    for (let i = 0; i < Math.floor(b.length / 8); i++) out.push(this.float64(tag, i)!);
    return out;
  }

  /** Items of a sequence as data sets (empty array when absent). */
  sequence(tag: string): DicomDataset[] {
    const el = this.element(tag);
    if (!el?.items) return [];
    return el.items.filter((it) => it.dataSet).map((it) => new DicomDataset(it.dataSet!, this.meta, this.charset));
  }

  /** First item of a sequence, if any. */
  item(tag: string): DicomDataset | undefined {
    return this.sequence(tag)[0];
  }
}
