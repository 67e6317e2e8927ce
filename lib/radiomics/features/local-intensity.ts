/**
 * IBSI local intensity features: the mean intensity in a sphere of 1 cm^3 (radius 6.2 mm) around a voxel centre,
 * over all image voxels whose centre lies in the sphere (not only ROI voxels).
 *  loc_peak_loc: around the voxel(s) of highest intensity in the intensity mask (highest mean if several);
 *  loc_peak_glob: the highest such mean over all voxels of the intensity mask.
 */
import type { RoiBox } from "../roi";
import { FeatureSet } from "./feature-set";

export const LOCAL_SPHERE_RADIUS_MM = 10 * Math.cbrt(3 / (4 * Math.PI));

export function localIntensity(roi: RoiBox): FeatureSet {
  const f = new FeatureSet();
  const { image } = roi;
  const [nx, ny, nz] = image.dims;
  const [sx, sy, sz] = image.spacing;
  const r2 = LOCAL_SPHERE_RADIUS_MM ** 2;
  const rx = Math.floor(LOCAL_SPHERE_RADIUS_MM / sx), ry = Math.floor(LOCAL_SPHERE_RADIUS_MM / sy), rz = Math.floor(LOCAL_SPHERE_RADIUS_MM / sz);
  const offs: number[] = [];
  for (let dz = -rz; dz <= rz; dz++) for (let dy = -ry; dy <= ry; dy++) for (let dx = -rx; dx <= rx; dx++) {
    // Small tolerance: a voxel centre exactly on the sphere surface counts as inside.
    if ((dx * sx) ** 2 + (dy * sy) ** 2 + (dz * sz) ** 2 <= r2 * (1 + 1e-12)) offs.push(dx, dy, dz);
  }
  const data = image.data;
  const sphereMean = (x: number, y: number, z: number): number => {
    let sum = 0, count = 0;
    for (let k = 0; k < offs.length; k += 3) {
      const xx = x + offs[k], yy = y + offs[k + 1], zz = z + offs[k + 2];
      if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
      sum += data[xx + nx * (yy + ny * zz)];
      count++;
    }
    return sum / count;
  };
  const [bx, by, bz] = roi.dims;
  const [ox, oy, oz] = roi.offset;
  let maxVal = -Infinity;
  for (let i = 0; i < roi.values.length; i++) if (roi.intensity[i] && roi.values[i] > maxVal) maxVal = roi.values[i];
  let local = -Infinity, global = -Infinity;
  for (let z = 0, i = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      for (let x = 0; x < bx; x++, i++) {
        if (!roi.intensity[i]) continue;
        const m = sphereMean(x + ox, y + oy, z + oz);
        if (m > global) global = m;
        if (roi.values[i] === maxVal && m > local) local = m;
      }
    }
  }
  f.set("loc_peak_loc", local);
  f.set("loc_peak_glob", global);
  return f;
}
