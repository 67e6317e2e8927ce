import { describe, expect, it } from "vitest";
import { forEachCsvRecord, parseCsvRecords } from "./feature-table";
import { mulberry32 } from "../../random/prng";

/** The previous character-by-character parser, kept as the reference the slicing parser must equal. */
function referenceRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let rec: string[] = [];
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ",") {
      rec.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      rec.push(field);
      if (rec.length > 1 || rec[0].trim() !== "") records.push(rec);
      rec = [];
      field = "";
    } else field += c;
  }
  if (q) throw new Error("CSV ends inside a quoted field");
  rec.push(field);
  if (rec.length > 1 || rec[0].trim() !== "") records.push(rec);
  return records;
}

describe("CSV records", () => {
  it("equal the character-by-character reference on random texts with quotes, CR/LF and blank lines", () => {
    const rng = mulberry32(14);
    const alphabet = ['"', '"', ",", ",", "\n", "\r", "\r\n", " ", "a", "1.5", "-3e2", "NA", "x y"];
    let compared = 0,
      unterminated = 0;
    for (let t = 0; t < 3000; t++) {
      const len = Math.floor(rng.next() * 40);
      let text = "";
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rng.next() * alphabet.length)];
      let expected: string[][] | null = null;
      try {
        expected = referenceRecords(text);
      } catch {
        unterminated++;
      }
      if (expected === null) expect(() => parseCsvRecords(text), JSON.stringify(text)).toThrow(/inside a quoted field/);
      else {
        expect(parseCsvRecords(text), JSON.stringify(text)).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(unterminated).toBeGreaterThan(100);
  });

  it("hands records over one at a time", () => {
    const seen: string[][] = [];
    forEachCsvRecord('h1,h2\r\n1,"a\nb"\n\n2,', (r) => seen.push(r.slice()));
    expect(seen).toEqual([
      ["h1", "h2"],
      ["1", "a\nb"],
      ["2", ""],
    ]);
  });
});
