/** Node edge: write a Volume as .nrrd (gzip), .nii or .nii.gz, chosen by the file extension. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { NacError } from "../../errors";
import { writeNifti } from "../nifti";
import { writeNrrd } from "../nrrd";
import type { Volume } from "../volume";

export async function saveVolume(file: string, vol: Volume): Promise<void> {
  const lower = file.toLowerCase();
  let bytes: Uint8Array;
  if (lower.endsWith(".nrrd")) bytes = writeNrrd(vol, { encoding: "gzip" });
  else if (lower.endsWith(".nii.gz")) bytes = writeNifti(vol, { gzip: true });
  else if (lower.endsWith(".nii")) bytes = writeNifti(vol);
  else throw new NacError("BAD_REQUEST", `${file}: output must end in .nrrd, .nii or .nii.gz`);
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(file, bytes);
  } catch (e) {
    throw new NacError("STORAGE_FAILED", `cannot write ${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
}
