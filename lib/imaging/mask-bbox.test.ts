import { describe, expect, it } from "vitest";
import { cropBinary, labelsPresent, maskBoundingBox } from "./mask-bbox";
import { makeVolume, type Vec3 } from "./volume";

describe("maskBoundingBox / cropBinary", () => {
  it("finds the box and count, per label, also for unaligned views and odd lengths", () => {
    const dims: Vec3 = [7, 5, 3];
    const buf = new Uint8Array(1 + 105);
    const data = buf.subarray(1); // byteOffset 1: unaligned path
    data[2 + 1 * 7 + 0 * 35] = 1;
    data[6 + 4 * 7 + 2 * 35] = 2;
    for (const d of [data, Uint8Array.from(data)]) {
      const m = { data: d, dims };
      expect(maskBoundingBox(m)).toEqual({ lo: [2, 1, 0], hi: [6, 4, 2], count: 2 });
      expect(maskBoundingBox(m, 2)).toEqual({ lo: [6, 4, 2], hi: [6, 4, 2], count: 1 });
      expect(maskBoundingBox(m, 3)).toBeNull();
    }
    const v = makeVolume(Uint8Array.from(data), { dims });
    const c = cropBinary(v, [1, 0, 0], [3, 3, 1]);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const outside = cropBinary(v, [5, 3, 2], [3, 3, 1], 2); // partly outside the mask: zeros there
    expect(Array.from(outside)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    for (const d of [data, Uint8Array.from(data)]) {
      const p = labelsPresent(d);
      expect([...p.keys()].filter((l) => p[l])).toEqual([1, 2]);
    }
  });
});
