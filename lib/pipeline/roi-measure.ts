/**
 * Volume and longest diameters of stored ROI versions, for the predict panel, the report and the
 * viewer: the same lib/report/roi-measurements.ts numbers everywhere.
 */
import { roleLabel } from "../imaging/series/roles";
import { roiMeasurement, type RoiMeasurement } from "../report/roi-measurements";
import { loadRoiMask, type RoiDeps } from "./roi";

export async function measureRoi(deps: RoiDeps, roiId: string, role: string): Promise<RoiMeasurement> {
  const { roi, mask } = await loadRoiMask(deps, roiId);
  return roiMeasurement(roleLabel(role), roi.version, mask);
}

export async function measureRois(deps: RoiDeps, rois: { role: string; roiId: string }[]): Promise<RoiMeasurement[]> {
  const out: RoiMeasurement[] = [];
  for (const r of rois) out.push(await measureRoi(deps, r.roiId, r.role));
  return out;
}
