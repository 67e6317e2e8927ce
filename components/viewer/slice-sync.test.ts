import { describe, expect, it } from "vitest";
import { correspondingSlice } from "./slice-sync";

const axial = (origin: number[], sz: number, n: number) => ({
  dims: [256, 256, n],
  spacing: [0.7, 0.7, sz],
  origin,
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
});

describe("correspondingSlice", () => {
  it("maps a 1.5 mm CE-T1 slice to the nearest 3 mm T2 slice of the same frame of reference", () => {
    const ce = axial([0, 0, -40], 1.5, 56);
    const t2 = axial([0, 0, -40.5], 3, 28);
    expect(correspondingSlice(ce, 0, t2)).toBe(0);
    expect(correspondingSlice(ce, 20, t2)).toBe(10); // z = -10 -> (−10 + 40.5)/3 = 10.17
    expect(correspondingSlice(ce, 54, t2)).toBe(27); // z = 41 -> 27.17
    expect(correspondingSlice(ce, 55, t2)).toBeNull(); // z = 42.5: 2 mm past the last T2 slice centre (> half a slice)
  });

  it("returns null outside the other series", () => {
    const a = axial([0, 0, 0], 2, 10);
    const b = axial([0, 0, 100], 2, 10);
    expect(correspondingSlice(a, 3, b)).toBeNull();
  });

  it("follows the slice normal, not the z index, for reversed stacks", () => {
    const a = axial([0, 0, 0], 2, 10);
    const b = { ...axial([0, 0, 18], 2, 10), direction: [1, 0, 0, 0, -1, 0, 0, 0, -1] };
    expect(correspondingSlice(a, 0, b)).toBe(9);
    expect(correspondingSlice(a, 9, b)).toBe(0);
  });
});
