/**
 * Specific Character Set (0008,0005): text bytes -> string for every character set DICOM defines (PS3.3 C.12.1.1.2,
 * PS3.5 6.1). Browser- and Node-safe: the tables are the WHATWG encodings of TextDecoder, except where DICOM's
 * meaning differs (ISO-IR 100 is ISO 8859-1, which WHATWG maps to windows-1252; JIS X 0201 katakana; the ISO 2022
 * code extensions, which are decoded here and hand each run of one character set to TextDecoder).
 *
 * With code extensions ("ISO 2022 IR ..."), escape sequences switch the G0 (bytes 0x21-0x7E) or G1 (0xA1-0xFE) set;
 * the initial sets (those of the first value) are active again after each delimiter: CR, LF, FF, TAB, and for
 * multi-valued strings the backslash, for person names also "^" and "=" (PS3.5 6.1.2.5.3).
 *
 * Unknown terms and undecodable bytes never throw: the text is then read as ISO 8859-1, as pydicom and DCMTK do,
 * and `unknownTerms` names what was not understood so that a caller may warn.
 */

/** How delimiters reset the code extensions: person names (PN), multi-valued strings (SH, LO, UC), text (ST, LT, UT). */
export type TextKind = "pn" | "multi" | "text";

/** One graphic character set: where it is invoked (G0 or G1) and how its bytes decode. */
type Coding =
  | { id: string; plane: "G0"; kind: "ascii" } // ISO-IR 6 (and ISO-IR 14 JIS X 0201 Romaji, which differs in 2 glyphs only)
  | { id: string; plane: "G1"; kind: "single"; label: string } // a 96-character set in 0xA0-0xFF
  | { id: string; plane: "G1"; kind: "katakana" } // ISO-IR 13, JIS X 0201 katakana in 0xA1-0xDF
  | { id: string; plane: "G0"; kind: "jis0208" | "jis0212" } // two bytes 0x21-0x7E each
  | { id: string; plane: "G1"; kind: "double"; label: string }; // two bytes 0xA1-0xFE each (EUC form)

const ASCII: Coding = { id: "ISO-IR 6", plane: "G0", kind: "ascii" };
const JIS_ROMAN: Coding = { id: "ISO-IR 14", plane: "G0", kind: "ascii" };
const single = (id: string, label: string): Coding => ({ id, plane: "G1", kind: "single", label });
const LATIN1 = single("ISO-IR 100", "latin1");
const KATAKANA: Coding = { id: "ISO-IR 13", plane: "G1", kind: "katakana" };
const JIS0208: Coding = { id: "ISO-IR 87", plane: "G0", kind: "jis0208" };
const JIS0212: Coding = { id: "ISO-IR 159", plane: "G0", kind: "jis0212" };
const KSX1001: Coding = { id: "ISO-IR 149", plane: "G1", kind: "double", label: "euc-kr" };
const GB2312: Coding = { id: "ISO-IR 58", plane: "G1", kind: "double", label: "gbk" };

const SINGLE_BYTE: Record<string, Coding> = {
  "100": LATIN1,
  "101": single("ISO-IR 101", "iso-8859-2"),
  "109": single("ISO-IR 109", "iso-8859-3"),
  "110": single("ISO-IR 110", "iso-8859-4"),
  "144": single("ISO-IR 144", "iso-8859-5"),
  "127": single("ISO-IR 127", "iso-8859-6"),
  "126": single("ISO-IR 126", "iso-8859-7"),
  "138": single("ISO-IR 138", "iso-8859-8"),
  "148": single("ISO-IR 148", "iso-8859-9"),
  "203": single("ISO-IR 203", "iso-8859-15"),
  // TIS 620-2533; WHATWG's windows-874 is the same in 0xA0-0xFF.
  "166": single("ISO-IR 166", "windows-874"),
};

/** Initial G0/G1 of each defined term (PS3.3 Tables C.12-2 to C.12-4). */
interface Initial {
  g0: Coding;
  g1: Coding | undefined;
}
function initialFor(term: string): Initial | undefined {
  const m = /^ISO(?:_IR| 2022 IR) (\d+)$/.exec(term);
  if (!m) return undefined;
  const code = m[1];
  const extended = term.startsWith("ISO 2022");
  if (code === "6") return { g0: ASCII, g1: undefined };
  if (code === "13") return { g0: JIS_ROMAN, g1: KATAKANA };
  if (SINGLE_BYTE[code]) return { g0: ASCII, g1: SINGLE_BYTE[code] };
  if (!extended) return undefined;
  // Multi-byte sets exist only with code extensions; as the first value they designate the set from the start.
  if (code === "87") return { g0: JIS0208, g1: undefined };
  if (code === "159") return { g0: JIS0212, g1: undefined };
  if (code === "149") return { g0: ASCII, g1: KSX1001 };
  if (code === "58") return { g0: ASCII, g1: GB2312 };
  return undefined;
}

