import { describe, expect, it } from "vitest";
import { TRIANGLES, EDGES } from "./marching-cubes-table";
import { meshSummary } from "./mesh";

describe("marching-cubes table", () => {
  it("gives every configuration a surface whose boundary is exactly the cube faces' crossing segments", () => {
    for (let c = 1; c < 255; c++) {
      const t = TRIANGLES[c];
      expect(t.length % 3).toBe(0);
      expect(t.length).toBeGreaterThan(0);
      // Every used edge must be a crossing edge.
      for (const e of t) {
        const [u, v] = EDGES[e];
        expect(((c >> u) & 1) !== ((c >> v) & 1)).toBe(true);
      }
    }
    expect(TRIANGLES[0].length).toBe(0);
    expect(TRIANGLES[255].length).toBe(0);
  });
});

describe("marching-cubes ambiguity rules (pyradiomics' classic table)", () => {
  const edgesOf = (c: number) => [...new Set(TRIANGLES[c])].sort((a, b) => a - b);
  it("cuts off the set corners of a reduced configuration separately on an ambiguous face", () => {
    // Corners 0 and 2 set (face diagonal): two separate corner triangles.
    expect(TRIANGLES[0b101].length).toBe(6);
    // Corners 5 and 7 unset, all others set except 7 (reduced case 0b01011111): the set corners are cut off, so the
    // two unset corners are joined by one hexagonal tunnel (4 triangles), not two corner triangles.
    expect(edgesOf(0b01011111)).toEqual([4, 5, 6, 7, 9, 11]);
    expect(TRIANGLES[0b01011111].length).toBe(12);
  });
  it("treats a configuration and its complement as the same surface with opposite orientation", () => {
    for (let c = 1; c < 128; c++) expect(edgesOf(c ^ 0xff)).toEqual(edgesOf(c));
  });
});

describe("meshSummary", () => {
  it("gives the octahedron of a single voxel", () => {
    const m = meshSummary(Uint8Array.of(1), [1, 1, 1], [1, 1, 1]);
    expect(m.volume).toBeCloseTo((1 / 6) * 1, 12); // octahedron with half-diagonals 0.5: (4/3)*0.5^3
    expect(m.area).toBeCloseTo(Math.sqrt(3), 12);
    expect(m.vertices.length / 3).toBe(6);
  });
  it("scales with anisotropic spacing and is closed for a solid block", () => {
    const dims: [number, number, number] = [4, 3, 5];
    const mask = new Uint8Array(60).fill(1);
    const a = meshSummary(mask, dims, [1, 1, 1]);
    const b = meshSummary(mask, dims, [2, 3, 0.5]);
    expect(b.volume).toBeCloseTo(a.volume * 3, 9);
    // A block's mesh volume is its voxel volume minus the chamfered edges and corners.
    expect(a.volume).toBeLessThan(60);
    expect(a.volume).toBeGreaterThan(50);
  });
  it("gives the same area for a random mask and its translate inside a larger box", () => {
    const dims: [number, number, number] = [6, 6, 6];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const mask = new Uint8Array(216).map(() => (rnd() < 0.5 ? 1 : 0));
    const big = new Uint8Array(9 * 9 * 9);
    for (let z = 0; z < 6; z++)
      for (let y = 0; y < 6; y++)
        for (let x = 0; x < 6; x++) big[x + 2 + 9 * (y + 1 + 9 * (z + 3))] = mask[x + 6 * (y + 6 * z)];
    const a = meshSummary(mask, dims, [1, 1.5, 2]);
    const b = meshSummary(big, [9, 9, 9], [1, 1.5, 2]);
    expect(b.area).toBeCloseTo(a.area, 9);
    // The volume agrees once both are summed in the same frame.
    const c = meshSummary(big, [9, 9, 9], [1, 1.5, 2], [-1, 0, -2]);
    expect(c.volume).toBeCloseTo(meshSummary(mask, dims, [1, 1.5, 2], [1, 1, 1]).volume, 9);
  });
  it("gives a frame-independent volume for a digitised ball (closed surface)", () => {
    const n = 11;
    const ball = new Uint8Array(n * n * n);
    for (let z = 0; z < n; z++)
      for (let y = 0; y < n; y++)
        for (let x = 0; x < n; x++) {
          if ((x - 5) ** 2 + (y - 5) ** 2 + (z - 5) ** 2 <= 16) ball[x + n * (y + n * z)] = 1;
        }
    const a = meshSummary(ball, [n, n, n], [1, 1, 1], [0, 0, 0]);
    const b = meshSummary(ball, [n, n, n], [1, 1, 1], [10, -3, 7]);
    expect(b.volume).toBeCloseTo(a.volume, 9);
    expect(a.volume).toBeGreaterThan(0.9 * (4 / 3) * Math.PI * 64);
    expect(a.volume).toBeLessThan(1.1 * (4 / 3) * Math.PI * 64);
  });
});
