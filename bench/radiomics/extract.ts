#!/usr/bin/env tsx
/**
 * Radiomics orchestrator benchmark: extractFeatures in pyradiomics mode with all 7 pyradiomics classes (shape,
 * firstorder, glcm, glrlm, glszm, gldm, ngtdm; binWidth 25, 3D, no resampling) on pyradiomics' breast1 and brain1 and
 * on a synthetic ~200,000-voxel MR-like tumour in a 256 x 256 x 96 image; per-class times on the synthetic ROI; and
 * the full IBSI-mode extraction for comparison. Median wall and CPU time of N runs after N warm-up runs.
 * Run: npx tsx bench/radiomics/extract.ts [--runs N]
 * pyradiomics cannot be installed here (no PyPI): its reference times are quoted from
 * ../shared/docs/environment-notes.md (pyradiomics 3.1 with C extensions, same machine kind, not this run).
 */
import os from "node:os";
import { extractFeatures } from "../../lib/radiomics/extract";
import { pyradCase, synthetic } from "./cases";
import type { Family, SettingsInput } from "../../lib/radiomics/settings";

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 21;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall and CPU (user + system of this process) time in ms; CPU time is less sensitive to a busy machine. */
function time(f: () => void, runs = RUNS): { wall: number; cpu: number } {
  // Warm-up as many runs as are measured, so the JIT has compiled the hot loops (a service extracts many ROIs in one
  // process); small ROIs are dominated by JIT state otherwise.
  for (let w = 0; w < runs; w++) f();
  const wall: number[] = [],
    cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage(),
      t0 = performance.now();
    f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const PYRAD_CLASSES: [string, Family][] = [
  ["shape", "morphology"],
  ["firstorder", "intensity_statistics"],
  ["glcm", "glcm"],
  ["glrlm", "glrlm"],
  ["glszm", "glszm"],
  ["gldm", "ngldm"],
  ["ngtdm", "ngtdm"],
];
const pyrad: SettingsInput = { mode: "pyradiomics" };

const rows: string[] = [];
const ref: Record<string, string> = { breast1: "10–15 ms", brain1: "~150 ms", synthetic: "~2.2 s" };
const cases = [
  { name: "breast1", ...pyradCase("breast1") },
  { name: "brain1", ...pyradCase("brain1") },
  { name: "synthetic", ...synthetic() },
];
for (const c of cases) {
  let roi = 0;
  for (let i = 0; i < c.mask.data.length; i++) if (c.mask.data[i] === 1) roi++;
  const t = time(() => extractFeatures(c.image, c.mask, pyrad), c.name === "synthetic" ? Math.min(RUNS, 5) : RUNS);
  const n = Object.keys(extractFeatures(c.image, c.mask, pyrad).features).length;
  rows.push(
    `| ${c.name} (${roi} ROI voxels, ${c.image.dims.join("x")}) | all 7 classes, ${n} features | ${t.wall.toFixed(1)} ms | ${t.cpu.toFixed(1)} ms | ${ref[c.name]} |`,
  );
  console.log(rows[rows.length - 1]);
}
const syn = cases[2];
for (const [cls, fam] of PYRAD_CLASSES) {
  const t = time(() => extractFeatures(syn.image, syn.mask, { ...pyrad, families: [fam] }), Math.min(RUNS, 5));
  rows.push(
    `| synthetic | ${cls} only (incl. shared preprocessing) | ${t.wall.toFixed(1)} ms | ${t.cpu.toFixed(1)} ms | |`,
  );
  console.log(rows[rows.length - 1]);
}
for (const c of cases.slice(0, 2)) {
  const t = time(() =>
    extractFeatures(c.image, c.mask, {
      mode: "ibsi",
      discretisation: { method: "fixedBinSize", binWidth: 25, lowerBound: null },
      aggregation: ["2D", "2.5D", "3D"],
    }),
  );
  rows.push(
    `| ${c.name} | IBSI mode, all 11 families, 2D+2.5D+3D | ${t.wall.toFixed(1)} ms | ${t.cpu.toFixed(1)} ms | |`,
  );
  console.log(rows[rows.length - 1]);
}
console.log(
  `\nmachine: ${os.cpus().length} x ${os.cpus()[0]?.model}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}, node ${process.version}, runs ${RUNS}`,
);
