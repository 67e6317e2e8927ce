/**
 * Specific Character Set decoding (issue 15 item 9) against references made by testdata/make-charset-references.py:
 * a table with one case per defined term of PS3.3 C.12.1.1.2 plus the code-extension examples of PS3.5 Annexes H-K
 * (bytes from Python's codecs), and pydicom's charset test files (lib/testdata/pydicom_charset) as pydicom decodes them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { charsetDecoder, DEFINED_TERMS, type TextKind } from "./charset";
import { parseDicom } from "./index";

interface TableCase {
  terms: string[];
  vr: string;
  text: string;
  hex: string;
  pydicom: string;
  pydicom_agrees: boolean;
  note: string;
}
const table = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "testdata/charset_table.json"), "utf8"),
) as TableCase[];
const FILES_DIR = path.resolve(import.meta.dirname, "../../testdata/pydicom_charset");
const files = JSON.parse(readFileSync(path.join(FILES_DIR, "charset_files.json"), "utf8")) as Record<
  string,
  { specific_character_set: string | string[]; text: Record<string, string> }
>;

const kindOf = (vr: string): TextKind => (vr === "PN" ? "pn" : ["ST", "LT", "UT"].includes(vr) ? "text" : "multi");
const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));

describe("the character set table", () => {
  it.each(table.map((c) => [`${c.terms.join("\\")} ${c.vr} ${c.note}`, c] as const))("%s", (_label, c) => {
    expect(charsetDecoder(c.terms).decode(hex(c.hex), kindOf(c.vr))).toBe(c.text);
  });

  it("covers every defined term, and pydicom agrees wherever it knows the term (its known limits aside)", () => {
    const tested = new Set(table.flatMap((c) => c.terms));
    expect(DEFINED_TERMS.filter((t) => !tested.has(t))).toEqual([]);
    const disagreements = table.filter((c) => !c.pydicom_agrees).map((c) => `${c.terms.join("\\")}: ${c.text}`);
    // pydicom 2.3.1: no ISO_IR 203; GBK split at a 0x5C trail byte; ESC $ ) A left in ISO 2022 IR 58 text; a person
    // name's empty trailing group dropped (see the script's docstring).
    expect(disagreements).toEqual([
      "ISO_IR 203: Lefèvre^Zoé (€ Œuvre)",
      "ISO 2022 IR 203: Lefèvre^Zoé (€ Œuvre)",
      "GBK: Wang^XiaoDong=王^小东=",
      "GBK: 乗\\二",
      "\\ISO 2022 IR 58: Zhang^XiaoDong=张^小东=",
      "\\ISO 2022 IR 203: Zoé €",
    ]);
  });

  it("the default repertoire and unknown terms read as ISO 8859-1 and name what was not understood", () => {
    expect(charsetDecoder([]).decode(Uint8Array.from([0x5a, 0x6f, 0xeb]), "pn")).toBe("Zoë");
    const d = charsetDecoder(["ISO_IR 999"]);
    expect(d.unknownTerms).toEqual(["ISO_IR 999"]);
    expect(d.decode(Uint8Array.from([0x5a, 0x6f, 0xeb]), "pn")).toBe("Zoë");
  });

  it("never throws on broken input: invalid UTF-8, a lone double-byte lead, an unknown escape", () => {
    expect(charsetDecoder(["ISO_IR 192"]).decode(Uint8Array.from([0x41, 0xc3]), "pn")).toBe("A\ufffd");
    expect(charsetDecoder(["", "ISO 2022 IR 149"]).decode(Uint8Array.from([0x1b, 0x24, 0x29, 0x43, 0xb1]), "pn")).toBe(
      "\ufffd",
    );
    expect(charsetDecoder(["", "ISO 2022 IR 87"]).decode(Uint8Array.from([0x41, 0x1b, 0x28, 0x5a, 0x42]), "pn")).toBe(
      "A?(ZB",
    );
  });
});

/** pydicom's PersonName drops empty trailing component groups ("A^B=" prints as "A^B"): compare without them. */
const withoutEmptyTrailingGroups = (s: string) => s.replace(/=+$/, "");

describe("pydicom's charset files", () => {
  it.each(Object.entries(files))("%s: every text element decodes as pydicom decodes it", (name, ref) => {
    const ds = parseDicom(new Uint8Array(readFileSync(path.join(FILES_DIR, name))));
    for (const [p, expected] of Object.entries(ref.text)) {
      const steps = p.split(".");
      let at = ds;
      for (const step of steps.slice(0, -1)) {
        const [, tag, index] = /^([0-9A-F]{8})\[(\d+)\]$/.exec(step)!;
        at = at.sequence(tag)[Number(index)];
      }
      const tag = steps[steps.length - 1];
      const got = (at.strings(tag) ?? []).join("\\");
      expect(withoutEmptyTrailingGroups(got), `${name} ${p}`).toBe(withoutEmptyTrailingGroups(expected));
    }
  });

  it("covers the files pydicom ships (17), with Japanese, Korean, Chinese, Arabic, Greek, Hebrew, Cyrillic", () => {
    expect(Object.keys(files)).toHaveLength(17);
    const sets = new Set(Object.values(files).flatMap((f) => [f.specific_character_set].flat()));
    for (const t of [
      "ISO 2022 IR 87",
      "ISO 2022 IR 13",
      "ISO 2022 IR 149",
      "ISO_IR 192",
      "GB18030",
      "ISO_IR 127",
      "ISO_IR 126",
      "ISO_IR 138",
      "ISO_IR 144",
    ])
      expect(sets).toContain(t);
  });

  it("a UTF-8 (ISO_IR 192) patient name is not garbled: the issue's Zoë case", () => {
    const ds = parseDicom(new Uint8Array(readFileSync(path.join(FILES_DIR, "chrX1.dcm"))));
    expect(ds.string("00100010")).toBe("Wang^XiaoDong=王^小東=");
  });
});
