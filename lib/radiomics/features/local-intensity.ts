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
  const r2 = LOCAL_SPHERE_RADIUS_MM ** 2 * (1 + 1e-12); // a centre exactly on the surface counts as inside
  const ry = Math.floor(LOCAL_SPHERE_RADIUS_MM / sy),
    rz = Math.floor(LOCAL_SPHERE_RADIUS_MM / sz);
  // The sphere as x-runs: for each (dy, dz), dx in [-w, w]. Means come from prefix sums along x, so each voxel costs
  // one look-up per run instead of one per sphere voxel.
  const runs: number[] = [];
  for (let dz = -rz; dz <= rz; dz++)
    for (let dy = -ry; dy <= ry; dy++) {
      const rest = r2 - (dy * sy) ** 2 - (dz * sz) ** 2;
      if (rest < 0) continue;
      runs.push(dy, dz, Math.floor(Math.sqrt(rest) / sx + 1e-9));
    }
  // Work on the ROI box grown by the sphere's reach (clipped to the image).
  const [ox, oy, oz] = roi.offset,
    [bx, by, bz] = roi.dims;
  let maxW = 0;
  for (let k = 2; k < runs.length; k += 3) maxW = Math.max(maxW, runs[k]);
  const x0 = Math.max(0, ox - maxW),
    x1 = Math.min(nx - 1, ox + bx - 1 + maxW);
  const y0 = Math.max(0, oy - ry),
    y1 = Math.min(ny - 1, oy + by - 1 + ry);
  const z0 = Math.max(0, oz - rz),
    z1 = Math.min(nz - 1, oz + bz - 1 + rz);
  const wx = x1 - x0 + 2,
    wy = y1 - y0 + 1;
  // prefix[(y - y0) + wy * (z - z0)][k] = sum of image x0..x0+k-1 on row (y, z).
  const prefix = new Float64Array(wx * wy * (z1 - z0 + 1));
  const data = image.data;
  for (let z = z0; z <= z1; z++)
    for (let y = y0; y <= y1; y++) {
      const row = wx * (y - y0 + wy * (z - z0));
      let acc = 0;
      const src = nx * (y + ny * z);
      for (let x = x0; x <= x1; x++) {
        acc += data[src + x];
        prefix[row + x - x0 + 1] = acc;
      }
    }
  const sphereMean = (x: number, y: number, z: number): number => {
    let sum = 0,
      count = 0;
    for (let k = 0; k < runs.length; k += 3) {
      const yy = y + runs[k],
        zz = z + runs[k + 1];
      if (yy < y0 || yy > y1 || zz < z0 || zz > z1) continue;
      const lo = Math.max(x - runs[k + 2], x0),
        hi = Math.min(x + runs[k + 2], x1);
      const row = wx * (yy - y0 + wy * (zz - z0));
      sum += prefix[row + hi - x0 + 1] - prefix[row + lo - x0];
      count += hi - lo + 1;
    }
    return sum / count;
  };
  let maxVal = -Infinity;
  for (let i = 0; i < roi.values.length; i++) if (roi.intensity[i] && roi.values[i] > maxVal) maxVal = roi.values[i];
  let local = -Infinity,
    global = -Infinity;
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
