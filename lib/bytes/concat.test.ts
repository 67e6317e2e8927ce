import { describe, expect, it } from "vitest";
import { concatBytes } from "./concat";

describe("concatBytes", () => {
  it("joins chunks in order into a new array", () => {
    const a = new Uint8Array([1, 2]);
    const out = concatBytes([a, new Uint8Array(0), new Uint8Array([3])]);
    expect([...out]).toEqual([1, 2, 3]);
    a[0] = 9;
    expect(out[0]).toBe(1);
  });
  it("copies views at their offset", () => {
    const buf = new Uint8Array([0, 1, 2, 3, 4]);
    expect([...concatBytes([buf.subarray(3), buf.subarray(1, 2)])]).toEqual([3, 4, 1]);
  });
});
