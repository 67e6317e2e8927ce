import { describe, expect, it } from "vitest";
import { interpolateSlices } from "./slice-interpolation";
import type { Vec3 } from "./volume";

const DIMS: Vec3 = [48, 40, 9];
const SP: Vec3 = [0.8, 0.8, 3];
const plane = DIMS[0] * DIMS[1];

/** Draws a disc (centre and radius in mm, pixel centres at index * spacing) on slice k. */
function disc(m: Uint8Array, k: number, cx: number, cy: number, r: number, value = 1): void {
  for (let y = 0; y < DIMS[1]; y++)
    for (let x = 0; x < DIMS[0]; x++) {
      if ((x * SP[0] - cx) ** 2 + (y * SP[1] - cy) ** 2 <= r * r) m[k * plane + y * DIMS[0] + x] = value;
    }
}

function sliceStats(m: Uint8Array, k: number): { n: number; cx: number; cy: number } {
  let n = 0,
    sx = 0,
    sy = 0;
  for (let y = 0; y < DIMS[1]; y++)
    for (let x = 0; x < DIMS[0]; x++) {
      if (m[k * plane + y * DIMS[0] + x]) {
        n++;
        sx += x * SP[0];
        sy += y * SP[1];
      }
    }
  return { n, cx: sx / n, cy: sy / n };
}

