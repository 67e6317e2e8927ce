import { describe, expect, it } from "vitest";
import { distanceToMask, squaredDistanceToVoxelRegion, squaredEdt } from "./distance-transform";
import type { Vec3 } from "./volume";

/** Deterministic PRNG so failures are reproducible. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** toFaces: distance from the voxel centre to the feature voxel's box (per axis max(0, |d| - 1/2) voxels). */
function bruteForce(mask: Uint8Array, dims: Vec3, sp: Vec3, toFaces = false): Float64Array {
  const g = (d: number) => (toFaces ? Math.max(0, Math.abs(d) - 0.5) : d);
  const [nx, ny, nz] = dims;
  const feats: number[][] = [];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        if (mask[i + j * nx + k * nx * ny]) feats.push([i, j, k]);
      }
  const out = new Float64Array(nx * ny * nz).fill(Infinity);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        let best = Infinity;
        for (const [a, b, c] of feats) {
          const d = (g(i - a) * sp[0]) ** 2 + (g(j - b) * sp[1]) ** 2 + (g(k - c) * sp[2]) ** 2;
          if (d < best) best = d;
        }
        out[i + j * nx + k * nx * ny] = best;
      }
  return out;
}

describe("squaredEdt vs brute force", () => {
  const r = rng(42);
  const cases: { dims: Vec3; sp: Vec3; density: number }[] = [];
  for (let t = 0; t < 30; t++) {
    const dims: Vec3 = [1 + Math.floor(r() * 12), 1 + Math.floor(r() * 10), 1 + Math.floor(r() * 8)];
    const integer = t % 2 === 0;
    const sp: Vec3 = integer
      ? [1 + Math.floor(r() * 3), 1 + Math.floor(r() * 3), 1 + Math.floor(r() * 4)]
      : [0.3 + r() * 2, 0.3 + r() * 2, 0.5 + r() * 4];
    cases.push({ dims, sp, density: [0.01, 0.05, 0.2, 0.6][t % 4] });
  }
  it.each([false, true])(
    "30 random masks, toFaces=%s (integer spacing: exactly equal; fractional: 1e-12 relative)",
    (toFaces) => {
      let compared = 0;
      for (const { dims, sp, density } of cases) {
        const n = dims[0] * dims[1] * dims[2];
        const m = new Uint8Array(n);
        for (let i = 0; i < n; i++) m[i] = r() < density ? 1 : 0;
        const got = toFaces ? squaredDistanceToVoxelRegion(m, dims, sp) : squaredEdt(m, dims, sp);
        const want = bruteForce(m, dims, sp, toFaces);
        const exact = sp.every(Number.isInteger);
        for (let i = 0; i < n; i++) {
          if (want[i] === Infinity || exact) expect(got[i]).toBe(want[i]);
          else expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, want[i]));
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(1000);
    },
  );

  it("single point at anisotropic spacing: distance is the physical Euclidean distance", () => {
    const dims: Vec3 = [5, 5, 5];
    const m = new Uint8Array(125);
    m[2 + 2 * 5 + 2 * 25] = 1;
    const d = distanceToMask(m, dims, [0.7, 0.7, 2]);
    expect(d[0]).toBeCloseTo(Math.hypot(1.4, 1.4, 4), 12);
    expect(d[4 + 2 * 5 + 2 * 25]).toBeCloseTo(1.4, 12);
  });

  it("empty mask gives Infinity everywhere; bad spacing throws", () => {
    expect(Array.from(squaredEdt(new Uint8Array(8), [2, 2, 2], [1, 1, 1])).every((x) => x === Infinity)).toBe(true);
    expect(() => squaredEdt(new Uint8Array(8), [2, 2, 2], [1, 0, 1])).toThrow(
      expect.objectContaining({ code: "DATA_INVALID" }),
    );
  });
});
