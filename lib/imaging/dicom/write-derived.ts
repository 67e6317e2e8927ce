/**
 * What every DICOM object NACpredict writes (SEG, SR) shares: the Part 10 file meta, the patient/study/equipment
 * header copied from the source so the object files under the same patient and study, and serialisation with dcmjs.
 */
import { dcmjs } from "./dcmjs";

const EXPLICIT_LE = "1.2.840.10008.1.2.1";
const IMPLEMENTATION_UID = "2.25.229318740623046184637651917432018651327";

/** The patient and study attributes a derived object copies from its source. */
export interface DerivedFromStudy {
  patientName?: string;
  patientId?: string;
  patientBirthDate?: string;
  patientSex?: string;
  studyDate?: string;
  studyTime?: string;
  studyId?: string;
  accessionNumber?: string;
  referringPhysicianName?: string;
}

const pad2 = (n: number) => String(n).padStart(2, "0");
/** DA (YYYYMMDD, UTC). */
export const dicomDate = (d: Date) => `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;
/** TM (HHMMSS, UTC). */
export const dicomTime = (d: Date) => `${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}`;

/** The header attributes (dcmjs naturalised names) of a derived object created at `date`. */
export function derivedHeader(
  sopClassUid: string,
  sopInstanceUid: string,
  date: Date,
  src: DerivedFromStudy,
): Record<string, unknown> {
  return {
    // File meta keyed by tag: DicomDict writes its meta as given, so names here would become bogus tags.
    _meta: {
      "00020001": { Value: [new Uint8Array([0, 1]).buffer], vr: "OB" },
      "00020002": { Value: [sopClassUid], vr: "UI" },
      "00020003": { Value: [sopInstanceUid], vr: "UI" },
      "00020010": { Value: [EXPLICIT_LE], vr: "UI" },
      "00020012": { Value: [IMPLEMENTATION_UID], vr: "UI" },
      "00020013": { Value: ["NACPREDICT_0_1"], vr: "SH" },
    },
    SpecificCharacterSet: "ISO_IR 192",
    SOPClassUID: sopClassUid,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: src.studyDate ?? "",
    StudyTime: src.studyTime ?? "",
    ContentDate: dicomDate(date),
    ContentTime: dicomTime(date),
    SeriesDate: dicomDate(date),
    SeriesTime: dicomTime(date),
    AccessionNumber: src.accessionNumber ?? "",
    Manufacturer: "NACpredict",
    ManufacturerModelName: "NACpredict",
    SoftwareVersions: "0.1.0",
    ReferringPhysicianName: src.referringPhysicianName ?? "",
    PatientName: src.patientName ?? "",
    PatientID: src.patientId ?? "",
    PatientBirthDate: src.patientBirthDate ?? "",
    PatientSex: src.patientSex ?? "",
    StudyID: src.studyId ?? "",
  };
}

/** A dataset built on `derivedHeader` as DICOM Part 10 bytes (explicit VR little endian). */
export function writePart10(dataset: Record<string, unknown>): Uint8Array {
  const { _meta, ...body } = dataset;
  const dict = new dcmjs.data.DicomDict(_meta as Record<string, unknown>);
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(body);
  return new Uint8Array(dict.write());
}
