import { describe, expect, it } from "vitest";
import { makeVolume, type Mask } from "../imaging/volume";
import { measurementLine, roiMeasurement } from "./roi-measurements";

describe("roiMeasurement", () => {
  it("reports volume and the longest diameters of a 10 x 4 x 3 box at 0.5 x 0.5 x 2 mm", () => {
    const dims: [number, number, number] = [20, 10, 6];
    const data = new Uint8Array(20 * 10 * 6);
    for (let k = 1; k < 4; k++)
      for (let j = 2; j < 6; j++) for (let i = 5; i < 15; i++) data[i + 20 * (j + 10 * k)] = 1;
    const m = roiMeasurement("CE-T1", 3, makeVolume(data, { dims, spacing: [0.5, 0.5, 2] }) as Mask);
    expect(m.voxelCount).toBe(120);
    expect(m.volumeMm3).toBeCloseTo(60, 9);
    // Farthest voxel centres: 9 x 0.5, 3 x 0.5, 2 x 2 mm apart.
    expect(m.maxDiameter3dMm).toBeCloseTo(Math.hypot(4.5, 1.5, 4), 9);
    expect(m.maxDiameterInPlaneMm).toBeCloseTo(Math.hypot(4.5, 1.5), 9);
    expect(measurementLine(m)).toBe(
      "CE-T1 ROI v3: volume 0.06 cm3, longest diameter 6.2 mm (3D), 4.7 mm axial (RECIST-like), 4.7 mm in-plane",
    );
  });
});
