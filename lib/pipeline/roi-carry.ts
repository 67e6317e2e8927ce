/**
 * Carry an ROI version to another series of the same patient that shares its frame of reference:
 * the mask is resampled through patient coordinates (lib/imaging/carry-mask.ts) and saved as a new ROI version of the
 * target series with source "derived" (the audit row names the ROI it came from).
 */
import { NacError } from "../errors";
import { carryMask } from "../imaging/carry-mask";
import { loadRoiMask, saveRoi, seriesGridOrThrow, type RoiDeps } from "./roi";

export async function carryRoi(
  deps: RoiDeps,
  roiId: string,
  targetSeriesId: string,
  user: { id: string; username: string },
) {
  const { roi, mask } = await loadRoiMask(deps, roiId);
  if (roi.seriesId === targetSeriesId) throw new NacError("BAD_REQUEST", "the ROI is already on this series");
  const [from, to] = await Promise.all(
    [roi.seriesId, targetSeriesId].map((id) =>
      deps.prisma.series.findUnique({
        where: { id },
        select: { frameOfReferenceUid: true, role: true, study: { select: { patientId: true } } },
      }),
    ),
  );
  if (!to) throw new NacError("NOT_FOUND", `series ${targetSeriesId} not found`);
  if (!from || from.study.patientId !== to.study.patientId) {
    // A patient's ROI never lands on another patient's series.
    throw new NacError("BAD_REQUEST", "the target series belongs to another patient");
  }
  const grid = await seriesGridOrThrow(deps.prisma, targetSeriesId);
  const carried = carryMask(mask, from, { ...grid, frameOfReferenceUid: to.frameOfReferenceUid });
  return saveRoi(deps, {
    seriesId: targetSeriesId,
    mask: carried.data,
    source: "derived",
    user,
    details: { carriedFromRoiId: roiId, carriedFromSeriesId: roi.seriesId, carriedFromVersion: roi.version },
  });
}
