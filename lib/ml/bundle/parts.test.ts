import { describe, expect, it } from "vitest";
import { matrixFromRows } from "../matrix";
import { canonicalJson } from "../../hash/canonical-json";
import { summariseFeatures } from "./training-summary";

describe("canonical JSON", () => {
  it("sorts keys at every level, drops undefined, and is stable under parse/stringify", () => {
    const v = { b: [3, { z: 1, a: 0.1 }], a: "x", u: undefined, c: null, t: new Float64Array([0.5, 2]) };
    const s = canonicalJson(v);
    expect(s).toBe('{"a":"x","b":[3,{"a":0.1,"z":1}],"c":null,"t":[0.5,2]}');
    expect(canonicalJson(JSON.parse(s))).toBe(s);
    expect(canonicalJson({ x: 1 / 3 })).toBe(canonicalJson(JSON.parse(JSON.stringify({ x: 1 / 3 }))));
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
  });
});

describe("training summary", () => {
  it("matches numpy's default (linear) quantiles, by hand", () => {
    // Column a: 1..5 plus one missing. numpy.percentile([1,2,3,4,5], q): h = 4q -> q05 = 1.2, q25 = 2, q95 = 4.8.
    const X = matrixFromRows([
      [1, 10],
      [2, 10],
      [3, 10],
      [4, 10],
      [5, 10],
      [Number.NaN, 10],
    ]);
    const s = summariseFeatures(X, ["a", "b"]);
    expect(s.a).toEqual({
      n: 5,
      missing: 1,
      min: 1,
      max: 5,
      mean: 3,
      sd: Math.sqrt(2.5),
      q05: 1.2,
      q25: 2,
      q50: 3,
      q75: 4,
      q95: expect.closeTo(4.8, 12),
    });
    expect(s.b.sd).toBe(0);
    expect(() => summariseFeatures(matrixFromRows([[Number.NaN]]), ["c"])).toThrow(/no value/);
  });
});