describe("interpolateSlices (shape-based, Raya & Udupa)", () => {
  it("two discs of different radii 4 slices apart: intermediate radii linear within a pixel, discs round", () => {
    const m = new Uint8Array(plane * DIMS[2]);
    disc(m, 2, 19.3, 15.7, 12);
    disc(m, 6, 19.3, 15.7, 4);
    const before = m.slice();
    const res = interpolateSlices(m, DIMS, SP);
    expect(m).toEqual(before); // input untouched
    expect(res.drawnSlices).toEqual([2, 6]);
    expect(res.filled.map((f) => f.slice)).toEqual([3, 4, 5]);
    expect(res.reason).toBeUndefined();
    for (const k of [2, 6])
      expect(res.mask.subarray(k * plane, (k + 1) * plane)).toEqual(m.subarray(k * plane, (k + 1) * plane));
    for (const [k, r] of [
      [3, 10],
      [4, 8],
      [5, 6],
    ]) {
      const { n, cx, cy } = sliceStats(res.mask, k);
      expect(res.filled.find((f) => f.slice === k)?.voxels).toBe(n);
      const rEst = Math.sqrt((n * SP[0] * SP[1]) / Math.PI);
      expect(Math.abs(rEst - r)).toBeLessThan(SP[0]);
      expect(Math.hypot(cx - 19.3, cy - 15.7)).toBeLessThan(SP[0] / 2);
      // Round: every pixel within r - 1 pixel is set, none beyond r + 1 pixel.
      let wrong = 0;
      for (let y = 0; y < DIMS[1]; y++)
        for (let x = 0; x < DIMS[0]; x++) {
          const d = Math.hypot(x * SP[0] - 19.3, y * SP[1] - 15.7),
            v = res.mask[k * plane + y * DIMS[0] + x];
          if ((d <= r - SP[0] && v !== 1) || (d >= r + SP[0] && v !== 0)) wrong++;
        }
      expect(wrong).toBe(0);
    }
    // Untouched outside the drawn range.
    for (const k of [0, 1, 7, 8]) expect(sliceStats(res.mask, k).n).toBe(0);
  });

  it("identical shapes are copied exactly; drawn values kept, filled pixels get the label", () => {
    let s = 99;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const m = new Uint8Array(plane * DIMS[2]);
    for (let y = 10; y < 30; y++) for (let x = 8; x < 40; x++) if (rnd() < 0.5) m[1 * plane + y * DIMS[0] + x] = 3;
    m.copyWithin(5 * plane, 1 * plane, 2 * plane);
    const res = interpolateSlices(m, DIMS, SP, { label: 7 });
    expect(res.filled.map((f) => f.slice)).toEqual([2, 3, 4]);
    for (const k of [2, 3, 4]) {
      const got = Array.from(res.mask.subarray(k * plane, (k + 1) * plane), (v) => (v ? 1 : 0));
      const want = Array.from(m.subarray(1 * plane, 2 * plane), (v) => (v ? 1 : 0));
      expect(got).toEqual(want);
      expect(res.mask.subarray(k * plane, (k + 1) * plane).every((v) => v === 0 || v === 7)).toBe(true);
    }
    expect(res.mask.subarray(1 * plane, 2 * plane)).toEqual(m.subarray(1 * plane, 2 * plane));
  });

  it("shifted shapes: intermediate centres move linearly (within half a pixel)", () => {
    const m = new Uint8Array(plane * DIMS[2]);
    disc(m, 0, 14, 14, 7); // overlapping shapes (a shift of 6.7 mm, radius 7 mm)
    disc(m, 4, 20, 17, 7);
    const res = interpolateSlices(m, DIMS, SP);
    expect(res.filled.map((f) => f.slice)).toEqual([1, 2, 3]);
    const a = sliceStats(m, 0),
      b = sliceStats(m, 4);
    for (const k of [1, 2, 3]) {
      const t = k / 4,
        c = sliceStats(res.mask, k);
      expect(c.n).toBeGreaterThan(0);
      expect(Math.abs(c.cx - ((1 - t) * a.cx + t * b.cx))).toBeLessThan(SP[0] / 2);
      expect(Math.abs(c.cy - ((1 - t) * a.cy + t * b.cy))).toBeLessThan(SP[1] / 2);
    }
  });

  it("several gaps of different lengths, and a gap of 0 leaves the mask unchanged", () => {
    const m = new Uint8Array(plane * DIMS[2]);
    disc(m, 0, 19, 16, 8);
    disc(m, 1, 19, 16, 7);
    disc(m, 3, 19, 16, 5);
    disc(m, 8, 19, 16, 10);
    const res = interpolateSlices(m, DIMS, SP);
    expect(res.drawnSlices).toEqual([0, 1, 3, 8]);
    expect(res.filled.map((f) => f.slice)).toEqual([2, 4, 5, 6, 7]);
    const n = (k: number) => sliceStats(res.mask, k).n;
    expect(n(2)).toBeGreaterThan(n(3));
    expect(n(2)).toBeLessThan(n(1));
    for (let k = 4; k < 8; k++) expect(n(k)).toBeGreaterThan(n(k - 1)); // 5 mm growing to 10 mm

    const adjacent = new Uint8Array(plane * DIMS[2]);
    disc(adjacent, 3, 19, 16, 8);
    disc(adjacent, 4, 19, 16, 3);
    const r2 = interpolateSlices(adjacent, DIMS, SP);
    expect(r2.mask).toEqual(adjacent);
    expect(r2.filled).toEqual([]);
    expect(r2.reason).toMatch(/adjacent/);
  });

  it("disjoint shapes shrink towards their own slice; a shape filling a whole slice stays finite (no NaN)", () => {
    const m = new Uint8Array(plane * DIMS[2]);
    disc(m, 0, 12, 16, 5); // 4 mm apart at their edges
    disc(m, 4, 26, 16, 5);
    const res = interpolateSlices(m, DIMS, SP);
    const near = sliceStats(res.mask, 1),
      far = sliceStats(res.mask, 3);
    expect(near.n).toBeGreaterThan(0);
    expect(near.n).toBeLessThan(sliceStats(m, 0).n);
    expect(Math.abs(near.cx - 12)).toBeLessThan(2); // stays at its own place, does not jump across
    expect(Math.abs(far.cx - 26)).toBeLessThan(2);
    expect(sliceStats(res.mask, 2).n).toBe(0); // midway: neither shape (the method's known behaviour)

    const full = new Uint8Array(plane * DIMS[2]);
    full.fill(1, 0, plane);
    disc(full, 2, 19, 16, 4);
    const rf = interpolateSlices(full, DIMS, SP);
    const mid = sliceStats(rf.mask, 1).n;
    expect(mid).toBeGreaterThan(sliceStats(full, 2).n);
    expect(mid).toBeLessThan(plane);
  });

  it("fewer than two drawn slices is a no-op with a reason; bad input is a clear error", () => {
    const empty = new Uint8Array(plane * DIMS[2]);
    const r0 = interpolateSlices(empty, DIMS, SP);
    expect(r0.filled).toEqual([]);
    expect(r0.reason).toMatch(/at least two drawn slices.*found 0/);
    disc(empty, 4, 19, 16, 6);
    const r1 = interpolateSlices(empty, DIMS, SP);
    expect(r1.mask).toEqual(empty);
    expect(r1.drawnSlices).toEqual([4]);
    expect(r1.reason).toMatch(/found 1/);
    expect(() => interpolateSlices(new Uint8Array(5), DIMS, SP)).toThrow(
      expect.objectContaining({ code: "DATA_INVALID" }),
    );
    expect(() => interpolateSlices(empty, DIMS, [0.8, Number.NaN, 3])).toThrow(
      expect.objectContaining({ code: "DATA_INVALID" }),
    );
    expect(() => interpolateSlices(empty, DIMS, SP, { label: 0 })).toThrow(
      expect.objectContaining({ code: "SETTINGS_INVALID" }),
    );
  });
});
