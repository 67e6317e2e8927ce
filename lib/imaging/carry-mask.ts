/**
 * Carries an ROI from one series to another series of the same patient that shares its DICOM frame of reference
 * (CE-T1 -> T2 of one MR study): the mask is resampled through patient coordinates onto the target grid (linear
 * partial-volume interpolation, voxel in when at least half covered: resample.ts). Series in different frames of
 * reference (MR and CT, two scanners) have no common patient coordinate system; carrying between them would place
 * the ROI at an arbitrary spot, so it is refused with FRAME_OF_REFERENCE_MISMATCH (registration is out of scope).
 */
import { NacError } from "../errors";
import { resampleMask } from "./resample";
import type { Geometry, Mask } from "./volume";

export interface FramedGeometry extends Geometry {
  /** (0020,0052) of the series; null when the series has none. */
  frameOfReferenceUid: string | null;
}

export function carryMask(mask: Mask, from: { frameOfReferenceUid: string | null }, to: FramedGeometry): Mask {
  if (!from.frameOfReferenceUid || !to.frameOfReferenceUid) {
    throw new NacError(
      "FRAME_OF_REFERENCE_MISMATCH",
      "a series has no frame of reference: its patient coordinates cannot be matched to the other series'",
    );
  }
  if (from.frameOfReferenceUid !== to.frameOfReferenceUid) {
    throw new NacError(
      "FRAME_OF_REFERENCE_MISMATCH",
      "the series do not share a frame of reference (e.g. MR and CT): carrying the ROI would misplace it; draw it on this series (one-click tool) instead",
      { from: from.frameOfReferenceUid, to: to.frameOfReferenceUid },
    );
  }
  const { frameOfReferenceUid: _ignored, ...grid } = to;
  void _ignored;
  const out = resampleMask(mask, { referenceGeometry: grid, method: "linear", threshold: 0.5 });
  let any = false;
  for (let i = 0; i < out.data.length && !any; i++) any = out.data[i] !== 0;
  if (!any) throw new NacError("MASK_EMPTY", "the ROI lies outside the other series' field of view");
  return out;
}