/** Escape sequences (after ESC) of PS3.3 Tables C.12-3 and C.12-4. */
const ESCAPES: [string, Coding][] = [
  ["(B", ASCII],
  ["(J", JIS_ROMAN],
  [")I", KATAKANA],
  ["-A", LATIN1],
  ["-B", SINGLE_BYTE["101"]],
  ["-C", SINGLE_BYTE["109"]],
  ["-D", SINGLE_BYTE["110"]],
  ["-L", SINGLE_BYTE["144"]],
  ["-G", SINGLE_BYTE["127"]],
  ["-F", SINGLE_BYTE["126"]],
  ["-H", SINGLE_BYTE["138"]],
  ["-M", SINGLE_BYTE["148"]],
  ["-b", SINGLE_BYTE["203"]],
  ["-T", SINGLE_BYTE["166"]],
  ["$B", JIS0208],
  ["$(D", JIS0212],
  ["$)C", KSX1001],
  ["$)A", GB2312],
];

/** Character sets without code extensions that take the whole value (PS3.3 Table C.12-5). */
const WHOLE_VALUE: Record<string, string> = { "ISO_IR 192": "utf-8", GB18030: "gb18030", GBK: "gbk" };

/** Every defined term this module decodes (for the tested table and documentation). */
export const DEFINED_TERMS: readonly string[] = [
  "ISO_IR 6",
  "ISO_IR 100",
  "ISO_IR 101",
  "ISO_IR 109",
  "ISO_IR 110",
  "ISO_IR 144",
  "ISO_IR 127",
  "ISO_IR 126",
  "ISO_IR 138",
  "ISO_IR 148",
  "ISO_IR 203",
  "ISO_IR 13",
  "ISO_IR 166",
  "ISO_IR 192",
  "GB18030",
  "GBK",
  "ISO 2022 IR 6",
  "ISO 2022 IR 100",
  "ISO 2022 IR 101",
  "ISO 2022 IR 109",
  "ISO 2022 IR 110",
  "ISO 2022 IR 144",
  "ISO 2022 IR 127",
  "ISO 2022 IR 126",
  "ISO 2022 IR 138",
  "ISO 2022 IR 148",
  "ISO 2022 IR 203",
  "ISO 2022 IR 13",
  "ISO 2022 IR 166",
  "ISO 2022 IR 87",
  "ISO 2022 IR 159",
  "ISO 2022 IR 149",
  "ISO 2022 IR 58",
];

const decoders = new Map<string, TextDecoder>();
function textDecoder(label: string): TextDecoder {
  let d = decoders.get(label);
  if (!d) {
    d = new TextDecoder(label); // fatal: false -> U+FFFD for invalid bytes, never an exception
    decoders.set(label, d);
  }
  return d;
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

const ESC = 0x1b;
const isControlDelimiter = (b: number) => b === 0x0d || b === 0x0a || b === 0x0c || b === 0x09;

export interface CharsetDecoder {
  /** The Specific Character Set values, as read (first value may be empty: the default repertoire). */
  readonly terms: readonly string[];
  /** Terms that are not defined by DICOM (their text is read as ISO 8859-1). */
  readonly unknownTerms: readonly string[];
  decode(bytes: Uint8Array, kind: TextKind): string;
}

/** A decoder for the values of (0008,0005); `[]` or `[""]` is the default repertoire. */
export function charsetDecoder(terms: readonly string[]): CharsetDecoder {
  const cleaned = terms.map((t) => t.trim());
  const first = cleaned[0] ?? "";
  const unknownTerms = cleaned.filter((t, i) => !(t === "" && i === 0) && !WHOLE_VALUE[t] && !initialFor(t));
  const whole = WHOLE_VALUE[first];
  if (whole) {
    return { terms: cleaned, unknownTerms, decode: (bytes) => textDecoder(whole).decode(bytes) };
  }
  // The default repertoire is ISO-IR 6; bytes above 0x7F in it are invalid, read as ISO 8859-1 (pydicom, DCMTK).
  const initial: Initial = (first === "" ? undefined : initialFor(first)) ?? { g0: ASCII, g1: LATIN1 };
  const usesEscapes = cleaned.some((t) => t.startsWith("ISO 2022"));
  return {
    terms: cleaned,
    unknownTerms,
    decode: (bytes, kind) =>
      usesEscapes || bytes.includes(ESC) ? decodeIso2022(bytes, kind, initial) : decodeFixed(bytes, initial),
  };
}

/** One single-byte set in G1 (or the JIS X 0201 pair), no escapes: a straight table lookup. */
function decodeFixed(bytes: Uint8Array, initial: Initial): string {
  let high = false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) high = true;
  if (!high) return latin1(bytes);
  return decodeRun(initial.g1 ?? LATIN1, bytes);
}

