/**
 * DICOM headers of the synthetic series: MR Image Storage for CE-T1 and T2 (one study, shared frame of reference),
 * CT Image Storage for the chest CT (its own study and frame of reference). Every identifier is derived from the
 * cohort seed and patient index, and every file says it is a synthetic phantom.
 */
import type { Volume } from "../imaging/volume";
import { type Element, encodePart10, int16SliceBytes, tag } from "./dicom-part10";
import { sha256Hex, uidFromKey } from "./hash";
import type { PatientModel } from "./patient-model";
import type { SeriesRole } from "./render";

export const MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";
export const CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
export const SYNTHETIC_NOTICE = "SYNTHETIC PHANTOM - NOT A REAL PATIENT";

export interface SeriesDescriptor {
  role: SeriesRole;
  modality: "MR" | "CT";
  seriesDescription: string;
  seriesNumber: number;
  studyKey: "MR" | "CT";
}

export const SERIES_DESCRIPTORS: Record<SeriesRole, SeriesDescriptor> = {
  "CE-T1": {
    role: "CE-T1",
    modality: "MR",
    seriesDescription: "Ax T1 FS post-contrast",
    seriesNumber: 5,
    studyKey: "MR",
  },
  T2: { role: "T2", modality: "MR", seriesDescription: "Ax T2 FSE", seriesNumber: 3, studyKey: "MR" },
  CT: { role: "CT", modality: "CT", seriesDescription: "CT CHEST W CONTRAST", seriesNumber: 2, studyKey: "CT" },
};

export interface PatientIdentifiers {
  studyInstanceUid: Record<"MR" | "CT", string>;
  frameOfReferenceUid: Record<"MR" | "CT", string>;
  seriesInstanceUid: Record<SeriesRole, string>;
  studyDate: Record<"MR" | "CT", string>;
  accessionNumber: Record<"MR" | "CT", string>;
  birthDate: string;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, "");
}

export function patientIdentifiers(m: PatientModel): PatientIdentifiers {
  const key = (what: string) => `${m.seed}/patient/${m.index}/${what}`;
  // Deterministic fake dates: an MR day in 2024-2025 and the staging CT 1-10 days before it.
  const h = parseInt(sha256Hex(key("dates")).slice(0, 8), 16);
  const mrDay = new Date(Date.UTC(2024, 0, 2) + (h % 700) * 86400000);
  const ctDay = new Date(mrDay.getTime() - (1 + ((h >>> 12) % 10)) * 86400000);
  const birthYear = mrDay.getUTCFullYear() - m.clinical.ageYears;
  return {
    studyInstanceUid: { MR: uidFromKey(key("study/MR")), CT: uidFromKey(key("study/CT")) },
    frameOfReferenceUid: { MR: uidFromKey(key("for/MR")), CT: uidFromKey(key("for/CT")) },
    seriesInstanceUid: {
      "CE-T1": uidFromKey(key("series/CE-T1")),
      T2: uidFromKey(key("series/T2")),
      CT: uidFromKey(key("series/CT")),
    },
    studyDate: { MR: isoDate(mrDay), CT: isoDate(ctDay) },
    accessionNumber: {
      MR: `SYN${(h % 1e7).toString().padStart(7, "0")}M`,
      CT: `SYN${(h % 1e7).toString().padStart(7, "0")}C`,
    },
    // January 1st, so that the age on the MR day is exactly the clinical age.
    birthDate: `${birthYear}0101`,
  };
}

const T = tag;

