/**
 * The DICOM JSON model (PS3.18 Annex F) as QIDO-RS and WADO-RS metadata return it: typed readers for the few
 * attributes NACpredict uses. Browser-safe.
 */
export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
  BulkDataURI?: string;
  InlineBinary?: string;
}
export type DicomJson = Record<string, DicomJsonAttribute>;

export const T = {
  StudyDate: "00080020",
  AccessionNumber: "00080050",
  Modality: "00080060",
  ModalitiesInStudy: "00080061",
  StudyDescription: "00081030",
  SeriesDescription: "0008103E",
  SOPClassUID: "00080016",
  SOPInstanceUID: "00080018",
  PatientName: "00100010",
  PatientID: "00100020",
  PatientBirthDate: "00100030",
  PatientSex: "00100040",
  StudyInstanceUID: "0020000D",
  SeriesInstanceUID: "0020000E",
  SeriesNumber: "00200011",
  InstanceNumber: "00200013",
  ImagePositionPatient: "00200032",
  ImageOrientationPatient: "00200037",
  FrameOfReferenceUID: "00200052",
  NumberOfStudyRelatedSeries: "00201206",
  NumberOfStudyRelatedInstances: "00201208",
  NumberOfSeriesRelatedInstances: "00201209",
  NumberOfFrames: "00280008",
  Rows: "00280010",
  Columns: "00280011",
  PixelSpacing: "00280030",
} as const;

export function values(ds: DicomJson, tag: string): unknown[] {
  return ds[tag]?.Value ?? [];
}

export function str(ds: DicomJson, tag: string): string | undefined {
  const v = values(ds, tag)[0];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "object") return personName(v as Record<string, string>);
  const s = String(v).trim();
  return s || undefined;
}

export function num(ds: DicomJson, tag: string): number | undefined {
  const v = values(ds, tag)[0];
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

export function nums(ds: DicomJson, tag: string): number[] {
  return values(ds, tag).map((v) => Number(v));
}

/** PN as JSON ({Alphabetic: "Family^Given"}) -> "Family, Given" (the worklist's display form). */
function personName(pn: Record<string, string>): string | undefined {
  const a = pn.Alphabetic ?? pn.Ideographic ?? pn.Phonetic;
  if (!a) return undefined;
  const [family, given] = a.split("^");
  return [family, given].filter(Boolean).join(", ") || undefined;
}
