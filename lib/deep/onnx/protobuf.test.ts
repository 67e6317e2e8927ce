import { describe, expect, it } from "vitest";
import { PbWriter } from "./protobuf";

describe("PbWriter", () => {
  it("encodes varints, negative int64, strings, floats and nested messages per the wire format", () => {
    const inner = new PbWriter().int(1, 150);
    const w = new PbWriter().int(1, 300).int(2, -1).string(3, "hi").float(4, 1).message(5, inner);
    expect(Array.from(w.finish())).toEqual([
      0x08,
      0xac,
      0x02, // field 1 varint 300
      0x10,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01, // field 2 = -1 as 10-byte varint
      0x1a,
      0x02,
      0x68,
      0x69, // field 3 "hi"
      0x25,
      0x00,
      0x00,
      0x80,
      0x3f, // field 4 fixed32 1.0f
      0x2a,
      0x03,
      0x08,
      0x96,
      0x01, // field 5 { field 1: 150 }
    ]);
  });

  it("reports the exact length of chunked content", () => {
    const big = new Uint8Array(1000).fill(7);
    const w = new PbWriter().bytes(1, big).int(2, 1);
    expect(w.length).toBe(1 + 2 + 1000 + 2);
    expect(w.finish().length).toBe(w.length);
  });
});
