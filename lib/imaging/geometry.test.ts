import { describe, expect, it } from "vitest";
import { assertSameGeometry, geometryDifferences, indexToLps, lpsToIndex, sameGeometry } from "./geometry";
import type { Geometry } from "./volume";

const c = Math.cos(0.2),
  s = Math.sin(0.2);
const g: Geometry = {
  dims: [512, 512, 160],
  spacing: [0.7, 0.7, 2],
  origin: [-180, -150.5, 40],
  direction: [c, s, 0, -s, c, 0, 0, 0, 1],
};

describe("index <-> LPS", () => {
  it("follows the Volume convention and inverts exactly", () => {
    expect(indexToLps(g, [0, 0, 0])).toEqual(g.origin);
    const p = indexToLps(g, [10, 0, 0]);
    expect(p[0]).toBeCloseTo(-180 + 7 * c, 12);
    expect(p[1]).toBeCloseTo(-150.5 + 7 * s, 12);
    const q = indexToLps(g, [3.5, 100.25, 7]);
    lpsToIndex(g, q).forEach((x, i) => expect(x).toBeCloseTo([3.5, 100.25, 7][i], 10));
  });
});

describe("geometry comparison (tolerance 1e-3 x min spacing)", () => {
  it("accepts float32-level noise", () => {
    const h: Geometry = {
      ...g,
      spacing: [Math.fround(0.7), Math.fround(0.7), 2],
      origin: g.origin.map(Math.fround) as Geometry["origin"],
    };
    expect(geometryDifferences(h, g)).toEqual([]);
    expect(sameGeometry(h, g)).toBe(true);
  });

  it("names each difference", () => {
    expect(geometryDifferences({ ...g, dims: [512, 512, 161] }, g)[0]).toMatch(/dims 512x512x161 vs 512x512x160/);
    const shifted = geometryDifferences({ ...g, origin: [-180, -150.5, 41] }, g);
    expect(shifted.join(";")).toMatch(/origin .* 1 mm apart/);
    // 0.1% spacing error accumulates to 0.36 mm at the far edge: reported.
    const sp = geometryDifferences({ ...g, spacing: [0.7007, 0.7, 2] }, g);
    expect(sp.join(";")).toMatch(/last voxel along i/);
    const tilt = geometryDifferences({ ...g, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] }, g);
    expect(tilt.join(";")).toMatch(/direction of axis i/);
  });

  it("assertSameGeometry throws GEOMETRY_MISMATCH with the differences", () => {
    expect(() => assertSameGeometry({ ...g, origin: [0, 0, 0] }, g)).toThrow(
      expect.objectContaining({ code: "GEOMETRY_MISMATCH", message: expect.stringMatching(/origin/) }),
    );
    expect(() => assertSameGeometry(g, g)).not.toThrow();
  });

  it("checks spacing and direction of a single-slice axis", () => {
    const a: Geometry = { ...g, dims: [4, 4, 1] };
    expect(geometryDifferences({ ...a, spacing: [0.7, 0.7, 3] }, a).join(";")).toMatch(/spacing/);
  });
});
