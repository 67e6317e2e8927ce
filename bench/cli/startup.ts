#!/usr/bin/env tsx
/**
 * CLI start-up (#20): `nac dicom --help` through the cached per-command bundle (scripts/nac.mjs, what `npm run nac`
 * runs), through `npm run nac`, and the former way (tsx transpiling scripts/nac.ts at every call), next to a bare
 * `node -e 0`. Median wall and CPU (user + system, from /usr/bin/time) of N runs after one warm-up.
 * Run: npx tsx bench/cli/startup.ts [--runs N]
 */
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";

const repo = path.resolve(import.meta.dirname, "../..");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(cmd: string[]): { wall: number; cpu: number } {
  const run = () => {
    const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S", ...cmd], { cwd: repo, encoding: "utf8" });
    const [e, u, s] = r.stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
    return { wall: e, cpu: u + s };
  };
  run();
  const xs = Array.from({ length: RUNS }, run);
  return { wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) };
}

const cases: [string, string[]][] = [
  ["node -e 0 (floor)", [process.execPath, "-e", "0"]],
  ["node scripts/nac.mjs dicom --help (cached bundle)", [process.execPath, "scripts/nac.mjs", "dicom", "--help"]],
  ["node scripts/nac.mjs radiomics --help", [process.execPath, "scripts/nac.mjs", "radiomics", "--help"]],
  ["npm run nac -- dicom --help", ["npm", "run", "--silent", "nac", "--", "dicom", "--help"]],
  [
    "tsx scripts/nac.ts dicom --help (before)",
    [path.join(repo, "node_modules/.bin/tsx"), "scripts/nac.ts", "dicom", "--help"],
  ],
];
console.log("| command | wall (median) | CPU user+sys (median) |\n| --- | --- | --- |");
for (const [name, cmd] of cases) {
  const m = measure(cmd);
  console.log(`| ${name} | ${m.wall.toFixed(2)} s | ${m.cpu.toFixed(2)} s |`);
}
console.log(
  `\nmachine: ${os.cpus().length} x ${os.cpus()[0]?.model}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}, node ${process.version}, runs ${RUNS} (+1 warm-up)`,
);