function decodeRun(coding: Coding, run: Uint8Array): string {
  switch (coding.kind) {
    case "ascii":
      return latin1(run);
    case "single": {
      if (coding.label === "latin1") return latin1(run);
      // WHATWG single-byte decoders cover 0x00-0xFF, so ASCII bytes in the run come out unchanged.
      return textDecoder(coding.label).decode(run);
    }
    case "katakana": {
      let s = "";
      for (const b of run)
        s +=
          b >= 0xa1 && b <= 0xdf
            ? String.fromCharCode(0xff61 + b - 0xa1)
            : b < 0x80
              ? String.fromCharCode(b)
              : "\ufffd";
      return s;
    }
    case "jis0208":
    case "jis0212": {
      // To EUC-JP: set the high bit of each byte; JIS X 0212 gets the SS3 (0x8F) prefix per character.
      const euc: number[] = [];
      for (let i = 0; i + 1 < run.length; i += 2) {
        if (coding.kind === "jis0212") euc.push(0x8f);
        euc.push(run[i] | 0x80, run[i + 1] | 0x80);
      }
      if (run.length % 2) euc.push(0xff); // a lone byte: invalid, becomes U+FFFD
      return textDecoder("euc-jp").decode(Uint8Array.from(euc));
    }
    case "double":
      return textDecoder(coding.label).decode(run);
  }
}

function decodeIso2022(bytes: Uint8Array, kind: TextKind, initial: Initial): string {
  let g0 = initial.g0;
  let g1 = initial.g1;
  let out = "";
  let run: number[] = [];
  let runCoding: Coding | undefined;
  const flush = () => {
    if (run.length && runCoding) out += decodeRun(runCoding, Uint8Array.from(run));
    run = [];
    runCoding = undefined;
  };
  const emit = (coding: Coding, ...b: number[]) => {
    if (runCoding !== coding) flush();
    runCoding = coding;
    run.push(...b);
  };
  const isDelimiter = (b: number) =>
    isControlDelimiter(b) || (kind !== "text" && b === 0x5c) || (kind === "pn" && (b === 0x5e || b === 0x3d));

  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === ESC) {
      const match = ESCAPES.find(
        ([seq]) => seq.length + i < bytes.length && [...seq].every((c, k) => bytes[i + 1 + k] === c.charCodeAt(0)),
      );
      if (match) {
        const [seq, coding] = match;
        if (coding.plane === "G0") g0 = coding;
        else g1 = coding;
        i += seq.length;
      } else {
        emit(ASCII, 0x3f); // unknown escape: a visible "?" rather than a silent drop
      }
      continue;
    }
    if (b < 0x80) {
      const twoByteG0 = g0.kind === "jis0208" || g0.kind === "jis0212";
      if (twoByteG0 && b >= 0x21 && b <= 0x7e && i + 1 < bytes.length && bytes[i + 1] >= 0x21 && bytes[i + 1] <= 0x7e) {
        emit(g0, b, bytes[i + 1]);
        i++;
        continue;
      }
      emit(ASCII, b);
      if (isDelimiter(b)) {
        g0 = initial.g0;
        g1 = initial.g1;
      }
      continue;
    }
    const set = g1 ?? LATIN1;
    if (set.kind === "double") {
      if (i + 1 < bytes.length && bytes[i + 1] >= 0x80) {
        emit(set, b, bytes[i + 1]);
        i++;
      } else {
        emit(set, b); // lone lead byte: the decoder yields U+FFFD
      }
      continue;
    }
    emit(set, b);
  }
  flush();
  return out;
}
