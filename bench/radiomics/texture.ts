#!/usr/bin/env tsx
/**
 * Texture engine benchmark: all six families on a synthetic ~200,000-voxel ROI with ~50 grey levels (IBSI 3D and
 * pyradiomics modes) and pyradiomics mode on the pyradiomics test cases breast1 and brain1 (binWidth 25).
 * Prints the median of several runs per workload. Run: npx tsx bench/radiomics/texture.ts
 */
import os from "node:os";
import { discretiseIbsi } from "../../lib/radiomics/discretise";
import { computeTextureFamily, TEXTURE_FAMILIES } from "../../lib/radiomics/texture";
import { pyradiomicsCase } from "../../lib/radiomics/texture/testdata/fixtures";
import type { DiscretisedRoi, TextureFamily, TextureOptions } from "../../lib/radiomics/texture/types";

function syntheticRoi(): DiscretisedRoi {
  const n = 80;
  const nz = 80;
  const values = new Float32Array(n * n * nz);
  const mask = new Uint8Array(n * n * nz);
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++, i++) {
        const r = Math.hypot(x - 39.5, y - 39.5, z - 39.5);
        mask[i] = r <= 36.3 ? 1 : 0;
        // Smooth structure plus noise, so zones and runs have a realistic spread of sizes.
        values[i] = 100 * Math.sin(x / 7) * Math.cos(y / 9) + 60 * Math.sin(z / 5 + x / 11) + 25 * rand();
      }
    }
  }
  return discretiseIbsi({ dims: [n, n, nz], spacing: [1, 1, 1], values, mask }, { method: "FBN", nBins: 50 });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time and median CPU time (user + system of this process) in ms; CPU time is robust to a busy machine. */
function time(runs: number, f: () => void): [number, number] {
  f(); // warm-up (JIT)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return [median(wall), median(cpu)];
}

/** A fresh copy of the ROI, so no cached derived data (padded grid, zones) carries over between runs. */
function fresh(roi: DiscretisedRoi): DiscretisedRoi {
  return { ...roi, levels: roi.levels.slice() };
}

function allFamilies(roi: DiscretisedRoi, opts: TextureOptions, families: readonly TextureFamily[]) {
  const r = fresh(roi);
  for (const fam of families) computeTextureFamily(fam, r, opts);
}

const synth = syntheticRoi();
const count = Array.from(synth.levels).filter((l) => l > 0).length;
const pyFamilies = TEXTURE_FAMILIES.filter((f) => f !== "gldzm");
const runs = 9;
console.log(
  `node ${process.version}; ${os.cpus()[0]?.model ?? "?"}; nproc ${os.cpus().length}; load average ${os.loadavg()[0].toFixed(1)}; median of ${runs} runs`,
);
console.log(`synthetic ROI: ${count} voxels, ${synth.nLevels} grey levels`);
const rows: [string, [number, number]][] = [];
for (const fam of TEXTURE_FAMILIES) {
  rows.push([`synthetic ibsi ${fam} 3D`, time(runs, () => computeTextureFamily(fam, fresh(synth), { mode: "ibsi" }))]);
}
rows.push([
  "synthetic ibsi all six families 3D",
  time(runs, () => allFamilies(synth, { mode: "ibsi" }, TEXTURE_FAMILIES)),
]);
rows.push([
  "synthetic ibsi all six, every aggregation",
  time(runs, () => {
    const r = fresh(synth);
    for (const fam of TEXTURE_FAMILIES) {
      const aggregation =
        fam === "glcm" || fam === "glrlm"
          ? (["2D_avg", "2D_smrg", "2.5D_dmrg", "2.5D_mrg", "3D_avg", "3D_mrg"] as const)
          : (["2D", "2.5D", "3D"] as const);
      computeTextureFamily(fam, r, { mode: "ibsi", aggregation: [...aggregation] });
    }
  }),
]);
rows.push([
  "synthetic pyradiomics 5 classes",
  time(runs, () => allFamilies(synth, { mode: "pyradiomics" }, pyFamilies)),
]);
for (const c of ["breast1", "brain1"] as const) {
  const roi = pyradiomicsCase(c);
  rows.push([
    `${c} pyradiomics 5 texture classes`,
    time(runs * 3, () => allFamilies(roi, { mode: "pyradiomics" }, pyFamilies)),
  ]);
}
console.log(`${"workload".padEnd(42)} ${"wall ms".padStart(9)} ${"cpu ms".padStart(9)}`);
for (const [name, [wall, cpu]] of rows)
  console.log(`${name.padEnd(42)} ${wall.toFixed(2).padStart(9)} ${cpu.toFixed(2).padStart(9)}`);
