/**
 * The tumour ROI of a synthetic series as a DICOM SEG (lib/imaging's writeSeg) referencing that series' instances.
 * Everything writeSeg lets us fix (UIDs, dates) is derived from the seed; its one random element, the
 * DimensionOrganizationUID, is then replaced by a deterministic UID, so the bytes are reproducible. (Better: a writeSeg option for it; until then this keeps "same seed, same bytes".)
 */
import { NacError } from "../errors/nac-error";
import { writeSeg } from "../imaging/seg/write-seg";
import type { SeriesMetadata } from "../imaging/series/read-series";
import type { Mask } from "../imaging/volume";
import { CT_IMAGE_STORAGE, MR_IMAGE_STORAGE, SERIES_DESCRIPTORS, type PatientIdentifiers } from "./dicom-series";
import { uidFromKey } from "./hash";
import type { PatientModel } from "./patient-model";
import type { SeriesRole } from "./render";

/** SOP instance UID of slice k of a series (the same derivation encodeImageSeries uses). */
export function sopInstanceUid(m: PatientModel, role: SeriesRole, k: number): string {
  return uidFromKey(`${m.seed}/patient/${m.index}/sop/${role}/${k}`);
}

function isoToDate(da: string, hhmmss: string): Date {
  return new Date(
    Date.UTC(
      +da.slice(0, 4),
      +da.slice(4, 6) - 1,
      +da.slice(6, 8),
      +hhmmss.slice(0, 2),
      +hhmmss.slice(2, 4),
      +hhmmss.slice(4, 6),
    ),
  );
}

/**
 * Replaces every DimensionOrganizationUID (0020,9164) value by a deterministic UID. The random original may differ in
 * length from run to run, so elements are re-spliced with their own length field; this is safe because dcmjs writes
 * every sequence and item with undefined length (delimiters), which the function checks for the enclosing sequences.
 */
export function fixDimensionOrganizationUid(bytes: Uint8Array, key: string): Uint8Array {
  const uid = uidFromKey(key);
  const value = new Uint8Array(uid.length + (uid.length % 2));
  for (let c = 0; c < uid.length; c++) value[c] = uid.charCodeAt(c);
  const pattern = [0x20, 0x00, 0x64, 0x91, 0x55, 0x49];
  const parts: Uint8Array[] = [];
  let from = 0;
  let replaced = 0;
  for (let i = 132; i + 8 <= bytes.length; i++) {
    let hit = true;
    for (let p = 0; p < 6; p++) {
      if (bytes[i + p] !== pattern[p]) {
        hit = false;
        break;
      }
    }
    if (!hit) continue;
    const len = bytes[i + 6] | (bytes[i + 7] << 8);
    parts.push(bytes.subarray(from, i));
    parts.push(new Uint8Array([...pattern, value.length & 0xff, value.length >> 8]), value);
    from = i + 8 + len;
    i = from - 1;
    replaced++;
  }
  if (replaced === 0) throw new NacError("INTERNAL", "SEG has no DimensionOrganizationUID to make deterministic");
  // The enclosing sequences (0020,9221) and (0020,9222) must have undefined length for the splice to be valid.
  for (const e of [0x21, 0x22]) {
    for (let i = 132; i + 12 <= bytes.length; i++) {
      if (
        bytes[i] === 0x20 &&
        bytes[i + 1] === 0 &&
        bytes[i + 2] === e &&
        bytes[i + 3] === 0x92 &&
        bytes[i + 4] === 0x53 &&
        bytes[i + 5] === 0x51
      ) {
        if (!(bytes[i + 8] === 0xff && bytes[i + 9] === 0xff && bytes[i + 10] === 0xff && bytes[i + 11] === 0xff)) {
          throw new NacError("INTERNAL", "SEG dimension sequences have explicit lengths; cannot re-splice the UID");
        }
      }
    }
  }
  parts.push(bytes.subarray(from));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function encodeTumourSeg(m: PatientModel, ids: PatientIdentifiers, role: SeriesRole, mask: Mask): Uint8Array {
  const d = SERIES_DESCRIPTORS[role];
  const study = d.studyKey;
  const nz = mask.dims[2];
  const meta: SeriesMetadata = {
    seriesInstanceUid: ids.seriesInstanceUid[role],
    studyInstanceUid: ids.studyInstanceUid[study],
    frameOfReferenceUid: ids.frameOfReferenceUid[study],
    patientId: m.patientId,
    patientName: m.patientName,
    patientBirthDate: ids.birthDate,
    patientSex: "F",
    studyTime: study === "CT" ? "081500" : "093000",
    studyId: study === "CT" ? "1" : "2",
    accessionNumber: ids.accessionNumber[study],
    referringPhysicianName: "",
    modality: d.modality,
    sopClassUid: d.modality === "CT" ? CT_IMAGE_STORAGE : MR_IMAGE_STORAGE,
    seriesDescription: d.seriesDescription,
    seriesNumber: d.seriesNumber,
    studyDate: ids.studyDate[study],
    sopInstanceUids: Array.from({ length: nz }, (_, k) => sopInstanceUid(m, role, k)),
    frameNumbers: new Array(nz).fill(1),
    acquisition: {},
    rescaleSlopes: new Array(nz).fill(1),
    rescaleIntercepts: new Array(nz).fill(role === "CT" ? -1024 : 0),
  };
  const key = `${m.seed}/patient/${m.index}/seg/${role}`;
  const bytes = writeSeg(
    { geometry: mask, meta },
    [{ mask, label: "Tumour", description: "Synthetic tumour ROI (planted truth)", algorithmType: "MANUAL" }],
    {
      seriesDescription: `Tumour ROI - ${d.seriesDescription} (synthetic)`,
      seriesNumber: 100 + d.seriesNumber,
      contentLabel: "TUMOUR",
      contentCreatorName: "NACpredict^Synthetic",
      seriesInstanceUid: uidFromKey(`${key}/series`),
      sopInstanceUid: uidFromKey(`${key}/sop`),
      date: isoToDate(ids.studyDate[study], "120000"),
    },
  );
  return fixDimensionOrganizationUid(bytes, `${key}/dimension-organization`);
}
