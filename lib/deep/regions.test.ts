import { describe, expect, it } from "vitest";
import { makeVolume, type Mask, type Vec3 } from "../imaging/volume";
import { peritumoralShell, regionMask } from "./regions";

function blob(dims: Vec3, spacing: Vec3): Mask {
  const data = new Uint8Array(dims[0] * dims[1] * dims[2]);
  let p = 0;
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++, p++) {
        const a = ((i - 6) * spacing[0]) ** 2 / 16 + ((j - 7) * spacing[1]) ** 2 / 9 + ((k - 3) * spacing[2]) ** 2 / 25;
        data[p] = a < 1 || (i === 2 && j === 12 && k === 1) ? 1 : 0; // ellipsoid + one stray voxel near the edge
      }
  return makeVolume(data, { dims, spacing });
}

describe("peritumoral region (lib/imaging/peritumoral, centres)", () => {
  it("equals brute-force 'outside the tumour, within margin mm of a tumour voxel centre' (anisotropic spacing)", () => {
    const dims: Vec3 = [14, 15, 8];
    const spacing: Vec3 = [0.8, 1.0, 2.5];
    const m = blob(dims, spacing);
    for (const margin of [1, 2.5, 3]) {
      const shell = peritumoralShell(m, margin);
      const tumour: Vec3[] = [];
      for (let k = 0, p = 0; k < dims[2]; k++)
        for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++, p++) if (m.data[p]) tumour.push([i, j, k]);
      let shellCount = 0;
      for (let k = 0, p = 0; k < dims[2]; k++)
        for (let j = 0; j < dims[1]; j++)
          for (let i = 0; i < dims[0]; i++, p++) {
            let want = 0;
            if (!m.data[p]) {
              for (const [a, b, c] of tumour) {
                if (
                  ((i - a) * spacing[0]) ** 2 + ((j - b) * spacing[1]) ** 2 + ((k - c) * spacing[2]) ** 2 <=
                  margin * margin + 1e-9
                ) {
                  want = 1;
                  break;
                }
              }
            }
            shellCount += want;
            expect(shell.data[p], `voxel ${i},${j},${k} margin ${margin}`).toBe(want);
          }
      expect(shellCount).toBeGreaterThan(0);
    }
  });

  it("intra region is the binarised mask", () => {
    const m = makeVolume(Uint8Array.from([0, 2, 0, 1, 0, 0, 0, 0]), { dims: [2, 2, 2] });
    expect(Array.from(regionMask(m, "intra", 5).data)).toEqual([0, 1, 0, 1, 0, 0, 0, 0]);
  });
});
