import { createHash } from "node:crypto";
import JSZip from "jszip";
import { NacError } from "../errors";
import { parseDicom, TAG } from "../imaging/dicom";
import { deidentifyDicom } from "../imaging/dicom/deidentify";
import type { ImportFile, ImportFileResult } from "./import-dicom";

/**
 * Turns uploaded files into import files: zips are unpacked (nested folders flattened into "zip/path" names, macOS
 * resource forks skipped), and, when asked, every DICOM file is de-identified with a pseudonym derived from its
 * PatientID and a site salt (same patient -> same pseudonym, not reversible without the salt).
 */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

export async function expandUploads(files: ImportFile[]): Promise<{ files: ImportFile[]; errors: ImportFileResult[] }> {
  const out: ImportFile[] = [];
  const errors: ImportFileResult[] = [];
  for (const f of files) {
    const isZip = f.bytes.length > 4 && f.bytes[0] === 0x50 && f.bytes[1] === 0x4b && f.bytes[2] === 0x03 && f.bytes[3] === 0x04;
    if (!isZip) {
      out.push(f);
      continue;
    }
    try {
      const zip = await JSZip.loadAsync(f.bytes);
      for (const entry of Object.values(zip.files)) {
        if (entry.dir || entry.name.startsWith("__MACOSX/") || entry.name.split("/").pop()!.startsWith(".")) continue;
        out.push({ name: `${f.name}/${entry.name}`, bytes: await entry.async("uint8array") });
      }
    } catch (e) {
      errors.push({ name: f.name, status: "error", code: "UNSUPPORTED_MEDIA", message: `not a readable zip archive: ${(e as Error).message}` });
    }
  }
  return { files: out, errors };
}

export function pseudonymFor(patientId: string, salt: string): string {
  return `NAC-${createHash("sha256").update(`${salt}\u0000${patientId}`).digest("hex").slice(0, 10).toUpperCase()}`;
}

export function deidentifyAll(files: ImportFile[], salt: string): { files: ImportFile[]; errors: ImportFileResult[] } {
  const out: ImportFile[] = [];
  const errors: ImportFileResult[] = [];
  for (const f of files) {
    try {
      const id = parseDicom(f.bytes).string(TAG.PatientID);
      if (!id) throw new NacError("DICOM_MALFORMED", "no PatientID to derive a pseudonym from");
      out.push({ name: f.name, bytes: deidentifyDicom(f.bytes, { pseudonym: pseudonymFor(id, salt) }) });
    } catch (e) {
      const err = e as NacError;
      errors.push({ name: f.name, status: "error", code: err.code ?? "DICOM_MALFORMED", message: err.message });
    }
  }
  return { files: out, errors };
}