/** Modality- and sequence-specific elements. */
function acquisitionElements(role: SeriesRole, sliceMm: number): Element[] {
  if (role === "CE-T1") {
    return [
      { tag: T(0x0008, 0x0008), vr: "CS", value: ["ORIGINAL", "PRIMARY", "OTHER"] },
      { tag: T(0x0018, 0x0010), vr: "LO", value: "Gadobutrol" },
      { tag: T(0x0018, 0x1040), vr: "LO", value: "IV" },
      { tag: T(0x0018, 0x1041), vr: "DS", value: 7.5 },
      { tag: T(0x0018, 0x0020), vr: "CS", value: "GR" },
      { tag: T(0x0018, 0x0021), vr: "CS", value: ["SP", "SS"] },
      { tag: T(0x0018, 0x0022), vr: "CS", value: ["FS"] },
      { tag: T(0x0018, 0x0023), vr: "CS", value: "3D" },
      { tag: T(0x0018, 0x0024), vr: "SH", value: "fl3d_fs_post1" },
      { tag: T(0x0018, 0x0080), vr: "DS", value: 4.5 },
      { tag: T(0x0018, 0x0081), vr: "DS", value: 1.9 },
      { tag: T(0x0018, 0x0083), vr: "DS", value: 1 },
      { tag: T(0x0018, 0x0087), vr: "DS", value: 3 },
      { tag: T(0x0018, 0x0084), vr: "DS", value: 127.74 },
      { tag: T(0x0018, 0x1314), vr: "DS", value: 10 },
      { tag: T(0x0018, 0x0088), vr: "DS", value: sliceMm },
      { tag: T(0x0018, 0x5100), vr: "CS", value: "FFP" },
      { tag: T(0x0020, 0x0100), vr: "IS", value: 2 },
      { tag: T(0x0020, 0x0105), vr: "IS", value: 6 },
    ];
  }
  if (role === "T2") {
    return [
      { tag: T(0x0008, 0x0008), vr: "CS", value: ["ORIGINAL", "PRIMARY", "OTHER"] },
      { tag: T(0x0018, 0x0020), vr: "CS", value: "SE" },
      { tag: T(0x0018, 0x0021), vr: "CS", value: ["SK", "OSP"] },
      { tag: T(0x0018, 0x0022), vr: "CS", value: ["SAT1"] },
      { tag: T(0x0018, 0x0023), vr: "CS", value: "2D" },
      { tag: T(0x0018, 0x0024), vr: "SH", value: "tse2d1_17" },
      { tag: T(0x0018, 0x0080), vr: "DS", value: 5200 },
      { tag: T(0x0018, 0x0081), vr: "DS", value: 85 },
      { tag: T(0x0018, 0x0083), vr: "DS", value: 1 },
      { tag: T(0x0018, 0x0087), vr: "DS", value: 3 },
      { tag: T(0x0018, 0x0084), vr: "DS", value: 127.74 },
      { tag: T(0x0018, 0x0091), vr: "IS", value: 17 },
      { tag: T(0x0018, 0x1314), vr: "DS", value: 150 },
      { tag: T(0x0018, 0x0088), vr: "DS", value: sliceMm },
      { tag: T(0x0018, 0x5100), vr: "CS", value: "FFP" },
    ];
  }
  return [
    { tag: T(0x0008, 0x0008), vr: "CS", value: ["ORIGINAL", "PRIMARY", "AXIAL"] },
    { tag: T(0x0018, 0x0010), vr: "LO", value: "Iohexol 350" },
    { tag: T(0x0018, 0x1040), vr: "LO", value: "IV" },
    { tag: T(0x0018, 0x1041), vr: "DS", value: 80 },
    { tag: T(0x0018, 0x0060), vr: "DS", value: 120 },
    { tag: T(0x0018, 0x0088), vr: "DS", value: sliceMm },
    { tag: T(0x0018, 0x1210), vr: "SH", value: "STANDARD" },
    { tag: T(0x0018, 0x5100), vr: "CS", value: "HFS" },
    { tag: T(0x0028, 0x1052), vr: "DS", value: -1024 },
    { tag: T(0x0028, 0x1053), vr: "DS", value: 1 },
    { tag: T(0x0028, 0x1054), vr: "LO", value: "HU" },
  ];
}

const WINDOWS: Record<SeriesRole, [number, number]> = { "CE-T1": [600, 1200], T2: [450, 900], CT: [40, 400] };

/**
 * One Part 10 file per slice, slice k at origin + k * spacing[2] along +z (feet to head), InstanceNumber k + 1.
 * MR volumes carry their stored values directly; CT volumes are in HU and are stored as HU + 1024 (rescale -1024).
 */
