import { describe, expect, it } from "vitest";
import { NacError } from "@/lib/errors/nac-error";
import { discretiseIbsi, discretisePyradiomics, pyradiomicsBinEdges } from "./discretise";

function input(values: number[], mask?: number[]) {
  return {
    dims: [values.length, 1, 1] as [number, number, number],
    spacing: [1, 1, 1] as [number, number, number],
    values: Float64Array.from(values),
    mask: Uint8Array.from(mask ?? values.map(() => 1)),
  };
}

describe("IBSI discretisation", () => {
  it("FBN: floor(Nb (x - min) / (max - min)) + 1, the maximum in bin Nb", () => {
    const r = discretiseIbsi(input([0, 2.5, 4.999, 5, 7.5, 10]), { method: "FBN", nBins: 4 });
    expect(Array.from(r.levels)).toEqual([1, 2, 2, 3, 4, 4]);
    expect(r.nLevels).toBe(4);
  });

  it("FBN: a flat ROI is bin 1; voxels outside the mask stay 0", () => {
    const r = discretiseIbsi(input([7, 7, 100], [1, 1, 0]), { method: "FBN", nBins: 8 });
    expect(Array.from(r.levels)).toEqual([1, 1, 0]);
  });

  it("FBS: floor((x - lower bound) / w) + 1 from the ROI minimum or the re-segmentation bound", () => {
    const x = [-480, -455, -456, 30, 44];
    expect(Array.from(discretiseIbsi(input(x), { method: "FBS", binWidth: 25 }).levels)).toEqual([1, 2, 1, 21, 21]);
    const r = discretiseIbsi(input(x), { method: "FBS", binWidth: 25, lowerBound: -500 });
    expect(Array.from(r.levels)).toEqual([1, 2, 2, 22, 22]);
    expect(r.nLevels).toBe(22);
  });

  it("rejects invalid settings and empty masks with NacError", () => {
    expect(() => discretiseIbsi(input([1, 2]), { method: "FBN", nBins: 0 })).toThrow(NacError);
    expect(() => discretiseIbsi(input([1, 2]), { method: "FBS", binWidth: -1 })).toThrow(NacError);
    expect(() => discretiseIbsi(input([1, 2]), { method: "FBS", binWidth: 1, lowerBound: 1.5 })).toThrow(/lower bound/);
    expect(() => discretiseIbsi(input([1, 2], [0, 0]), { method: "FBN", nBins: 2 })).toThrow(/empty/);
    expect(() => discretiseIbsi(input([1, NaN]), { method: "FBN", nBins: 2 })).toThrow(/non-finite/);
  });
});

describe("pyradiomics discretisation", () => {
  it("binWidth edges start at floor(min / w) * w (pyradiomics' docstring example 54..166 -> 50..175)", () => {
    expect(Array.from(pyradiomicsBinEdges(54, 166, { binWidth: 25 }))).toEqual([50, 75, 100, 125, 150, 175, 200]);
    expect(Array.from(pyradiomicsBinEdges(-30, 10, { binWidth: 25 }))).toEqual([-50, -25, 0, 25, 50]);
    // Python's modulo, not ((x % w) + w) % w, which would give a lowest edge of -1.2e-15 here (numpy: 0.0).
    expect(pyradiomicsBinEdges(1e-3, 10, { binWidth: 25 })[0]).toBe(0);
    expect(pyradiomicsBinEdges(-1023.7, 0, { binWidth: 25 })[0]).toBe(-1025);
  });

  it("numpy.digitize semantics: half-open bins, a maximum on an edge opens its own bin", () => {
    const r = discretisePyradiomics(input([54, 74.9, 75, 166, 175]), { binWidth: 25 });
    expect(Array.from(r.levels)).toEqual([1, 1, 2, 5, 6]);
    expect(r.nLevels).toBe(6);
  });

  it("binCount: numpy.histogram edges with the top edge + 1, so the maximum lands in the last bin", () => {
    const edges = pyradiomicsBinEdges(0, 10, { binCount: 4 });
    expect(Array.from(edges)).toEqual([0, 2.5, 5, 7.5, 11]);
    const r = discretisePyradiomics(input([0, 2.5, 9.99, 10]), { binCount: 4 });
    expect(Array.from(r.levels)).toEqual([1, 2, 4, 4]);
  });

  it("binCount on a flat ROI uses numpy's (min - 0.5, max + 0.5) range", () => {
    const r = discretisePyradiomics(input([3, 3, 3]), { binCount: 2 });
    expect(Array.from(r.levels)).toEqual([2, 2, 2]);
  });
});
