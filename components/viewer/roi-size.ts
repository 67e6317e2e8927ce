import { roiStats } from "@/lib/imaging/roi-stats";
import { makeVolume, type Direction, type Vec3 } from "@/lib/imaging/volume";
import type { ViewerSeries } from "./series-stack";

export interface RoiSize {
  volumeMm3: number;
  maxDiameter3dMm: number;
  /** longest diameter within an axial plane (RECIST-like) */
  maxDiameterAxialMm: number;
}

/** Volume and longest diameters of an ROI mask (lib/imaging/roi-stats, the numbers the features use); null if empty. */
export function roiSizeOf(mask: Uint8Array, s: ViewerSeries, nz: number): RoiSize | null {
  if (!mask.some((v) => v)) return null;
  const g = s.geometry;
  const st = roiStats(
    makeVolume(mask, {
      dims: [s.dims[0], s.dims[1], nz],
      spacing: g.spacing as Vec3,
      origin: g.origin as Vec3,
      direction: g.direction as Direction,
    }),
  );
  return { volumeMm3: st.volumeMm3, maxDiameter3dMm: st.maxDiameter3dMm, maxDiameterAxialMm: st.maxDiameterAxialMm };
}
