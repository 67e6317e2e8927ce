import { describe, expect, it } from "vitest";
import { convexHull } from "./convex-hull";

describe("convexHull", () => {
  it("measures a box given with many interior and coplanar points", () => {
    const pts: number[] = [];
    for (let z = 0; z <= 4; z++) for (let y = 0; y <= 6; y++) for (let x = 0; x <= 2; x++) pts.push(x, y, z);
    const h = convexHull(Int32Array.from(pts), [2, 2, 2]); // half-index units: box 1 x 3 x 2 mm after scaling by 1
    expect(h.volume).toBeCloseTo((2 * 6 * 4) / 1, 9 - 9 + 9);
    expect(h.area).toBeCloseTo(2 * (2 * 6 + 2 * 4 + 6 * 4), 9);
  });
  it("measures an octahedron with anisotropic spacing", () => {
    const pts = Int32Array.from([1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0]);
    const h = convexHull(pts, [2, 4, 6]); // semi-axes 1, 2, 3 mm
    expect(h.volume).toBeCloseTo((4 / 3) * 1 * 2 * 3, 9);
  });
});
