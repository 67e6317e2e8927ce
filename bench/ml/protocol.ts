/**
 * bench/ml/protocol: the evaluation protocol on 177 patients x 3,000 features (10 partitions, mRMR k = 50, RFE to
 * 10 with step 1, XGBoost 100 rounds, eta 0.1, max_depth 3, exact), timed against Debian's Python numpy /
 * scikit-learn / xgboost 1.7.4 doing the same on the same partitions in the same run (protocol_reference.py).
 * Runs alternate TS and Python so machine load affects both alike; medians are reported.
 *
 *   npx tsx bench/ml/protocol.ts [--runs 3] [--python /usr/bin/python3]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { runProtocol } from "../../lib/ml/protocol/run-protocol";
import { runProtocolParallel } from "../../lib/ml/protocol/node/run-protocol-parallel";
import { stratifiedPartitions } from "../../lib/ml/protocol/partitions";
import { parseProtocolConfig } from "../../lib/ml/protocol/config";
import { plantedSignal } from "../../lib/ml/protocol/testdata/synthetic";
import { mulberry32 } from "../../lib/random/prng";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const runs = Number(arg("--runs", "3"));
const python = arg("--python", "/usr/bin/python3");

const median = (v: number[]) => {
  const s = v.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// 177 patients (35 % positive), 3,000 features of which 10 carry a 0.6-SD class shift; 1 % of values missing.
const data = plantedSignal({
  rows: 177,
  features: 3000,
  informative: 10,
  shift: 0.6,
  positiveFraction: 0.35,
  seed: 2026,
});
const rng = mulberry32(77);
for (let i = 0; i < data.X.data.length; i++) if (rng.next() < 0.01) data.X.data[i] = Number.NaN;
const config = parseProtocolConfig({ finalModel: false });

const dir = mkdtempSync(join(tmpdir(), "nac-bench-ml-"));
writeFileSync(join(dir, "X.f64"), new Uint8Array(data.X.data.buffer));
writeFileSync(join(dir, "y.u8"), data.y);
const partitions = stratifiedPartitions(data.y, config.partitions, config.trainFraction, config.seed);
writeFileSync(join(dir, "meta.json"), JSON.stringify({ rows: data.X.rows, cols: data.X.cols, config, partitions }));

interface PyOut {
  elapsed: number;
  cpu: number;
  nthread: number;
  xgboost: string;
  partitions: { mrmr: number[]; selected: number[]; balancedAccuracy: number }[];
}
const runPython = (nthread: number): PyOut =>
  JSON.parse(
    execFileSync(python, [join(import.meta.dirname, "protocol_reference.py"), dir, String(nthread)], {
      encoding: "utf8",
      maxBuffer: 1 << 26,
    }),
  );

const tsTimes: number[] = [],
  tsParTimes: number[] = [],
  pyTimes: number[] = [],
  py1Times: number[] = [];
// CPU seconds (user + system, all threads): the fairer figure on a shared, loaded machine.
const tsCpu: number[] = [],
  tsParCpu: number[] = [],
  pyCpu: number[] = [],
  py1Cpu: number[] = [];
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
let ts: ReturnType<typeof runProtocol> | null = null;
let py: PyOut | null = null;
const loads: number[] = [];
try {
  for (let r = 0; r < runs; r++) {
    loads.push(loadavg()[0]);
    let c = cpuNow();
    const t0 = performance.now();
    ts = runProtocol(data, config);
    tsTimes.push((performance.now() - t0) / 1000);
    tsCpu.push(cpuNow() - c);
    c = cpuNow();
    const t1 = performance.now();
    const par = await runProtocolParallel(data, config, { workers: cpus().length });
    tsParTimes.push((performance.now() - t1) / 1000);
    tsParCpu.push(cpuNow() - c);
    if (JSON.stringify({ ...par, elapsedMs: 0 }) !== JSON.stringify({ ...ts, elapsedMs: 0 }))
      throw new Error("parallel result differs from serial");
    const p1 = runPython(1);
    py1Times.push(p1.elapsed);
    py1Cpu.push(p1.cpu);
    py = runPython(0);
    pyTimes.push(py.elapsed);
    pyCpu.push(py.cpu);
    process.stderr.write(
      `run ${r + 1}/${runs}: TS ${tsTimes[r].toFixed(2)} s, TS ${cpus().length} workers ${tsParTimes[r].toFixed(2)} s, Python 1 thread ${py1Times[r].toFixed(2)} s (CPU TS ${tsCpu[r].toFixed(1)} / Py ${py1Cpu[r].toFixed(1)}), Python all cores ${pyTimes[r].toFixed(2)} s (load ${loads[r].toFixed(1)})\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Same partitions -> compare what each implementation selected and scored.
const idx = new Map(data.featureNames.map((f, i) => [f, i]));
let sameMrmr = 0,
  sameSelected = 0,
  maxBaDiff = 0;
ts!.partitions.forEach((p, i) => {
  const q = py!.partitions[i];
  if (JSON.stringify(p.mrmrFeatures.map((f) => idx.get(f))) === JSON.stringify(q.mrmr)) sameMrmr++;
  if (JSON.stringify(p.selectedFeatures.map((f) => idx.get(f)!).sort((a, b) => a - b)) === JSON.stringify(q.selected))
    sameSelected++;
  maxBaDiff = Math.max(maxBaDiff, Math.abs(p.metrics.balancedAccuracy - q.balancedAccuracy));
});
const pyBa = py!.partitions.reduce((s, p) => s + p.balancedAccuracy, 0) / py!.partitions.length;

const result = {
  machine: {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    loadAverage1min: loads.map((l) => Number(l.toFixed(1))),
  },
  data: "177 x 3000 synthetic (10 informative, 0.6 SD shift, 35 % positive, 1 % missing)",
  runs,
  typescriptSeconds: {
    median: median(tsTimes),
    all: tsTimes.map((t) => Number(t.toFixed(2))),
    cpuMedian: median(tsCpu),
    threads: 1,
  },
  typescriptParallelSeconds: {
    median: median(tsParTimes),
    all: tsParTimes.map((t) => Number(t.toFixed(2))),
    cpuMedian: median(tsParCpu),
    workers: cpus().length,
  },
  pythonSeconds: {
    median: median(pyTimes),
    all: pyTimes.map((t) => Number(t.toFixed(2))),
    cpuMedian: median(pyCpu),
    xgboost: py!.xgboost,
    nthread: "default (all cores)",
  },
  python1ThreadSeconds: {
    median: median(py1Times),
    all: py1Times.map((t) => Number(t.toFixed(2))),
    cpuMedian: median(py1Cpu),
  },
  speedupVsPython: {
    serialVsPython1Thread: median(py1Times) / median(tsTimes),
    parallelVsPythonAllCores: median(pyTimes) / median(tsParTimes),
    cpuSerialVsPython1Thread: median(py1Cpu) / median(tsCpu),
  },
  agreement: { partitions: ts!.partitions.length, sameMrmr, sameSelected, maxBalancedAccuracyDiff: maxBaDiff },
  balancedAccuracy: { typescript: ts!.summary.balancedAccuracy!.mean, python: pyBa },
};
console.log(JSON.stringify(result, null, 2));
