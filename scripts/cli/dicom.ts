/**
 * `nac dicom info FILE`: header summary + decoded stored-value statistics of one DICOM file as one JSON object
 * (keys as in shared/data/pydicom's reference JSONs). A malformed file is a NacError -> one line, exit 2.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { NacError } from "../../lib/errors";
import { describeDicom, parseDicom } from "../../lib/imaging/dicom";
import { useNodeCodecWasm } from "../../lib/imaging/dicom/node/codec-wasm";

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
}
