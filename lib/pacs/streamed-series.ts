/**
 * The viewer's geometry of a series known only from its WADO-RS metadata (streamed from a PACS, not stored): slices
 * ordered along the slice normal, dims [columns, rows, slices], spacing [column, row, slice] in mm, origin = the first
 * slice's position, direction = row cosines, column cosines, normal (LPS), as lib/imaging builds them for stored series.
 * Single-frame images only (multi-frame enhanced objects are refused with a clear reason). Browser-safe.
 */
import { NacError } from "../errors";
import { T, num, nums, str, type DicomJson } from "./dicom-json";

export interface StreamedSeriesGeometry {
  dims: [number, number, number];
  spacing: [number, number, number];
  origin: [number, number, number];
  direction: number[];
  /** SOP instance UIDs in slice order (frame 1 of each) */
  sopInstanceUids: string[];
  modality: string | null;
  description: string | null;
  frameOfReferenceUid: string | null;
}

export function streamedSeriesGeometry(meta: DicomJson[]): StreamedSeriesGeometry {
  if (!meta.length) throw new NacError("PACS_NOT_FOUND", "the series has no instances on the PACS");
  const first = meta[0];
  if ((num(first, T.NumberOfFrames) ?? 1) > 1)
    throw new NacError("DICOM_UNSUPPORTED", "multi-frame series cannot be streamed yet: import the study instead");
  const iop = nums(first, T.ImageOrientationPatient);
  const ps = nums(first, T.PixelSpacing);
  const rows = num(first, T.Rows);
  const cols = num(first, T.Columns);
  if (iop.length !== 6 || ps.length !== 2 || !rows || !cols)
    throw new NacError("SERIES_INCONSISTENT", "the series' metadata lacks orientation, pixel spacing or matrix size");
  const [r, c] = [iop.slice(0, 3), iop.slice(3, 6)];
  const n = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
  const slices = meta.map((m) => {
    const p = nums(m, T.ImagePositionPatient);
    if (p.length !== 3)
      throw new NacError("SERIES_INCONSISTENT", `instance ${str(m, T.SOPInstanceUID)} has no image position`);
    if (num(m, T.Rows) !== rows || num(m, T.Columns) !== cols)
      throw new NacError("SERIES_INCONSISTENT", "the series' images differ in size");
    return { sop: str(m, T.SOPInstanceUID) ?? "", p, d: p[0] * n[0] + p[1] * n[1] + p[2] * n[2] };
  });
  slices.sort((a, b) => a.d - b.d);
  const gaps = slices.slice(1).map((s, i) => s.d - slices[i].d);
  if (gaps.some((g) => g < 1e-3))
    throw new NacError(
      "SERIES_INCONSISTENT",
      "two images of the series share a slice position (several phases in one series?)",
    );
  const dz = gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 1;
  if (gaps.some((g) => Math.abs(g - dz) > 0.01 * dz + 1e-3))
    throw new NacError("SERIES_INCONSISTENT", "the series' slices are not evenly spaced (missing images on the PACS?)");
  return {
    dims: [cols, rows, slices.length],
    spacing: [ps[1], ps[0], dz],
    origin: slices[0].p as [number, number, number],
    direction: [...r, ...c, ...n],
    sopInstanceUids: slices.map((s) => s.sop),
    modality: str(first, T.Modality) ?? null,
    description: str(first, T.SeriesDescription) ?? null,
    frameOfReferenceUid: str(first, T.FrameOfReferenceUID) ?? null,
  };
}
