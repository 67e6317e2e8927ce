/**
 * Node edge: load images and masks from disk into the imaging core's `Volume` / `Mask`.
 *
 * Formats, detected by content (extension only as a hint): NRRD (.nrrd, or .nhdr + data file), NIfTI-1/2 (.nii, .nii.gz), and
 * DICOM (a folder, searched recursively, or a single file; via readDicomSeries). Masks: NIfTI or NRRD label maps,
 * checked against a reference grid with the documented tolerance of lib/imaging/geometry.ts (1e-3 x voxel spacing);
 * a mismatch is NacError GEOMETRY_MISMATCH naming what differs, unless resampling onto the reference is asked for.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "fflate";
import { NacError, isNacError } from "../../errors";
import { parseDicom, type DicomDataset } from "../dicom";
// Aliased: the name starts with "use" but it is not a React hook (lint rule).
import { useNodeCodecWasm as installNodeCodecWasm } from "../dicom/node/codec-wasm";
import { assertSameGeometry, sameGeometry } from "../geometry";
import { readNifti } from "../nifti";
import { nrrdDataFileName, readNrrd } from "../nrrd";
import { resampleMask, type MaskInterpolation } from "../resample";
import { readDicomSeries, type DicomSeries } from "../series";
import { makeVolume, type Geometry, type Mask, type Volume } from "../volume";

export type ImageFileFormat = "nrrd" | "nifti" | "dicom";

export interface LoadVolumeOptions {
  /** For a DICOM folder holding several series: the SeriesInstanceUID to load. */
  seriesUid?: string;
}

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new NacError("NOT_FOUND", `cannot read ${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** Format of a file from its first bytes (gzip is looked into, for .nii.gz). */
export function sniffFormat(bytes: Uint8Array): ImageFileFormat | null {
  const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));
  if (ascii(bytes, 0, 4) === "NRRD") return "nrrd";
  let head = bytes;
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      head = gunzipSync(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
    } catch {
      // A truncated gzip prefix can fail to inflate; fall back to decompressing everything.
      try {
        head = gunzipSync(bytes);
      } catch {
        return null;
      }
    }
  }
  if (head.length >= 348) {
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const s = dv.getInt32(0, true);
    const sb = dv.getInt32(0, false);
    if (s === 348 || sb === 348 || s === 540 || sb === 540) return "nifti";
  }
  if (bytes.length > 132 && ascii(bytes, 128, 4) === "DICM") return "dicom";
  return null;
}

export async function detectFormat(p: string): Promise<ImageFileFormat> {
  let st;
  try {
    st = await stat(p);
  } catch (e) {
    throw new NacError("NOT_FOUND", `no such file or folder: ${p}`, undefined, { cause: e });
  }
  if (st.isDirectory()) return "dicom";
  const f = sniffFormat(await readBytes(p));
  if (f) return f;
  const lower = p.toLowerCase();
  if (lower.endsWith(".dcm")) return "dicom";
  throw new NacError("UNSUPPORTED_MEDIA", `${p}: not a NRRD, NIfTI or DICOM file`);
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full)));
    else if (e.isFile()) out.push(full);
  }
  return out.sort();
}

/** All image series of a DICOM folder (or single file). Files that are not DICOM are skipped. */
export async function loadDicomSeries(p: string): Promise<DicomSeries[]> {
  installNodeCodecWasm();
  const st = await stat(p);
  const files = st.isDirectory() ? await listFiles(p) : [p];
  const datasets: DicomDataset[] = [];
  let skipped = 0;
  for (const f of files) {
    const bytes = await readBytes(f);
    try {
      datasets.push(parseDicom(bytes));
    } catch (e) {
      // Non-DICOM files (notes, DICOMDIR-adjacent junk) are skipped; a single file given explicitly must parse.
      if (!st.isDirectory() || !isNacError(e) || e.code !== "DICOM_MALFORMED") throw e;
      skipped++;
    }
  }
  const series = await readDicomSeries(datasets);
  if (series.length === 0) {
    throw new NacError("NOT_FOUND", `${p}: no DICOM image series found (${files.length} files, ${skipped} not DICOM)`);
  }
  return series;
}

/** NRRD, also a detached header (.nhdr) whose data file is resolved relative to the header's folder. */
async function loadNrrd(p: string): Promise<Volume> {
  const bytes = await readBytes(p);
  const dataName = nrrdDataFileName(bytes);
  if (dataName === null) return readNrrd(bytes);
  return readNrrd(bytes, { dataFile: await readBytes(path.resolve(path.dirname(p), dataName)) });
}

export async function loadVolume(p: string, opts: LoadVolumeOptions = {}): Promise<Volume> {
  const format = await detectFormat(p);
  if (format === "nrrd") return loadNrrd(p);
  if (format === "nifti") return readNifti(await readBytes(p));
  const series = await loadDicomSeries(p);
  if (opts.seriesUid) {
    const s = series.find((x) => x.meta.seriesInstanceUid === opts.seriesUid);
    if (!s)
      throw new NacError(
        "NOT_FOUND",
        `${p}: no series ${opts.seriesUid} (found ${series.map((x) => x.meta.seriesInstanceUid).join(", ")})`,
      );
    return s.volume;
  }
  if (series.length > 1) {
    const list = series.map(
      (x) => `${x.meta.seriesInstanceUid}${x.meta.seriesDescription ? ` "${x.meta.seriesDescription}"` : ""}`,
    );
    throw new NacError(
      "SERIES_INCONSISTENT",
      `${p} holds ${series.length} image series; choose one: ${list.join("; ")}`,
    );
  }
  return series[0].volume;
}

export interface LoadMaskOptions {
  /** Resample the mask onto the reference grid instead of failing on a geometry mismatch. */
  resampleToReference?: boolean;
  /** Interpolation when resampling (default nearest; linear uses `threshold`, default 0.5). */
  method?: MaskInterpolation;
  threshold?: number;
}

/**
 * A NIfTI/NRRD label map as a Mask (Uint8, labels 0..255). With a reference grid, the mask must lie on it (tolerance
 * of geometry.ts) or be resampled when `resampleToReference` is set.
 */
export async function loadMask(p: string, reference?: Geometry | null, opts: LoadMaskOptions = {}): Promise<Mask> {
  const format = await detectFormat(p);
  if (format === "dicom") {
    throw new NacError(
      "UNSUPPORTED_MEDIA",
      `${p}: DICOM SEG/RTSTRUCT masks are converted with \`nac mask convert\` (lib/imaging/seg, rtstruct); loadMask reads NIfTI/NRRD`,
    );
  }
  const vol = format === "nrrd" ? await loadNrrd(p) : readNifti(await readBytes(p));
  const mask = toMask(vol, p);
  if (!reference || sameGeometry(mask, reference)) return reference ? makeVolume(mask.data, reference) : mask;
  if (!opts.resampleToReference)
    assertSameGeometry(mask, reference, `mask ${path.basename(p)} and the reference image`);
  return resampleMask(mask, {
    referenceGeometry: reference,
    method: opts.method ?? "nearest",
    threshold: opts.threshold,
  });
}

/** Label volume -> Uint8 mask; non-integer or out-of-range labels are an error (no silent rounding). */
export function toMask(vol: Volume, what = "mask"): Mask {
  if (vol.data instanceof Uint8Array) return vol as Mask;
  const out = new Uint8Array(vol.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = vol.data[i];
    if (!(Number.isInteger(v) && v >= 0 && v <= 255)) {
      throw new NacError(
        "DATA_INVALID",
        `${what}: voxel value ${v} is not a label 0..255 (probability maps must be thresholded first)`,
      );
    }
    out[i] = v;
  }
  return makeVolume(out, vol);
}
