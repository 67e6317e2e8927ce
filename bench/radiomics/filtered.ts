#!/usr/bin/env tsx
/**
 * Filtered-image extraction benchmark: pyradiomics mode, all 7 classes (binWidth 25, no resampling), on the synthetic
 * ~200k-voxel tumour (256 x 256 x 96) and on breast1 (~150-voxel ROI in 45 x 120 x 21):
 *   original only  vs  original + LoG (sigma 1, 3, 5 mm) + Wavelet (coif1, 8 decompositions) = 12 images,
 * and the filtering alone as the extraction runs it (the LoG and wavelet images on the ROI box): its share of the full
 * extraction. Target: full <= 12x original only.
 * Each side is first warmed up (called for at least WARM_MS of CPU, so the JIT has settled), which also measures it;
 * a sample then repeats it enough times to last about SAMPLE_MS (a millisecond-scale extraction is far below the CPU
 * clock's and the scheduler's noise). Original-only and full samples alternate (a change of machine load hits both
 * alike); the ratio is the median of the per-pair CPU ratios, with the per-pair list, the ratio of the fastest samples
 * (least disturbed) and the ratio of the median wall times. CPU = user + system of this process.
 * Run: nice -n 10 npx tsx bench/radiomics/filtered.ts [--runs N] [--case synthetic|breast1]
 */
import os from "node:os";
import type { Mask, Volume } from "../../lib/imaging/volume";
import { extractFeatures } from "../../lib/radiomics/extract";
import { boundingBox } from "../../lib/radiomics/roi";
import { derivedImages } from "../../lib/radiomics/filters/pyradiomics-image-types";
import type { SettingsInput } from "../../lib/radiomics/settings";
import { pyradCase, synthetic } from "./cases";

const arg = (name: string): string | null => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : null;
};
const RUNS = Number(arg("--runs") ?? 5);
const ONLY = arg("--case");
const WARM_MS = 1500;
const SAMPLE_MS = 1000;

interface Timed {
  wall: number;
  cpu: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Time of one call of f, from a sample of n calls. */
function sample(f: () => void, n: number): Timed {
  const c0 = process.cpuUsage(),
    t0 = performance.now();
  for (let k = 0; k < n; k++) f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall: wall / n, cpu: (c.user + c.system) / 1000 / n };
}

/** Warm f up for at least WARM_MS of CPU (at least 3 calls); returns the calls per SAMPLE_MS sample. */
function warmUp(f: () => void): number {
  let spent = 0,
    calls = 0,
    last = Infinity;
  while (calls < 3 || spent < WARM_MS) {
    last = sample(f, 1).cpu;
    spent += last;
    calls++;
  }
  return Math.max(1, Math.round(SAMPLE_MS / Math.max(last, 0.01)));
}

interface Paired {
  a: Timed;
  b: Timed;
  ratios: number[];
  ratio: number;
  fastest: number;
  wallRatio: number;
  reps: [number, number];
}

/** Alternate samples of a and b (RUNS pairs) after warming both up. */
function alternate(a: () => void, b: () => void): Paired {
  const ra = warmUp(a),
    rb = warmUp(b);
  const ta: Timed[] = [],
    tb: Timed[] = [];
  for (let r = 0; r < RUNS; r++) {
    ta.push(sample(a, ra));
    tb.push(sample(b, rb));
  }
  const med = (xs: Timed[]): Timed => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) });
  const ratios = ta.map((x, r) => tb[r].cpu / x.cpu);
  return {
    a: med(ta),
    b: med(tb),
    ratios,
    ratio: median(ratios),
    fastest: Math.min(...tb.map((x) => x.cpu)) / Math.min(...ta.map((x) => x.cpu)),
    wallRatio: med(tb).wall / med(ta).wall,
    reps: [ra, rb],
  };
}

const sigma = [1, 3, 5].map((v) => ({ value: v, name: `${v}.0` }));
const filters = [
  { type: "LoG" as const, sigma, overrides: {} },
  { type: "Wavelet" as const, wavelet: "coif1", level: 1, startLevel: 0, overrides: {} },
];
const original: SettingsInput = { mode: "pyradiomics" };
const full: SettingsInput = { mode: "pyradiomics", imageTypes: [{ type: "Original", overrides: {} }, ...filters] };

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const loadavg = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const loadAtStart = loadavg();
const cases: [string, () => { image: Volume; mask: Mask }][] = [
  ["synthetic (207k-voxel ROI)", synthetic],
  ["breast1 (143-voxel ROI)", () => pyradCase("breast1")],
];
const rows: string[] = [];
for (const [name, make] of cases) {
  if (ONLY && !name.startsWith(ONLY)) continue;
  const c = make();
  let nFull = 0;
  const r = alternate(
    () => void extractFeatures(c.image, c.mask, original),
    () => void (nFull = Object.keys(extractFeatures(c.image, c.mask, full).features).length),
  );
  // The filtering as the extraction runs it: the derived images on the ROI box, read from the image in place.
  const grid = { data: c.image.data, dims: c.image.dims, spacing: c.image.spacing };
  const { lo, hi } = boundingBox(c.mask.data, c.image.dims);
  const filtering = () => {
    for (const t of filters) derivedImages(grid, t, false, { lo, hi });
  };
  const nf = warmUp(filtering);
  const filt = median(Array.from({ length: RUNS }, () => sample(filtering, nf).cpu));
  rows.push(
    `| ${name} | ${c.image.dims.join("×")} | ${ms(r.a.cpu)} ms | ${ms(r.b.cpu)} ms (${nFull} features) | ` +
      `**${r.ratio.toFixed(1)}×** (${r.ratios.map((x) => x.toFixed(1)).join(", ")}) | ${r.fastest.toFixed(1)}× | ` +
      `${ms(filt)} ms (${((100 * filt) / r.b.cpu).toFixed(0)} %) | ${ms(r.a.wall)} / ${ms(r.b.wall)} ms (${r.wallRatio.toFixed(1)}×) | ` +
      `${r.reps[0]} / ${r.reps[1]} |`,
  );
  console.log(rows[rows.length - 1], `load ${loadavg()}`);
}
console.log(
  "\n| case | image | original only (CPU per extraction) | original + LoG ×3 + wavelet ×8 (CPU) | ratio: median (per pair) | ratio of fastest | filtering on the ROI box (share of full) | wall original / full (ratio) | calls per sample |",
);
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) console.log(r);
console.log(
  `\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}; load average (1, 5, 15 min) ` +
    `${loadAtStart} at start, ${loadavg()} at end; ${RUNS} pairs of ~${SAMPLE_MS} ms samples after ${WARM_MS} ms warm-ups`,
);
