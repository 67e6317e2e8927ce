import { dcmjs } from "./dcmjs";
import { NacError } from "../../errors";

/**
 * Optional de-identification at import: a subset of the DICOM PS3.15 Basic Application Level Confidentiality Profile
 * aimed at what a research import must not keep (names, IDs, dates of birth, addresses, institution and operator
 * names, free-text comments). PatientID becomes a pseudonym given by the caller (stable per patient, so a cohort stays
 * linked); UIDs are retained (option "Retain UIDs", 113110) so series, ROIs and SEGs still reference each other;
 * study dates are kept (needed for "pre-treatment"). PatientIdentityRemoved = YES and the method are recorded in the file.
 * Pixel data are not inspected: burnt-in annotations are out of scope (documented limitation).
 */
const REMOVE = [
  "00100030", // PatientBirthDate (age is kept in PatientAge when present)
  "00100032", // PatientBirthTime
  "00101000", // OtherPatientIDs
  "00101001", // OtherPatientNames
  "00101040", // PatientAddress
  "00102154", // PatientTelephoneNumbers
  "00104000", // PatientComments
  "00080080", // InstitutionName
  "00080081", // InstitutionAddress
  "00080090", // ReferringPhysicianName
  "00081048", // PhysiciansOfRecord
  "00081050", // PerformingPhysicianName
  "00081060", // NameOfPhysiciansReadingStudy
  "00081070", // OperatorsName
  "00081010", // StationName
  "00081040", // InstitutionalDepartmentName
  "00321032", // RequestingPhysician
  "00400006", // ScheduledPerformingPhysicianName
  "00380300", // CurrentPatientLocation
  "00102160", // EthnicGroup
  "00080050", // AccessionNumber
  "00200010", // StudyID
];

export interface DeidentifyOptions {
  /** Pseudonym written to PatientID and PatientName. */
  pseudonym: string;
}

export function deidentifyDicom(bytes: Uint8Array, opts: DeidentifyOptions): Uint8Array {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(opts.pseudonym))
    throw new NacError("BAD_REQUEST", `invalid pseudonym ${JSON.stringify(opts.pseudonym)}`);
  let dict;
  try {
    dict = dcmjs.data.DicomMessage.readFile(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
  } catch (e) {
    throw new NacError("DICOM_MALFORMED", `cannot de-identify: ${(e as Error).message}`);
  }
  const ds = dict.dict as Record<string, { vr: string; Value?: unknown[] }>;
  for (const tag of REMOVE) delete ds[tag];
  // Private tags may hold anything: drop them all.
  for (const tag of Object.keys(ds)) if (parseInt(tag.slice(0, 4), 16) % 2 === 1) delete ds[tag];
  ds["00100010"] = { vr: "PN", Value: [{ Alphabetic: opts.pseudonym }] };
  ds["00100020"] = { vr: "LO", Value: [opts.pseudonym] };
  ds["00120062"] = { vr: "CS", Value: ["YES"] };
  ds["00120063"] = { vr: "LO", Value: ["NACpredict basic profile subset, retain UIDs, retain dates"] };
  const out = new dcmjs.data.DicomDict(dict.meta);
  out.dict = dict.dict;
  return new Uint8Array(out.write());
}