export function encodeImageSeries(
  m: PatientModel,
  ids: PatientIdentifiers,
  role: SeriesRole,
  volume: Volume<Uint16Array> | Volume<Int16Array>,
): Uint8Array[] {
  const d = SERIES_DESCRIPTORS[role];
  const [nx, ny, nz] = volume.dims;
  const [sx, sy, sz] = volume.spacing;
  const ct = d.modality === "CT";
  const sopClass = ct ? CT_IMAGE_STORAGE : MR_IMAGE_STORAGE;
  const study = d.studyKey;
  const date = ids.studyDate[study];
  const c = m.clinical;
  const common: Element[] = [
    { tag: T(0x0008, 0x0005), vr: "CS", value: "ISO_IR 100" },
    { tag: T(0x0008, 0x0016), vr: "UI", value: sopClass },
    { tag: T(0x0008, 0x0020), vr: "DA", value: date },
    { tag: T(0x0008, 0x0021), vr: "DA", value: date },
    { tag: T(0x0008, 0x0023), vr: "DA", value: date },
    { tag: T(0x0008, 0x0030), vr: "TM", value: ct ? "081500" : "093000" },
    { tag: T(0x0008, 0x0031), vr: "TM", value: ct ? "082000" : role === "T2" ? "093500" : "094500" },
    { tag: T(0x0008, 0x0033), vr: "TM", value: ct ? "082000" : role === "T2" ? "093500" : "094500" },
    { tag: T(0x0008, 0x0050), vr: "SH", value: ids.accessionNumber[study] },
    { tag: T(0x0008, 0x0060), vr: "CS", value: d.modality },
    { tag: T(0x0008, 0x0070), vr: "LO", value: "NACpredict synthetic phantom" },
    { tag: T(0x0008, 0x0080), vr: "LO", value: "SYNTHETIC DATA" },
    { tag: T(0x0008, 0x0090), vr: "PN", value: "" },
    { tag: T(0x0008, 0x1030), vr: "LO", value: ct ? "CT CHEST W CONTRAST" : "MRI BREAST W WO CONTRAST" },
    { tag: T(0x0008, 0x103e), vr: "LO", value: d.seriesDescription },
    { tag: T(0x0008, 0x1090), vr: "LO", value: "NACpredict synth v1" },
    { tag: T(0x0010, 0x0010), vr: "PN", value: m.patientName },
    { tag: T(0x0010, 0x0020), vr: "LO", value: m.patientId },
    { tag: T(0x0010, 0x0030), vr: "DA", value: ids.birthDate },
    { tag: T(0x0010, 0x0040), vr: "CS", value: "F" },
    { tag: T(0x0010, 0x1010), vr: "AS", value: `${String(c.ageYears).padStart(3, "0")}Y` },
    { tag: T(0x0010, 0x4000), vr: "LT", value: SYNTHETIC_NOTICE },
    { tag: T(0x0018, 0x0015), vr: "CS", value: ct ? "CHEST" : "BREAST" },
    { tag: T(0x0018, 0x0050), vr: "DS", value: sz },
    { tag: T(0x0020, 0x000d), vr: "UI", value: ids.studyInstanceUid[study] },
    { tag: T(0x0020, 0x000e), vr: "UI", value: ids.seriesInstanceUid[role] },
    { tag: T(0x0020, 0x0010), vr: "SH", value: ct ? "1" : "2" },
    { tag: T(0x0020, 0x0011), vr: "IS", value: d.seriesNumber },
    { tag: T(0x0020, 0x0012), vr: "IS", value: 1 },
    { tag: T(0x0020, 0x0037), vr: "DS", value: [1, 0, 0, 0, 1, 0] },
    { tag: T(0x0020, 0x0052), vr: "UI", value: ids.frameOfReferenceUid[study] },
    { tag: T(0x0020, 0x1040), vr: "LO", value: "" },
    { tag: T(0x0020, 0x4000), vr: "LT", value: SYNTHETIC_NOTICE },
    { tag: T(0x0028, 0x0002), vr: "US", value: 1 },
    { tag: T(0x0028, 0x0004), vr: "CS", value: "MONOCHROME2" },
    { tag: T(0x0028, 0x0010), vr: "US", value: ny },
    { tag: T(0x0028, 0x0011), vr: "US", value: nx },
    { tag: T(0x0028, 0x0030), vr: "DS", value: [sy, sx] },
    { tag: T(0x0028, 0x0100), vr: "US", value: 16 },
    { tag: T(0x0028, 0x0101), vr: "US", value: 12 },
    { tag: T(0x0028, 0x0102), vr: "US", value: 11 },
    { tag: T(0x0028, 0x0103), vr: "US", value: 0 },
    { tag: T(0x0028, 0x1050), vr: "DS", value: WINDOWS[role][0] },
    { tag: T(0x0028, 0x1051), vr: "DS", value: WINDOWS[role][1] },
    ...acquisitionElements(role, sz),
    // Laterality of the imaged breast (a chest CT is not lateralised).
    ...(ct ? [] : [{ tag: T(0x0020, 0x0060), vr: "CS" as const, value: c.laterality }]),
  ];
  const files: Uint8Array[] = [];
  const sliceLen = nx * ny;
  let stored: Uint16Array;
  if (ct) {
    stored = new Uint16Array(volume.data.length);
    const hu = volume.data;
    for (let i = 0; i < hu.length; i++) stored[i] = hu[i] + 1024;
  } else {
    stored = volume.data as Uint16Array;
  }
  for (let k = 0; k < nz; k++) {
    // Keep in step with seg-series.ts sopInstanceUid().
    const sop = uidFromKey(`${m.seed}/patient/${m.index}/sop/${role}/${k}`);
    const pos = [volume.origin[0], volume.origin[1], volume.origin[2] + k * sz];
    const perSlice: Element[] = [
      { tag: T(0x0008, 0x0018), vr: "UI", value: sop },
      { tag: T(0x0020, 0x0013), vr: "IS", value: k + 1 },
      { tag: T(0x0020, 0x0032), vr: "DS", value: pos },
      { tag: T(0x0020, 0x1041), vr: "DS", value: pos[2] },
      { tag: T(0x7fe0, 0x0010), vr: "OW", value: int16SliceBytes(stored, k * sliceLen, sliceLen) },
    ];
    files.push(encodePart10(sopClass, sop, [...common, ...perSlice]));
  }
  return files;
}
