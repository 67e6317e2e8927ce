#!/usr/bin/env tsx
/**
 * Filtered-image extraction benchmark (#20): pyradiomics mode, all 7 classes (binWidth 25, no resampling), on the
 * synthetic ~200k-voxel tumour (256 x 256 x 96) and on breast1:
 *   original only  vs  original + LoG (sigma 1, 3, 5 mm) + Wavelet (coif1, 8 decompositions) = 12 images,
 * and the cost of filtering the whole image alone (what the LoG and wavelet images would cost without the ROI windows
 * the extraction uses). Target: full <= 12x original only.
 * Original-only and full runs alternate (one warm-up each, then N pairs), so a change of machine load hits both alike;
 * the ratio is the median of the per-pair CPU ratios. Times: median wall and CPU (user + system) of this process.
 * Run: nice -n 10 npx tsx bench/radiomics/filtered.ts [--runs N] [--case synthetic|breast1]
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

interface Timed {
  wall: number;
  cpu: number;
}

function once(f: () => void): Timed {
  const c0 = process.cpuUsage(),
    t0 = performance.now();
  f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/**
 * Alternate a (repeated ra times per sample) and b (rb times), after one warm-up each; times per call. Returns the
 * medians, the median of the per-pair CPU ratios b / a and the ratio of the fastest samples (least disturbed by load).
 */
function alternate(
  a: () => void,
  ra: number,
  b: () => void,
  rb: number,
): { a: Timed; b: Timed; ratio: number; ratios: number[]; minRatio: number } {
  a();
  b();
  const per = (t: Timed, n: number): Timed => ({ wall: t.wall / n, cpu: t.cpu / n });
  const ta: Timed[] = [],
    tb: Timed[] = [];
  for (let r = 0; r < RUNS; r++) {
    ta.push(
      per(
        once(() => {
          for (let k = 0; k < ra; k++) a();
        }),
        ra,
      ),
    );
    tb.push(
      per(
        once(() => {
          for (let k = 0; k < rb; k++) b();
        }),
        rb,
      ),
    );
  }
  const med = (xs: Timed[]): Timed => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) });
  const ratios = ta.map((x, r) => tb[r].cpu / x.cpu);
  const minRatio = Math.min(...tb.map((x) => x.cpu)) / Math.min(...ta.map((x) => x.cpu));
  return { a: med(ta), b: med(tb), ratio: median(ratios), ratios, minRatio };
}

function time(f: () => void): Timed {
  f();
  const xs = Array.from({ length: RUNS }, () => once(f));
  return { wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) };
}

const sigma = [1, 3, 5].map((v) => ({ value: v, name: `${v}.0` }));
const filters = [
  { type: "LoG" as const, sigma, overrides: {} },
  { type: "Wavelet" as const, wavelet: "coif1", level: 1, startLevel: 0, overrides: {} },
];
const original: SettingsInput = { mode: "pyradiomics" };
const full: SettingsInput = { mode: "pyradiomics", imageTypes: [{ type: "Original", overrides: {} }, ...filters] };

const rows: string[] = [];
const caseArg = process.argv.indexOf("--case");
const only = caseArg > 0 ? process.argv[caseArg + 1] : null;
// A sample repeats the extraction so that it lasts about a second (the CPU clock's resolution and scheduling noise
// dwarf one original-only run of a small case): [original-only, full] calls per sample.
const cases: [string, () => { image: Volume; mask: Mask }, [number, number]][] = [
  ["synthetic (207k-voxel ROI)", synthetic, [4, 1]],
  ["breast1", () => pyradCase("breast1"), [80, 8]],
];
for (const [name, make, [ra, rb]] of cases) {
  if (only && !name.startsWith(only)) continue;
  const c = make();
  let nFull = 0;
  const r = alternate(
    () => void extractFeatures(c.image, c.mask, original),
    ra,
    () => void (nFull = Object.keys(extractFeatures(c.image, c.mask, full).features).length),
    rb,
  );
  const grid = { data: Float64Array.from(c.image.data), dims: c.image.dims, spacing: c.image.spacing };
  const filt = time(() => {
    for (let k = 0; k < rb; k++) for (const t of filters) derivedImages(grid, t, false);
  });
  filt.cpu /= rb;
  rows.push(
    `| ${name} | ${c.image.dims.join("x")} | ${(r.a.cpu / 1000).toFixed(3)} s | ${(r.b.cpu / 1000).toFixed(3)} s (${nFull} features) | ${r.ratio.toFixed(1)}x (${r.ratios.map((x) => x.toFixed(1)).join(", ")}) | ${r.minRatio.toFixed(1)}x | ${(filt.cpu / 1000).toFixed(3)} s (${((100 * filt.cpu) / r.b.cpu).toFixed(0)} %) | ${(r.a.wall / 1000).toFixed(3)} / ${(r.b.wall / 1000).toFixed(3)} s |`,
  );
  console.log(rows[rows.length - 1], `load ${os.loadavg()[0].toFixed(1)}`);
}
console.log(
  "\n| case | image | original only (CPU) | original + LoG x3 + wavelet x8 (CPU) | ratio: median (per pair) | ratio of fastest | whole-image filtering (vs full) | wall original / full |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) console.log(r);
console.log(
  `\nmachine: ${os.cpus().length} x ${os.cpus()[0]?.model}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}, node ${process.version}, runs ${RUNS} (+1 warm-up)`,
);
