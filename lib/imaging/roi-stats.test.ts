import { describe, expect, it } from "vitest";
import { maxDiameter3d, maxDiameterInPlane, roiStats } from "./roi-stats";
import { makeVolume, type Mask, type Vec3 } from "./volume";

function brute(mask: Mask, sameSlice: boolean): number {
  const [nx, ny, nz] = mask.dims;
  const pts: number[][] = [];
  for (let k = 0, i = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let x = 0; x < nx; x++, i++) {
        if (mask.data[i]) pts.push([x, j, k]);
      }
  let best = 0;
  const s = mask.spacing;
  for (let a = 0; a < pts.length; a++)
    for (let b = a + 1; b < pts.length; b++) {
      if (sameSlice && pts[a][2] !== pts[b][2]) continue;
      const d = Math.hypot(
        (pts[a][0] - pts[b][0]) * s[0],
        (pts[a][1] - pts[b][1]) * s[1],
        (pts[a][2] - pts[b][2]) * s[2],
      );
      if (d > best) best = d;
    }
  return best;
}

describe("roi diameters", () => {
  it("match brute-force pairwise distances on 20 random blobs (anisotropic, rotated direction)", () => {
    let s = 99;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const c = Math.cos(0.7),
      sn = Math.sin(0.7);
    for (let t = 0; t < 20; t++) {
      const dims: Vec3 = [10, 9, 6];
      const m = makeVolume(new Uint8Array(540), {
        dims,
        spacing: [0.5 + rnd(), 0.5 + rnd(), 1 + 2 * rnd()],
        direction: [c, sn, 0, -sn, c, 0, 0, 0, 1],
      }) as Mask;
      const density = [0.05, 0.3, 0.8][t % 3];
      for (let i = 0; i < 540; i++) m.data[i] = rnd() < density ? 1 : 0;
      m.data[0] = 1;
      expect(maxDiameter3d(m)).toBeCloseTo(brute(m, false), 9);
      expect(maxDiameterInPlane(m).diameterMm).toBeCloseTo(brute(m, true), 9);
    }
  });

  it("box of 5x4x3 voxels at 0.7x0.7x2: count, volume, diameters by hand", () => {
    const dims: Vec3 = [8, 8, 5];
    const m = makeVolume(new Uint8Array(320), { dims, spacing: [0.7, 0.7, 2], origin: [10, 20, 30] }) as Mask;
    for (let k = 1; k < 4; k++) for (let j = 2; j < 6; j++) for (let x = 1; x < 6; x++) m.data[x + j * 8 + k * 64] = 1;
    const st = roiStats(m);
    expect(st.voxelCount).toBe(60);
    expect(st.volumeMm3).toBeCloseTo(60 * 0.98, 10);
    expect(st.bboxMin).toEqual([1, 2, 1]);
    expect(st.bboxMax).toEqual([5, 5, 3]);
    expect(st.centroidLps[0]).toBeCloseTo(10 + 3 * 0.7, 10);
    expect(st.maxDiameter3dMm).toBeCloseTo(Math.hypot(4 * 0.7, 3 * 0.7, 2 * 2), 12);
    expect(st.maxDiameterInPlaneMm).toBeCloseTo(Math.hypot(4 * 0.7, 3 * 0.7), 12);
  });

  it("axial diameter on a sagittal acquisition uses the planes of the S-I image axis", () => {
    // Sagittal: i -> posterior (0,1,0), j -> inferior (0,0,-1), k -> left (1,0,0). Box 5 (i) x 3 (j) x 4 (k).
    const dims: Vec3 = [8, 6, 6];
    const m = makeVolume(new Uint8Array(288), {
      dims,
      spacing: [0.5, 0.6, 3],
      direction: [0, 1, 0, 0, 0, -1, 1, 0, 0],
    }) as Mask;
    for (let k = 1; k < 5; k++) for (let j = 1; j < 4; j++) for (let x = 2; x < 7; x++) m.data[x + j * 8 + k * 48] = 1;
    const st = roiStats(m);
    expect(st.axialAxis).toBe(1);
    expect(st.maxDiameterInPlaneMm).toBeCloseTo(Math.hypot(4 * 0.5, 2 * 0.6), 12); // sagittal slice
    expect(st.maxDiameterAxialMm).toBeCloseTo(Math.hypot(4 * 0.5, 3 * 3), 12); // axial plane: i and k
    expect(maxDiameterInPlane(m, { plane: "axial" }).diameterMm).toBeCloseTo(st.maxDiameterAxialMm, 12);
    // Brute force over voxel pairs with equal j.
    let best = 0;
    const pts: number[][] = [];
    for (let k = 0, i = 0; k < 6; k++)
      for (let j = 0; j < 6; j++) for (let x = 0; x < 8; x++, i++) if (m.data[i]) pts.push([x, j, k]);
    for (const a of pts)
      for (const b of pts) if (a[1] === b[1]) best = Math.max(best, Math.hypot((a[0] - b[0]) * 0.5, (a[2] - b[2]) * 3));
    expect(st.maxDiameterAxialMm).toBeCloseTo(best, 12);
  });

  it("single voxel has diameter 0; empty ROI and absent label are MASK_EMPTY", () => {
    const m = makeVolume(new Uint8Array(8), { dims: [2, 2, 2] }) as Mask;
    expect(() => roiStats(m)).toThrow(expect.objectContaining({ code: "MASK_EMPTY" }));
    m.data[3] = 2;
    expect(roiStats(m).maxDiameter3dMm).toBe(0);
    expect(() => roiStats(m, { label: 1 })).toThrow(expect.objectContaining({ code: "MASK_EMPTY" }));
  });

  it("200k-voxel digitised sphere: diameter within one voxel of 2r", () => {
    const n = 80,
      r = 36;
    const m = makeVolume(new Uint8Array(n * n * n), { dims: [n, n, n], spacing: [1, 1, 1] }) as Mask;
    let cnt = 0;
    for (let k = 0, i = 0; k < n; k++)
      for (let j = 0; j < n; j++)
        for (let x = 0; x < n; x++, i++) {
          if ((x - 40.2) ** 2 + (j - 39.7) ** 2 + (k - 40.1) ** 2 <= r * r) {
            m.data[i] = 1;
            cnt++;
          }
        }
    expect(cnt).toBeGreaterThan(190000);
    const d = maxDiameter3d(m);
    expect(d).toBeLessThanOrEqual(2 * r);
    expect(d).toBeGreaterThan(2 * r - 1);
  });
});
