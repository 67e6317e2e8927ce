import { describe, expect, it } from "vitest";
import { measurementOf } from "./measurements";

const ids = ["img-a", "img-b", "img-c"];

describe("measurementOf", () => {
  it("turns a bidirectional annotation into long and short axes in mm, with its slice", () => {
    const m = measurementOf(
      {
        annotationUID: "u1",
        metadata: { toolName: "Bidirectional", referencedImageId: "img-b" },
        data: {
          handles: {
            points: [
              [0, 0, 5],
              [30, 40, 5],
              [10, 0, 5],
              [10, 12, 5],
            ],
          },
        },
      },
      ids,
    );
    expect(m).toMatchObject({ uid: "u1", kind: "bidirectional", lengthMm: 50, widthMm: 12, where: "axial slice 2" });
  });

  it("keeps lengths single-axis and ignores other tools and other series", () => {
    const base = {
      annotationUID: "u2",
      data: {
        handles: {
          points: [
            [0, 0, 0],
            [3, 4, 0],
          ],
        },
      },
    };
    expect(measurementOf({ ...base, metadata: { toolName: "Length", referencedImageId: "img-a" } }, ids)).toMatchObject(
      { kind: "length", lengthMm: 5, widthMm: null },
    );
    expect(measurementOf({ ...base, metadata: { toolName: "Probe", referencedImageId: "img-a" } }, ids)).toBeNull();
    expect(measurementOf({ ...base, metadata: { toolName: "Length", referencedImageId: "other" } }, ids)).toBeNull();
  });
});
