/** Input files of the CLI commands, read one way: bytes with a clear error, and an image file or DICOM folder as one volume. */
import { readFile } from "node:fs/promises";
import { NacError } from "../../lib/errors";
import { detectFormat, loadDicomSeries, loadVolume } from "../../lib/imaging/node/load-volume";
import type { DicomSeries } from "../../lib/imaging/series";
import type { Volume } from "../../lib/imaging/volume";

export async function readInputBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new NacError("NOT_FOUND", `cannot read ${file}: ${(e as Error).message}`);
  }
}

/** A NIfTI/NRRD file, or the one DICOM series of a path (`seriesUid` chooses among several). */
export async function loadImageInput(p: string, seriesUid?: string): Promise<{ volume: Volume; series?: DicomSeries }> {
  if ((await detectFormat(p)) !== "dicom") return { volume: await loadVolume(p) };
  const all = await loadDicomSeries(p);
  const s = seriesUid ? all.find((x) => x.meta.seriesInstanceUid === seriesUid) : all.length === 1 ? all[0] : undefined;
  if (!s) {
    throw new NacError(
      "SERIES_INCONSISTENT",
      `${p}: ${seriesUid ? `no series ${seriesUid}` : `${all.length} series; choose one with --series`} (${all.map((x) => x.meta.seriesInstanceUid).join(", ")})`,
    );
  }
  return { volume: s.volume, series: s };
}
