import { describe, expect, it } from "vitest";
import type { DicomJson } from "./dicom-json";
import { streamedSeriesGeometry } from "./streamed-series";

/** Metadata of an axial series (as WADO-RS returns it) with slices given in a shuffled order. */
function series(zs: number[], extra: (z: number) => DicomJson = () => ({})): DicomJson[] {
  return zs.map((z, i) => ({
    "00080018": { vr: "UI", Value: [`1.2.3.${i}`] },
    "00080060": { vr: "CS", Value: ["MR"] },
    "00200032": { vr: "DS", Value: [-100, -120, z] },
    "00200037": { vr: "DS", Value: [1, 0, 0, 0, 1, 0] },
    "00280010": { vr: "US", Value: [64] },
    "00280011": { vr: "US", Value: [48] },
    "00280030": { vr: "DS", Value: [0.8, 0.7] },
    "00200052": { vr: "UI", Value: ["1.2.9"] },
    ...extra(z),
  }));
}

describe("streamedSeriesGeometry", () => {
  it("orders slices along the normal and gives the volume's dims, spacing, origin and direction", () => {
    const g = streamedSeriesGeometry(series([4, 0, 2, 6]));
    expect(g.dims).toEqual([48, 64, 4]);
    expect(g.spacing).toEqual([0.7, 0.8, 2]);
    expect(g.origin).toEqual([-100, -120, 0]);
    expect(g.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(g.sopInstanceUids).toEqual(["1.2.3.1", "1.2.3.2", "1.2.3.0", "1.2.3.3"]);
    expect(g.frameOfReferenceUid).toBe("1.2.9");
  });

  it("refuses a series with a missing slice, two images at one position, or no instances", () => {
    expect(() => streamedSeriesGeometry(series([0, 2, 6]))).toThrow(/not evenly spaced/);
    expect(() => streamedSeriesGeometry(series([0, 2, 2]))).toThrow(/share a slice position/);
    expect(() => streamedSeriesGeometry([])).toThrow(expect.objectContaining({ code: "PACS_NOT_FOUND" }));
    expect(() => streamedSeriesGeometry(series([0, 2], () => ({ "00280008": { vr: "IS", Value: [5] } })))).toThrow(
      /multi-frame/,
    );
  });
});
