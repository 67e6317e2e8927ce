/**
 * The acquisition parameters of a series that change image features: scanner field strength and
 * manufacturer, in-plane pixel spacing, slice thickness, and (contrast-enhanced series) the delay from contrast
 * injection to acquisition where the DICOM header records both times. Read from one image's header.
 */
import type { DicomDataset } from "../imaging/dicom/dataset";

export type AcquisitionRole = "CE-T1" | "T2" | "CT";

export interface AcquisitionParameters {
  role: AcquisitionRole;
  /** Manufacturer (0008,0070), trimmed; absent when not recorded. */
  manufacturer?: string;
  /** Magnetic field strength (0018,0087), tesla; MR only. */
  fieldStrengthT?: number;
  /** Mean of the row and column pixel spacing (0028,0030), mm. */
  pixelSpacingMm?: number;
  /** Slice thickness (0018,0050), mm. */
  sliceThicknessMm?: number;
  /** Acquisition (or series) time minus contrast bolus start time (0018,1042), seconds; absent when either is missing. */
  contrastDelayS?: number;
}

const TAG = {
  Manufacturer: "00080070",
  MagneticFieldStrength: "00180087",
  PixelSpacing: "00280030",
  SliceThickness: "00180050",
  ContrastBolusStartTime: "00181042",
  AcquisitionTime: "00080032",
  SeriesTime: "00080031",
};

/** DICOM TM (HHMMSS.FFFFFF, or HH:MM:SS in old files) as seconds after midnight; undefined when unreadable. */
export function tmSeconds(tm: string | undefined): number | undefined {
  const m = /^(\d{2}):?(\d{2})?:?(\d{2}(?:\.\d+)?)?$/.exec((tm ?? "").trim());
  if (!m) return undefined;
  const s = Number(m[1]) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return Number.isFinite(s) ? s : undefined;
}

function safe<T>(f: () => T | undefined): T | undefined {
  try {
    return f();
  } catch {
    return undefined; // a malformed optional tag must not stop a prediction: the parameter is then "not recorded"
  }
}

export function acquisitionParameters(ds: DicomDataset, role: AcquisitionRole): AcquisitionParameters {
  const out: AcquisitionParameters = { role };
  const manufacturer = safe(() => ds.string(TAG.Manufacturer)?.trim());
  if (manufacturer) out.manufacturer = manufacturer;
  const field = safe(() => ds.decimal(TAG.MagneticFieldStrength));
  if (role !== "CT" && field !== undefined && field > 0) out.fieldStrengthT = field;
  const ps = safe(() => ds.decimals(TAG.PixelSpacing));
  if (ps && ps.length >= 2 && ps[0] > 0 && ps[1] > 0) out.pixelSpacingMm = (ps[0] + ps[1]) / 2;
  const st = safe(() => ds.decimal(TAG.SliceThickness));
  if (st !== undefined && st > 0) out.sliceThicknessMm = st;
  const start = tmSeconds(safe(() => ds.string(TAG.ContrastBolusStartTime)));
  const acq = tmSeconds(safe(() => ds.string(TAG.AcquisitionTime))) ?? tmSeconds(safe(() => ds.string(TAG.SeriesTime)));
  if (start !== undefined && acq !== undefined) {
    const d = acq >= start ? acq - start : acq + 86400 - start; // injection before midnight, scan after
    if (d < 3 * 3600) out.contrastDelayS = d;
  }
  return out;
}
