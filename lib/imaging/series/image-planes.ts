/**
 * Image planes of a DICOM file: one per frame, with the geometry and rescale that apply to it. Classic single-frame
 * images give one plane from top-level attributes; enhanced multi-frame images give one plane per frame from the
 * functional groups (per-frame values override shared ones).
 */
import { NacError } from "../../errors/nac-error";
import {
  TAG,
  imageOrientation,
  imagePosition,
  numberOfFrames,
  pixelSpacing,
  rescale,
  type DicomDataset,
} from "../dicom";
import type { Vec3 } from "../volume";

export interface ImagePlane {
  /** Index of the source file in the caller's list. */
  fileIndex: number;
  /** 0-based frame within the file. */
  frame: number;
  sopInstanceUid: string;
  instanceNumber: number | undefined;
  rows: number;
  columns: number;
  /** Centre of the first transmitted pixel (LPS mm). */
  position: Vec3;
  /** Unit vectors along a row (increasing column index) and along a column (increasing row index). */
  rowDir: Vec3;
  colDir: Vec3;
  /** [between columns (along rowDir), between rows (along colDir)] in mm. */
  spacingColRow: [number, number];
  slope: number;
  intercept: number;
  /** Values that tell phases / echoes of one series apart (see read-series.ts, splitting). */
  phase: Partial<Record<PhaseKey, string>>;
}

/** Attributes that may separate repeated acquisitions of the same slices within one series, in order of preference. */
export const PHASE_KEYS = [
  "TemporalPositionIdentifier",
  "TemporalPositionIndex",
  "EchoNumbers",
  "TriggerTime",
  "AcquisitionNumber",
] as const;
export type PhaseKey = (typeof PHASE_KEYS)[number];

function phaseOf(ds: DicomDataset, frame: number, enhanced: boolean): Partial<Record<PhaseKey, string>> {
  const out: Partial<Record<PhaseKey, string>> = {};
  for (const k of ["TemporalPositionIdentifier", "EchoNumbers", "TriggerTime", "AcquisitionNumber"] as const) {
    const v = ds.string(TAG[k]);
    if (v !== undefined) out[k] = v;
  }
  if (enhanced) {
    const idx = ds
      .sequence(TAG.PerFrameFunctionalGroupsSequence)
      [frame]?.item(TAG.FrameContentSequence)
      ?.uint32(TAG.TemporalPositionIndex);
    if (idx !== undefined) out.TemporalPositionIndex = String(idx);
  }
  return out;
}

function unit(v: number[], what: string): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 0.5 && n < 1.5))
    throw new NacError("SERIES_INCONSISTENT", `${what} is not a unit vector (${v.join(", ")})`);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** An informational IS attribute: unreadable -> undefined (it must not block loading the image). */
function optionalInt(ds: DicomDataset, tag: string): number | undefined {
  try {
    return ds.integerString(tag);
  } catch {
    return undefined;
  }
}

export function imagePlanes(ds: DicomDataset, fileIndex: number): ImagePlane[] {
  const rows = ds.uint16(TAG.Rows);
  const columns = ds.uint16(TAG.Columns);
  if (!rows || !columns) throw new NacError("DICOM_MALFORMED", "image has no Rows/Columns");
  const sop = ds.string(TAG.SOPInstanceUID) ?? "";
  const n = numberOfFrames(ds);
  const perFrame = ds.sequence(TAG.PerFrameFunctionalGroupsSequence);
  if (n > 1 && perFrame.length !== n) {
    throw new NacError(
      "DICOM_UNSUPPORTED",
      `multi-frame image without per-frame positions (${n} frames, ${perFrame.length} per-frame groups)`,
    );
  }
  const out: ImagePlane[] = [];
  for (let f = 0; f < n; f++) {
    const ipp = imagePosition(ds, f);
    const iop = imageOrientation(ds, f);
    const ps = pixelSpacing(ds, f);
    if (!ipp || ipp.length !== 3)
      throw new NacError("SERIES_INCONSISTENT", `image ${sop} frame ${f + 1} has no ImagePositionPatient`);
    if (!iop || iop.length !== 6)
      throw new NacError("SERIES_INCONSISTENT", `image ${sop} frame ${f + 1} has no ImageOrientationPatient`);
    if (!ps || ps.length !== 2 || !(ps[0] > 0 && ps[1] > 0))
      throw new NacError("SERIES_INCONSISTENT", `image ${sop} frame ${f + 1} has no valid PixelSpacing`);
    const r = rescale(ds, f);
    out.push({
      fileIndex,
      frame: f,
      sopInstanceUid: sop,
      instanceNumber: optionalInt(ds, TAG.InstanceNumber),
      rows,
      columns,
      position: [ipp[0], ipp[1], ipp[2]],
      rowDir: unit(iop.slice(0, 3), "ImageOrientationPatient row direction"),
      colDir: unit(iop.slice(3, 6), "ImageOrientationPatient column direction"),
      spacingColRow: [ps[1], ps[0]], // PixelSpacing is (row spacing, column spacing)
      slope: r.slope ?? 1,
      intercept: r.intercept ?? 0,
      phase: phaseOf(ds, f, perFrame.length > 0),
    });
  }
  return out;
}
