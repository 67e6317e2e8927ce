import { describe, expect, it } from "vitest";
import { makeVolume, type Vec3 } from "@/lib/imaging/volume";
import { cropToRoi } from "../roi";
import { LOCAL_SPHERE_RADIUS_MM, localIntensity } from "./local-intensity";

/** Brute force: mean over every image voxel whose centre lies within the 1 cm^3 sphere. */
function bruteForce(img: Float32Array, dims: Vec3, sp: Vec3, mask: Uint8Array): { loc: number; glob: number } {
  const r2 = LOCAL_SPHERE_RADIUS_MM ** 2 * (1 + 1e-12);
  const mean = (x: number, y: number, z: number) => {
    let s = 0,
      c = 0;
    for (let zz = 0; zz < dims[2]; zz++)
      for (let yy = 0; yy < dims[1]; yy++)
        for (let xx = 0; xx < dims[0]; xx++) {
          if (((xx - x) * sp[0]) ** 2 + ((yy - y) * sp[1]) ** 2 + ((zz - z) * sp[2]) ** 2 <= r2) {
            s += img[xx + dims[0] * (yy + dims[1] * zz)];
            c++;
          }
        }
    return s / c;
  };
  let maxV = -Infinity;
  for (let i = 0; i < mask.length; i++) if (mask[i] && img[i] > maxV) maxV = img[i];
  let loc = -Infinity,
    glob = -Infinity;
  for (let z = 0, i = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++, i++) {
        if (!mask[i]) continue;
        const m = mean(x, y, z);
        glob = Math.max(glob, m);
        if (img[i] === maxV) loc = Math.max(loc, m);
      }
  return { loc, glob };
}

describe("localIntensity", () => {
  it.each([[[0.8, 0.8, 1.5]], [[2, 2, 2]], [[0.977, 0.977, 3]]] as [Vec3][])(
    "equals the brute-force sphere means (spacing %j), ROI at the image border",
    (sp) => {
      const dims: Vec3 = [17, 15, 9];
      const n = dims[0] * dims[1] * dims[2];
      let s = 9;
      const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
      const img = Float32Array.from({ length: n }, () => Math.round(200 * rnd()));
      const mask = new Uint8Array(n);
      for (let z = 0, i = 0; z < dims[2]; z++)
        for (let y = 0; y < dims[1]; y++)
          for (let x = 0; x < dims[0]; x++, i++) {
            if (x < 9 && y > 3 && y < 12 && z < 5 && rnd() < 0.8) mask[i] = 1;
          }
      const f = localIntensity(cropToRoi(makeVolume(img, { dims, spacing: sp }), mask));
      const b = bruteForce(img, dims, sp, mask);
      expect(f.values.loc_peak_loc).toBeCloseTo(b.loc, 9);
      expect(f.values.loc_peak_glob).toBeCloseTo(b.glob, 9);
    },
  );
});
