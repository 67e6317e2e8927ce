/**
 * bench/dicom: parse + decode time per transfer syntax (lib/imaging/dicom), on the pydicom/dcmqi test files.
 * Reference in the same run: pydicom 2.3.1 (numpy / RLE handlers; GDCM is not installed here, so compressed JPEG
 * files have no reference) via /usr/bin/python3 when available.
 *
 *   npx tsx bench/dicom/decode.ts [--runs 7]
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodePixelData, parseDicom } from "../../lib/imaging/dicom";
import { useNodeCodecWasm as installNodeCodecWasm } from "../../lib/imaging/dicom/node/codec-wasm";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 7) || 7;
const T = path.resolve(import.meta.dirname, "../../lib/testdata");
const FILES: [string, string][] = [
  ["explicit VR LE, 512x512 16-bit CT", "dcmqi/segmentations/ct-3slice/01.dcm"],
  ["implicit VR LE, 512x512 16-bit CT", "dcmqi/segmentations/ct-3slice/02.dcm"],
  ["deflated, 512x512 8-bit", "pydicom/test_files/image_dfl.dcm"],
  ["RLE, 64x64x10 16-bit MR", "pydicom/data_store/emri_small_RLE.dcm"],
  ["JPEG lossless, 512x512 16-bit CT", "pydicom/data_store/bad_sequence.dcm"],
  ["JPEG lossless, 1024x768 8-bit US", "pydicom/data_store/JPGLosslessP14SV1_1s_1f_8b.dcm"],
  ["JPEG extended 12-bit, 1024x256", "pydicom/test_files/JPGExtended.dcm"],
  ["JPEG-LS lossless, 64x64x10 16-bit MR", "pydicom/data_store/emri_small_jpeg_ls_lossless.dcm"],
  ["JPEG 2000 lossless, 512x512 16-bit CT", "pydicom/test_files/J2K_pixelrep_mismatch.dcm"],
  ["JPEG 2000 lossless, 64x64x10 16-bit MR", "pydicom/data_store/emri_small_jpeg_2k_lossless.dcm"],
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function pydicomTimes(): Record<string, number | null> {
  const script = `
import sys, time, json, statistics
import pydicom
out = {}
for f in sys.argv[2:]:
    try:
        ds = pydicom.dcmread(f); ds.pixel_array
        ts = []
        for _ in range(int(sys.argv[1])):
            t0 = time.perf_counter(); ds = pydicom.dcmread(f); a = ds.pixel_array; ts.append((time.perf_counter() - t0) * 1000)
        out[f] = statistics.median(ts)
    except Exception:
        out[f] = None
print(json.dumps(out))`;
  const r = spawnSync("/usr/bin/python3", ["-c", script, String(runs), ...FILES.map(([, f]) => path.join(T, f))], {
    encoding: "utf8",
  });
  if (r.status !== 0) return {};
  return JSON.parse(r.stdout);
}

async function main(): Promise<void> {
  installNodeCodecWasm();
  const ref = pydicomTimes();
  console.log(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model}, node ${process.version}, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  console.log("| file | NACpredict parse+decode (median) | pydicom 2.3.1 (median) |\n| --- | ---: | ---: |");
  for (const [label, f] of FILES) {
    const bytes = new Uint8Array(readFileSync(path.join(T, f)));
    await decodePixelData(parseDicom(bytes)); // warm-up (loads codecs, JIT)
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      await decodePixelData(parseDicom(bytes));
      times.push(performance.now() - t0);
    }
    const py = ref[path.join(T, f)];
    console.log(`| ${label} | ${median(times).toFixed(1)} ms | ${py == null ? "n/a" : `${py.toFixed(1)} ms`} |`);
  }
}
main();
