import { createHash } from "node:crypto";
import { open, readFile } from "node:fs/promises";
import { isNacError, NacError } from "../errors";
import { parseDicom, TAG } from "../imaging/dicom";
import { deidentifyDicom } from "../imaging/dicom/deidentify";
import { tooLarge, type UploadLimits } from "../upload/limits";
import { readZipEntries, type UploadBudget } from "../upload/read-zip";
import type { ReceivedFile } from "../upload/receive-multipart";
import type { ImportFile, ImportFileResult } from "./import-dicom";

/**
 * Turns uploaded files (already streamed to disk, see lib/upload) into import files: zips are unpacked with their
 * limits (nested folders flattened into "zip/path" names; hidden files and macOS resource forks reported as ignored),
 * and, when asked, every DICOM file is de-identified with a pseudonym derived from its PatientID and a site salt (same
 * patient -> same pseudonym, not reversible without the salt). A limit crossed throws PAYLOAD_TOO_LARGE for the whole
 * request; an unreadable zip is an error for that file only.
 */
export async function expandUploads(
  received: ReceivedFile[],
  limits: UploadLimits,
): Promise<{ files: ImportFile[]; errors: ImportFileResult[] }> {
  const out: ImportFile[] = [];
  const errors: ImportFileResult[] = [];
  const budget: UploadBudget = { files: 0, inflatedBytes: 0 };
  for (const f of received) {
    if (await isZip(f.path)) {
      try {
        const { entries, skipped } = await readZipEntries(f.path, f.name, limits, budget);
        for (const e of entries) out.push({ name: `${f.name}/${e.name}`, bytes: e.bytes });
        for (const s of skipped) errors.push({ name: `${f.name}/${s.name}`, status: "ignored", message: s.reason });
      } catch (e) {
        if (isNacError(e) && e.code === "PAYLOAD_TOO_LARGE") throw e;
        errors.push({ name: f.name, status: "error", code: "UNSUPPORTED_MEDIA", message: (e as Error).message });
      }
      continue;
    }
    if (budget.inflatedBytes + f.size > limits.maxInflatedBytes)
      throw tooLarge("the uploaded files are too large", limits.maxInflatedBytes);
    budget.files++;
    budget.inflatedBytes += f.size;
    out.push({ name: f.name, bytes: new Uint8Array(await readFile(f.path)) });
  }
  return { files: out, errors };
}

async function isZip(file: string): Promise<boolean> {
  const fh = await open(file, "r");
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    return bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  } finally {
    await fh.close();
  }
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
