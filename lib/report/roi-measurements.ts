/**
 * Tumour measurements of an ROI as the report, its PDF and the predict panel show them: volume, longest 3D diameter,
 * longest in-plane diameter (within one image slice) and longest axial diameter (RECIST-like: within planes of the
 * patient's axial orientation), from lib/imaging/roi-stats.ts. Browser-safe.
 */
import { roiStats } from "../imaging/roi-stats";
import type { Mask } from "../imaging/volume";

export interface RoiMeasurement {
  /** Series role label ("CE-T1", "T2", "CT"). */
  role: string;
  roiVersion: number | null;
  voxelCount: number;
  volumeMm3: number;
  maxDiameter3dMm: number;
  maxDiameterInPlaneMm: number;
  maxDiameterAxialMm: number;
}

export function roiMeasurement(role: string, roiVersion: number | null, mask: Mask): RoiMeasurement {
  const s = roiStats(mask);
  return {
    role,
    roiVersion,
    voxelCount: s.voxelCount,
    volumeMm3: s.volumeMm3,
    maxDiameter3dMm: s.maxDiameter3dMm,
    maxDiameterInPlaneMm: s.maxDiameterInPlaneMm,
    maxDiameterAxialMm: s.maxDiameterAxialMm,
  };
}

/** One line per ROI, e.g. "CE-T1 ROI v2: volume 5.05 cm3, longest diameter 24.1 mm (3D), 22.0 mm axial, 22.0 mm in-plane". */
export function measurementLine(m: RoiMeasurement): string {
  const version = m.roiVersion !== null ? ` v${m.roiVersion}` : "";
  return (
    `${m.role} ROI${version}: volume ${(m.volumeMm3 / 1000).toFixed(2)} cm3, longest diameter ${m.maxDiameter3dMm.toFixed(1)} mm (3D), ` +
    `${m.maxDiameterAxialMm.toFixed(1)} mm axial (RECIST-like), ${m.maxDiameterInPlaneMm.toFixed(1)} mm in-plane`
  );
}
