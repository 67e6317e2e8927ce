/**
 * readRtStruct: the ROIs of a DICOM RT Structure Set with their contours in patient coordinates (LPS mm).
 * Only geometry is read (names, numbers, contour type and points); display attributes are ignored.
 */
import { NacError } from "../../errors/nac-error";
import { parseDicom, TAG, type DicomDataset } from "../dicom";
import type { Vec3 } from "../volume";

export interface RtContour {
  geometricType: string;
  points: Vec3[];
  /** Referenced image SOP instance UIDs (ContourImageSequence), when given. */
  imageUids: string[];
}

export interface RtRoi {
  number: number;
  name: string;
  frameOfReferenceUid?: string;
  contours: RtContour[];
}

export interface RtStructure {
  frameOfReferenceUid?: string;
  rois: RtRoi[];
}

export function readRtStruct(input: Uint8Array | DicomDataset): RtStructure {
  const ds = input instanceof Uint8Array ? parseDicom(input) : input;
  if (ds.string(TAG.Modality) !== "RTSTRUCT") {
    throw new NacError(
      "DICOM_UNSUPPORTED",
      `not an RT Structure Set (Modality ${ds.string(TAG.Modality) ?? "missing"})`,
    );
  }
  const rois = new Map<number, RtRoi>();
  for (const item of ds.sequence(TAG.StructureSetROISequence)) {
    const number = item.integerString(TAG.ROINumber);
    if (number === undefined) throw new NacError("DICOM_MALFORMED", "RTSTRUCT ROI without ROINumber (3006,0022)");
    rois.set(number, {
      number,
      name: item.string(TAG.ROIName) ?? `ROI ${number}`,
      frameOfReferenceUid: item.string("30060024"), // ReferencedFrameOfReferenceUID
      contours: [],
    });
  }
  for (const rc of ds.sequence(TAG.ROIContourSequence)) {
    const number = rc.integerString(TAG.ReferencedROINumber);
    if (number === undefined)
      throw new NacError("DICOM_MALFORMED", "RTSTRUCT ROI contour without ReferencedROINumber (3006,0084)");
    const roi = rois.get(number) ?? { number, name: `ROI ${number}`, contours: [] };
    rois.set(number, roi);
    for (const c of rc.sequence(TAG.ContourSequence)) {
      const data = c.decimals(TAG.ContourData) ?? [];
      if (data.length % 3 !== 0)
        throw new NacError(
          "DICOM_MALFORMED",
          `ROI ${number}: ContourData has ${data.length} values, not a multiple of 3`,
        );
      const points: Vec3[] = [];
      for (let p = 0; p < data.length; p += 3) points.push([data[p], data[p + 1], data[p + 2]]);
      const declared = c.integerString(TAG.NumberOfContourPoints);
      if (declared !== undefined && declared !== points.length) {
        throw new NacError(
          "DICOM_MALFORMED",
          `ROI ${number}: NumberOfContourPoints ${declared} but ContourData holds ${points.length}`,
        );
      }
      roi.contours.push({
        geometricType: c.string(TAG.ContourGeometricType) ?? "CLOSED_PLANAR",
        points,
        imageUids: c
          .sequence(TAG.ContourImageSequence)
          .map((i) => i.string(TAG.ReferencedSOPInstanceUID))
          .filter((u): u is string => !!u),
      });
    }
  }
  const forUid = ds.item(TAG.ReferencedFrameOfReferenceSequence)?.string(TAG.FrameOfReferenceUID);
  return { frameOfReferenceUid: forUid, rois: [...rois.values()].sort((a, b) => a.number - b.number) };
}
