#!/usr/bin/env tsx
/**
 * `npm run bench [-- name...]`: runs the benchmarks one after another (each prints its own table; most also write
 * bench/results/<name>.json). Results worth keeping go into docs/BENCHMARKS.md with the machine and the reference
 * measured in the same run. Benchmarks are never part of `npm test`.
 */
import { spawnSync } from "node:child_process";

const BENCHES: Record<string, string> = {
  dicom: "bench/dicom/decode.ts",
  imaging: "bench/imaging/load-and-shell.ts",
  radiomics: "bench/radiomics/extract.ts",
  texture: "bench/radiomics/texture.ts",
  "radiomics-filtered": "bench/radiomics/filtered.ts",
  "cli-startup": "bench/cli/startup.ts",
  deep: "bench/deep/bench.ts",
  xgboost: "bench/ml/xgboost-train.ts",
  protocol: "bench/ml/protocol.ts",
  experiments: "bench/experiments/comparison.ts",
  synth: "bench/synth/generate.ts",
  viewer: "bench/viewer/first-image.ts",
  "fuzz-import": "bench/dicom/fuzz-import.ts",
  "cohort-extraction": "bench/pipeline/cohort-extraction.ts",
  pacs: "bench/pacs/stream-and-import.ts",
  "one-click": "bench/assisted-segmentation/one-click.ts",
  "one-click-browser": "bench/assisted-segmentation/one-click-browser.ts",
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = wanted.length ? wanted : Object.keys(BENCHES);
let failed = 0;
for (const name of names) {
  const file = BENCHES[name];
  if (!file) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(", ")}`);
    process.exit(2);
  }
  console.log(`\n=== ${name} (${file})`);
  const r = spawnSync(process.execPath, ["--import", "tsx", file], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
