import { describe, expect, it } from "vitest";
import { makeVolume, type Vec3 } from "@/lib/imaging/volume";
import { cropToRoi } from "../roi";
import { ibsiMorphology, shapeCore, spatialAutocorrelationFft } from "./morphology";

/** Random blob ROI with random intensities; maxVoxels forces the direct or the FFT path. */
function roiOf(seed: number) {
  const dims: Vec3 = [14, 13, 12];
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = dims[0] * dims[1] * dims[2];
  const img = new Float32Array(n),
    mask = new Uint8Array(n);
  for (let z = 0, i = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++, i++) {
        img[i] = Math.round(100 * rnd() + x * 3);
        mask[i] = (x - 7) ** 2 + (y - 6) ** 2 + ((z - 6) * 1.3) ** 2 < 30 && rnd() < 0.9 ? 1 : 0;
      }
  return cropToRoi(makeVolume(img, { dims, spacing: [0.8, 1.1, 2.5] }), mask);
}

describe("Moran's I / Geary's C", () => {
  it("FFT convolution path equals the direct pair sums", () => {
    const roi = roiOf(3);
    let count = 0;
    for (const v of roi.intensity) count += v;
    // Small enough that ibsiMorphology sums the pairs directly.
    expect(count).toBeGreaterThan(100);
    expect(count).toBeLessThanOrEqual(3000);
    const direct = ibsiMorphology(roi, shapeCore(roi), 1e9);
    const fft = spatialAutocorrelationFft(roi);
    expect(fft.moran).toBeCloseTo(direct.values.morph_moran_i, 10);
    expect(fft.geary).toBeCloseTo(direct.values.morph_geary_c, 10);
  });
  it("reports an explicit failure above the voxel limit", () => {
    const roi = roiOf(5);
    const f = ibsiMorphology(roi, shapeCore(roi), 10);
    expect(f.failures.morph_moran_i).toMatch(/above the limit/);
    expect("morph_moran_i" in f.values).toBe(false);
  });
});
