/**
 * `nac dicom info FILE`: header summary + decoded stored-value statistics of one DICOM file as one JSON object
 * (keys as in shared/data/pydicom's reference JSONs). A malformed file is a NacError -> one line, exit 2.
 * `nac dicom series PATH`: the image series of a folder as volumes, with geometry and the suggested role.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { NacError } from "../../lib/errors";
import { describeDicom, parseDicom } from "../../lib/imaging/dicom";
import { useNodeCodecWasm } from "../../lib/imaging/dicom/node/codec-wasm";
import { loadDicomSeries } from "../../lib/imaging/node/load-volume";
import { classifySeriesRole } from "../../lib/imaging/series";

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new NacError("NOT_FOUND", `cannot read ${file}: ${(e as Error).message}`);
  }
}

export function register(program: Command): void {
  const dicom = program.command("dicom").description("DICOM file tools");
  dicom
    .command("info")
    .description("print header fields and stored-value sum/min/max of one DICOM file as JSON")
    .argument("<file>", "DICOM Part 10 file (or raw data set)")
    .action(async (file: string) => {
      useNodeCodecWasm();
      const info = await describeDicom(parseDicom(await readBytes(file)));
      process.stdout.write(JSON.stringify(info, null, 1) + "\n");
    });
  dicom
    .command("series")
    .description("list the image series of a DICOM folder: uid, description, dims, spacing, suggested role (JSON)")
    .argument("<path>", "DICOM folder (searched recursively) or file")
    .action(async (p: string) => {
      const series = await loadDicomSeries(p);
      const out = series.map(({ volume: v, meta: m }) => ({
        series_instance_uid: m.seriesInstanceUid,
        ...(m.phase ? { phase: m.phase } : {}),
        series_number: m.seriesNumber ?? null,
        series_description: m.seriesDescription ?? null,
        modality: m.modality ?? null,
        dims: v.dims,
        spacing: v.spacing,
        origin: v.origin,
        direction: v.direction,
        frame_of_reference_uid: m.frameOfReferenceUid ?? null,
        role: classifySeriesRole(m),
      }));
      process.stdout.write(JSON.stringify(out, null, 1) + "\n");
    });
}
