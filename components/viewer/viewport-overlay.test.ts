import { describe, expect, it } from "vitest";
import { directionLetters, overlayOf } from "./viewport-overlay";

describe("viewport overlay", () => {
  it("labels an axial view (viewUp −Y = anterior up, normal −Z looking from the feet) radiologically", () => {
    // Cornerstone's default axial camera: viewUp [0,-1,0], viewPlaneNormal [0,0,-1]
    const o = overlayOf(
      { viewUp: [0, -1, 0], viewPlaneNormal: [0, 0, -1], focalPoint: [10, 20, -42.5] },
      { lower: 100, upper: 500 },
    );
    expect(o.markers).toEqual({ top: "A", bottom: "P", left: "R", right: "L" });
    expect(o.window).toEqual({ width: 400, level: 300 });
    expect(o.positionMm).toBeCloseTo(42.5);
  });

  it("labels a sagittal view and oblique directions, dominant axis first", () => {
    const o = overlayOf({ viewUp: [0, 0, 1], viewPlaneNormal: [1, 0, 0], focalPoint: [0, 0, 0] }, undefined);
    expect(o.markers?.top).toBe("S");
    expect(o.markers?.bottom).toBe("I");
    expect(o.window).toBeNull();
    expect(directionLetters([0.3, -0.9, 0.1])).toBe("AL");
  });
});

import { percentileRange } from "./presets";

describe("percentile window presets", () => {
  it("takes the window from percentiles across all slices, sampled", () => {
    const a = Float32Array.from({ length: 1000 }, (_, k) => k); // 0..999
    const b = Float32Array.from({ length: 1000 }, (_, k) => 1000 + k); // 1000..1999
    const r = percentileRange([a, b], 5, 95)!;
    expect(r.lower).toBeCloseTo(100, -1);
    expect(r.upper).toBeCloseTo(1900, -1);
    const sampled = percentileRange([a, b], 1, 99, 100)!;
    expect(sampled.lower).toBeLessThan(60);
    expect(sampled.upper).toBeGreaterThan(1940);
    expect(percentileRange([], 1, 99)).toBeNull();
    expect(percentileRange([new Float32Array(10).fill(7)], 1, 99)).toEqual({ lower: 6.5, upper: 7.5 });
  });
});
