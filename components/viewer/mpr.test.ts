import { describe, expect, it } from "vitest";
import { maskCentroidWorld } from "./mpr";

describe("maskCentroidWorld", () => {
  it("maps the voxel centroid through spacing, direction and origin", () => {
    const dims = [4, 3, 2];
    const mask = new Uint8Array(24);
    mask[1 + 2 * 4 + 1 * 12] = 1; // (i, j, k) = (1, 2, 1)
    mask[3 + 2 * 4 + 1 * 12] = 1; // (3, 2, 1) → centroid (2, 2, 1)
    // i along -x, j along +z, k along +y (a non-identity orientation catches a transposed direction)
    const g = { dims, spacing: [0.5, 2, 3], origin: [10, 20, 30], direction: [-1, 0, 0, 0, 0, 1, 0, 1, 0] };
    expect(maskCentroidWorld(mask, g)).toEqual([10 - 2 * 0.5, 20 + 1 * 3, 30 + 2 * 2]);
  });

  it("is null for an empty mask and refuses a mask of the wrong size", () => {
    const g = { dims: [2, 2, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    expect(maskCentroidWorld(new Uint8Array(8), g)).toBeNull();
    expect(() => maskCentroidWorld(new Uint8Array(7), g)).toThrow(/7 voxels/);
  });
});
