import { describe, expect, it } from "vitest";
import { formatCsv, parseNumericCsv } from "./csv";
import { decodeUbjson, encodeUbjson } from "./ubjson";

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? Array.from(p, (c) => c.charCodeAt(0)) : p)));

describe("UBJSON decoder", () => {
  it("decodes scalars, strings, uncounted/counted/typed containers, no-ops and high-precision numbers", () => {
    // {"a": [i 1, U 200, I -2, Z, T, F, C x], "b": [$d #i 2 1.5 -2.0], "s": "hé", "h": H "1e300"} with N no-ops
    const doc = bytes(
      "{",
      [0x69, 1],
      "a",
      "[",
      "i",
      [1],
      "U",
      [200],
      "I",
      [0xff, 0xfe],
      "N",
      "Z",
      "T",
      "F",
      "C",
      "x",
      "]",
      [0x69, 1],
      "b",
      "[$d#",
      "i",
      [2],
      [0x3f, 0xc0, 0, 0],
      [0xc0, 0, 0, 0],
      [0x69, 1],
      "s",
      "S",
      "i",
      [3],
      [0x68, 0xc3, 0xa9],
      "N",
      [0x69, 1],
      "h",
      "H",
      "i",
      [5],
      "1e300",
      "}",
    );
    const v = decodeUbjson(doc) as Record<string, unknown>;
    expect(v.a).toEqual([1, 200, -2, null, true, false, "x"]);
    expect(v.b).toBeInstanceOf(Float32Array);
    expect(Array.from(v.b as Float32Array)).toEqual([1.5, -2]);
    expect(v.s).toBe("hé");
    expect(v.h).toBe(1e300);
  });

  it("rejects truncated, unknown and trailing data with MODEL_INVALID", () => {
    expect(() => decodeUbjson(bytes("[", "i", [1]))).toThrow(/end of data/);
    expect(() => decodeUbjson(bytes("[", "X", "]"))).toThrow(/unknown type marker/);
    expect(() => decodeUbjson(bytes("T", "T"))).toThrow(/trailing/);
    expect(() => decodeUbjson(bytes("[$d", "]"))).toThrow(/without count/);
  });

  it("encodes in XGBoost's dialect and round-trips", () => {
    const v = { x: [1, -3, 2.5], y: new Int32Array([5, -6]), z: new Uint8Array([1, 0]), w: "ok", n: null, t: true };
    const enc = encodeUbjson(v);
    expect(String.fromCharCode(enc[0])).toBe("{");
    expect(String.fromCharCode(enc[enc.length - 1])).toBe("}");
    const back = decodeUbjson(enc) as Record<string, unknown>;
    expect(back.x).toEqual([1, -3, 2.5]);
    expect(Array.from(back.y as Int32Array)).toEqual([5, -6]);
    expect(Array.from(back.z as Uint8Array)).toEqual([1, 0]);
    expect([back.w, back.n, back.t]).toEqual(["ok", null, true]);
  });
});

describe("numeric CSV", () => {
  it("reads empty/NaN/NA as missing, quoted fields, CRLF; writes shortest round-trip numbers", () => {
    const t = parseNumericCsv('a,"b, c",d\r\n1,,NaN\r\n"2.5",NA,-0.1\r\n');
    expect(t.header).toEqual(["a", "b, c", "d"]);
    expect(Array.from(t.matrix.data)).toEqual([1, NaN, NaN, 2.5, NaN, -0.1]);
    const x = Math.fround(0.1);
    const out = formatCsv(["v", "m"], 1, 2, [x, NaN]);
    expect(out).toBe(`v,m\n${String(x)},\n`);
    expect(Number(out.split("\n")[1].split(",")[0])).toBe(x);
  });

  it("rejects ragged rows and non-numeric fields with the line number", () => {
    expect(() => parseNumericCsv("a,b\n1\n")).toThrow(/line 2 has 1 fields/);
    expect(() => parseNumericCsv("a,b\n1,2\n3,x\n")).toThrow(/line 3, column "b": "x"/);
    expect(() => parseNumericCsv("")).toThrow(/empty/);
  });
});
