/**
 * ROIs at import: a DICOM SEG or RTSTRUCT arriving with its series (drop zone, zip, PACS) becomes a
 * new ROI version of the series it references, with source "uploaded". The series must be stored (this import or an
 * earlier one) and belong to the same patient (Patient ID) as the mask object; otherwise the object is reported as
 * ignored with the reason, never attached elsewhere.
 */
import type { DicomDataset } from "../imaging/dicom";
import { TAG } from "../imaging/dicom";
import { isNacError } from "../errors";
import { maskFromUpload, saveRoi, seriesGridOrThrow, type RoiDeps } from "./roi";

export interface RoiObject {
  name: string;
  bytes: Uint8Array;
  ds: DicomDataset;
  modality: "SEG" | "RTSTRUCT";
}

export interface RoiObjectResult {
  status: "imported" | "ignored";
  message: string;
  seriesInstanceUid?: string;
  roiId?: string;
}

/** SeriesInstanceUIDs the object says it was drawn on. */
export function referencedSeriesUids(o: RoiObject): string[] {
  const uids =
    o.modality === "SEG"
      ? o.ds.sequence(TAG.ReferencedSeriesSequence).map((s) => s.string(TAG.SeriesInstanceUID))
      : o.ds
          .sequence(TAG.ReferencedFrameOfReferenceSequence)
          .flatMap((f) => f.sequence("30060012")) // RT Referenced Study Sequence
          .flatMap((s) => s.sequence("30060014")) // RT Referenced Series Sequence
          .map((s) => s.string(TAG.SeriesInstanceUID));
  return [...new Set(uids.filter((u): u is string => !!u))];
}

export async function attachRoiObject(
  deps: RoiDeps,
  o: RoiObject,
  user: { id: string | null; username: string },
): Promise<RoiObjectResult> {
  const uids = referencedSeriesUids(o);
  if (uids.length !== 1) {
    return {
      status: "ignored",
      message: `${o.modality} references ${uids.length ? `${uids.length} series` : "no series"}: upload it onto its series in the viewer`,
    };
  }
  const series = await deps.prisma.series.findUnique({
    where: { seriesInstanceUid: uids[0] },
    include: { study: { include: { patient: true } } },
  });
  if (!series)
    return {
      status: "ignored",
      message: `${o.modality} references series ${uids[0]}, which is not stored: import the series with it`,
    };
  if (series.study.patient.patientKey !== o.ds.string(TAG.PatientID)) {
    return {
      status: "ignored",
      message: `${o.modality} belongs to another patient than series ${uids[0]}: not attached`,
    };
  }
  try {
    const grid = await seriesGridOrThrow(deps.prisma, series.id);
    const mask = await maskFromUpload(grid, o.name, o.bytes, { frameOfReferenceUid: series.frameOfReferenceUid });
    const { roi } = await saveRoi(deps, {
      seriesId: series.id,
      mask,
      source: "uploaded",
      user,
      details: { fileName: o.name, atImport: true },
    });
    return {
      status: "imported",
      message: `ROI version ${roi.version} of series ${uids[0]}`,
      seriesInstanceUid: uids[0],
      roiId: roi.id,
    };
  } catch (e) {
    if (isNacError(e) && e.code === "RTSTRUCT_ROI_CHOICE_REQUIRED") {
      return {
        status: "ignored",
        message: `${e.message}: upload it onto the series in the viewer to choose`,
        seriesInstanceUid: uids[0],
      };
    }
    if (isNacError(e))
      return { status: "ignored", message: `${o.modality} not attached: ${e.message}`, seriesInstanceUid: uids[0] };
    throw e;
  }
}
