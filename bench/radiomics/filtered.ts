#!/usr/bin/env tsx
/**
 * Filtered-image extraction benchmark (#20): pyradiomics mode, all 7 classes (binWidth 25, no resampling), on the
 * synthetic ~200k-voxel tumour (256 x 256 x 96) and on breast1:
 *   original only  vs  original + LoG (sigma 1, 3, 5 mm) + Wavelet (coif1, 8 decompositions) = 12 images,
 * with the filtering share (the LoG and wavelet images alone). Target: full <= 12x original only.
 * Median wall and CPU (user + system) time of N runs after one warm-up run.
 * Run: npx tsx bench/radiomics/filtered.ts [--runs N]
 */
import os from "node:os";
import type { Mask, Volume } from "../../lib/imaging/volume";
import { extractFeatures } from "../../lib/radiomics/extract";
import { derivedImages } from "../../lib/radiomics/filters/pyradiomics-image-types";
import type { SettingsInput } from "../../lib/radiomics/settings";
import { pyradCase, synthetic } from "./cases";

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(f: () => void): { wall: number; cpu: number } {
  f();
  const wall: number[] = [], cpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const sigma = [1, 3, 5].map((v) => ({ value: v, name: `${v}.0` }));
const filters = [
  { type: "LoG" as const, sigma, overrides: {} },
  { type: "Wavelet" as const, wavelet: "coif1", level: 1, startLevel: 0, overrides: {} },
];
const original: SettingsInput = { mode: "pyradiomics" };
const full: SettingsInput = { mode: "pyradiomics", imageTypes: [{ type: "Original", overrides: {} }, ...filters] };

const rows: string[] = [];
const cases: [string, { image: Volume; mask: Mask }][] = [["synthetic (207k-voxel ROI)", synthetic()], ["breast1", pyradCase("breast1")]];
for (const [name, c] of cases) {
  let nFull = 0;
  const o = time(() => void extractFeatures(c.image, c.mask, original));
  const f = time(() => void (nFull = Object.keys(extractFeatures(c.image, c.mask, full).features).length));
  const grid = { data: Float64Array.from(c.image.data), dims: c.image.dims, spacing: c.image.spacing };
  const filt = time(() => {
    for (const t of filters) derivedImages(grid, t, false);
  });
  rows.push(
    `| ${name} | ${c.image.dims.join("x")} | ${(o.cpu / 1000).toFixed(2)} s | ${(f.cpu / 1000).toFixed(2)} s (${nFull} features) | ${(f.cpu / o.cpu).toFixed(1)}x | ${(filt.cpu / 1000).toFixed(2)} s (${((100 * filt.cpu) / f.cpu).toFixed(0)} %) | ${(o.wall / 1000).toFixed(2)} / ${(f.wall / 1000).toFixed(2)} s |`,
  );
  console.log(rows[rows.length - 1]);
}
console.log("\n| case | image | original only (CPU) | original + LoG x3 + wavelet x8 (CPU) | ratio | filtering (share) | wall original / full |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) console.log(r);
console.log(`\nmachine: ${os.cpus().length} x ${os.cpus()[0]?.model}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, node ${process.version}, runs ${RUNS} (+1 warm-up)`);
