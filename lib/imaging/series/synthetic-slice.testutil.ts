/** Test helper: a tiny 4x3 16-bit MR slice as DICOM bytes (dcmjs), at z mm, every pixel = value. */
import { dcmjs } from "../dicom/dcmjs";

let counter = 0;

export function syntheticSlice(o: {
  seriesUid: string;
  z: number;
  value: number;
  extra?: Record<string, unknown>;
}): Uint8Array {
  const uid = `1.2.826.0.1.3680043.10.1.${++counter}`;
  const px = new Uint16Array(12).fill(o.value);
  const meta = {
    MediaStorageSOPClassUID: { Value: ["1.2.840.10008.5.1.4.1.1.4"], vr: "UI" },
    MediaStorageSOPInstanceUID: { Value: [uid], vr: "UI" },
    TransferSyntaxUID: { Value: ["1.2.840.10008.1.2.1"], vr: "UI" },
  };
  const ds = {
    SOPClassUID: "1.2.840.10008.5.1.4.1.1.4",
    SOPInstanceUID: uid,
    Modality: "MR",
    StudyInstanceUID: "1.2.826.0.1.3680043.10.1.1000",
    SeriesInstanceUID: o.seriesUid,
    FrameOfReferenceUID: "1.2.826.0.1.3680043.10.1.1001",
    ImagePositionPatient: [0, 0, o.z],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    PixelSpacing: [1, 1],
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: 3,
    Columns: 4,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
    ...o.extra,
    PixelData: [px.buffer],
    _vrMap: { PixelData: "OW" },
  };
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds);
  return new Uint8Array(dict.write());
}
