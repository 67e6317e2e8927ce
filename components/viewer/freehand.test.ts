import { describe, expect, it } from "vitest";
import { countSet, fillPolygon } from "./freehand";

describe("fillPolygon", () => {
  it("fills exactly the pixels whose centres are inside an axis-aligned square", () => {
    // square from (2,3) to (6,8): centres 2.5..5.5 in x (4 columns), 3.5..7.5 in y (5 rows)
    const m = fillPolygon(
      [
        [2, 3],
        [6, 3],
        [6, 8],
        [2, 8],
      ],
      10,
      10,
    );
    expect(countSet(m)).toBe(20);
    expect(m[3 * 10 + 2]).toBe(1);
    expect(m[7 * 10 + 5]).toBe(1);
    expect(m[8 * 10 + 5]).toBe(0);
    expect(m[3 * 10 + 6]).toBe(0);
  });

  it("approximates a circle's area and leaves the outside empty", () => {
    const pts: [number, number][] = [];
    for (let t = 0; t < 200; t++)
      pts.push([50 + 20 * Math.cos((2 * Math.PI * t) / 200), 40 + 20 * Math.sin((2 * Math.PI * t) / 200)]);
    const m = fillPolygon(pts, 100, 80);
    expect(Math.abs(countSet(m) - Math.PI * 400) / (Math.PI * 400)).toBeLessThan(0.02);
    expect(m[40 * 100 + 50]).toBe(1);
    expect(m[40 * 100 + 75]).toBe(0);
  });

  it("even-odd: a self-crossing figure-eight fills both lobes, and the outline is clipped to the slice", () => {
    const m = fillPolygon(
      [
        [0, 0],
        [4, 4],
        [4, 0],
        [0, 4],
      ],
      4,
      4,
    ); // bow tie: two triangles meeting at (2,2)
    expect(m[0 * 4 + 1]).toBe(0); // between the lobes, above the crossing
    expect(m[2 * 4 + 0]).toBe(1); // left lobe
    expect(m[2 * 4 + 3]).toBe(1); // right lobe
    const clipped = fillPolygon(
      [
        [-5, -5],
        [15, -5],
        [15, 15],
        [-5, 15],
      ],
      6,
      4,
    );
    expect(countSet(clipped)).toBe(24);
  });

  it("returns an empty mask for fewer than three points and refuses NaN points", () => {
    expect(
      countSet(
        fillPolygon(
          [
            [1, 1],
            [3, 3],
          ],
          5,
          5,
        ),
      ),
    ).toBe(0);
    expect(() =>
      fillPolygon(
        [
          [1, 1],
          [NaN, 3],
          [2, 2],
        ],
        5,
        5,
      ),
    ).toThrow(/non-finite/);
  });
});
