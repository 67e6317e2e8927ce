import { describe, expect, it } from "vitest";
import { makeVolume } from "../volume";
import { mergeToLabelMap, splitLabelMap, voxelsInMask } from "./label-map";

const g = { dims: [3, 2, 1] as [number, number, number] };
describe("label maps", () => {
  it("split and merge are inverse", () => {
    const lab = makeVolume(Uint8Array.from([0, 2, 2, 5, 0, 5]), g);
    const parts = splitLabelMap(lab);
    expect(parts.map((p) => [p.number, voxelsInMask(p.mask)])).toEqual([
      [2, 2],
      [5, 2],
    ]);
    expect(Array.from(mergeToLabelMap(parts).data)).toEqual([0, 2, 2, 5, 0, 5]);
  });
  it("refuses overlapping segments", () => {
    const a = { number: 1, label: "a", mask: makeVolume(Uint8Array.from([1, 1, 0, 0, 0, 0]), g) };
    const b = { number: 2, label: "b", mask: makeVolume(Uint8Array.from([0, 1, 1, 0, 0, 0]), g) };
    expect(() => mergeToLabelMap([a, b])).toThrow(/overlap/);
  });
});
