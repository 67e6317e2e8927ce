/**
 * Acquisition grids (axial, identity orientation). Volumes are kept modest so that a 177-patient cohort generates in
 * about a minute: a unilateral breast field of view of 179 mm (256 x 0.7 mm) and a ~100 mm slab around the tumour.
 */
import type { Vec3 } from "../imaging/volume";
import type { GridSpec, SeriesRole } from "./render";
import { wallY, type Scene } from "./scene";

export interface SeriesProtocol {
  matrix: number;
  pixelMm: number;
  slices: number;
  sliceMm: number;
}

export const PROTOCOLS: Record<SeriesRole, SeriesProtocol> = {
  "CE-T1": { matrix: 256, pixelMm: 0.7, slices: 56, sliceMm: 1.8 },
  T2: { matrix: 256, pixelMm: 0.7, slices: 34, sliceMm: 3.0 },
  CT: { matrix: 256, pixelMm: 0.7, slices: 40, sliceMm: 2.5 },
};

export function seriesGrid(role: SeriesRole, s: Scene, side: 1 | -1): GridSpec {
  const p = PROTOCOLS[role];
  const half = ((p.matrix - 1) / 2) * p.pixelMm;
  const bx = s.breastCentre[0];
  // CT is centred slightly medially so that the sternum and heart border are in view.
  const cx = role === "CT" ? bx - side * 10 : bx;
  const top = wallY(s, bx) - s.breastAxes[1] - (role === "CT" ? 14 : 10);
  // Rounded to 0.1 um so that the DICOM decimal strings represent the grid exactly.
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  const origin: Vec3 = [r4(cx - half), r4(top), r4(s.fovCentreZ - ((p.slices - 1) / 2) * p.sliceMm)];
  return { dims: [p.matrix, p.matrix, p.slices], spacing: [p.pixelMm, p.pixelMm, p.sliceMm], origin };
}
