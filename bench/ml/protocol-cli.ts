/**
 * bench/ml/protocol-cli: `nac protocol run` against the peer, ../shared/bench/python_protocol_reference.py
 * (Debian python3-xgboost 1.7.4 + python3-sklearn, 2 threads), each as a whole process on the same 177 x P table (the
 * reference writes it with --write-csv): 10 stratified partitions, mRMR FCQ k 50, RFE to 10 step 1, XGBoost 100
 * rounds exact; ours with 2 threads (`--workers 2`, finalModel false as the reference fits no final model).
 * Runs alternate which side goes first; each side's wall time, CPU seconds (user + system of the process tree) and
 * peak memory (max RSS of its largest process, getrusage RUSAGE_CHILDREN via a small Python wrapper, the same for
 * both) are printed with the 1-minute load average before each run, and the medians at the end.
 *
 *   npx tsx bench/ml/protocol-cli.ts [--runs 5] [--p 3000] [--reference FILE] [--python /usr/bin/python3]
 *   [--sides python,ours] (one side only, e.g. for a large P) [--baseline-root DIR] (adds side "baseline": the same
 *   command in another checkout, e.g. `git worktree add /tmp/base <commit>`, for before/after in one run)
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const runs = Number(arg("--runs", "5"));
const p = Number(arg("--p", "3000"));
const python = arg("--python", "/usr/bin/python3");
const sides = arg("--sides", "python,ours").split(",");
const repo = resolve(import.meta.dirname, "../..");
// ../shared next to the repository (main checkout) or next to the worktrees' folder.
const reference = resolve(
  arg(
    "--reference",
    [join(repo, "../shared"), join(repo, "../../shared")]
      .map((d) => join(d, "bench/python_protocol_reference.py"))
      .find((f) => existsSync(f)) ?? "python_protocol_reference.py",
  ),
);

// Runs argv as a child and reports wall seconds, CPU seconds and the peak RSS of its largest descendant (Linux
// ru_maxrss of RUSAGE_CHILDREN is the maximum over all waited-for descendants), in the same way for both sides.
const MEASURE = `
import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": r.returncode, "wall": wall, "cpu": u.ru_utime + u.ru_stime, "maxRssKiB": u.ru_maxrss, "stdout": r.stdout[-4000:], "stderr": r.stderr[-2000:]}))
`;
interface Measured {
  rc: number;
  wall: number;
  cpu: number;
  maxRssKiB: number;
  stdout: string;
  stderr: string;
}
const measure = (argv: string[], cwd: string): Measured => {
  const m = JSON.parse(
    execFileSync(python, ["-c", MEASURE, ...argv], { cwd, encoding: "utf8", maxBuffer: 1 << 26 }),
  ) as Measured;
  if (m.rc !== 0) throw new Error(`${argv.join(" ")} exited ${m.rc}: ${m.stderr}`);
  return m;
};
const median = (v: number[]) => {
  const s = v.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dir = mkdtempSync(join(tmpdir(), "nac-bench-protocol-cli-"));
const csv = join(dir, `table-177x${p}.csv`);
const cfg = join(dir, "config.json");
try {
  execFileSync(python, [reference, "--p", String(p), "--write-csv", csv]);
  writeFileSync(cfg, JSON.stringify({ finalModel: false }));
  const nac = [
    "npm",
    "run",
    "-s",
    "nac",
    "--",
    "protocol",
    "run",
    "--features",
    csv,
    "--label",
    "y",
    "--id-column",
    "id",
    "--config",
    cfg,
    "--workers",
    "2",
    "--quiet",
  ];
  const cmd: Record<string, { argv: string[]; cwd: string }> = {
    python: { argv: [python, reference, "--p", String(p), "--threads", "2"], cwd: dir },
    ours: { argv: nac, cwd: repo },
    baseline: { argv: nac, cwd: resolve(arg("--baseline-root", repo)) },
  };
  const rows: Record<string, { wall: number[]; cpu: number[]; rss: number[]; load: number[]; ba: string[] }> = {};
  for (const s of sides) rows[s] = { wall: [], cpu: [], rss: [], load: [], ba: [] };
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? sides : sides.slice().reverse();
    const line: string[] = [];
    for (const s of order) {
      const load = loadavg()[0];
      const m = measure(cmd[s].argv, cmd[s].cwd);
      const row = rows[s];
      row.wall.push(m.wall);
      row.cpu.push(m.cpu);
      row.rss.push(m.maxRssKiB / 1024);
      row.load.push(load);
      // Balanced accuracy as each side prints it (a sanity check that both did the work, not a comparison).
      const ba =
        s === "python"
          ? String((JSON.parse(m.stdout.trim().split("\n").pop()!) as { ba_mean: number }).ba_mean)
          : (/Balanced accuracy\s+([0-9.]+)/.exec(m.stdout)?.[1] ?? "?");
      row.ba.push(ba);
      line.push(
        `${s} ${m.wall.toFixed(2)} s wall, ${m.cpu.toFixed(1)} s CPU, ${(m.maxRssKiB / 1024).toFixed(0)} MiB (load ${load.toFixed(1)}, BA ${ba})`,
      );
    }
    process.stderr.write(`run ${r + 1}/${runs}: ${line.join("; ")}\n`);
  }
  const summary = Object.fromEntries(
    sides.map((s) => [
      s,
      {
        wallMedian: median(rows[s].wall),
        cpuMedian: median(rows[s].cpu),
        peakRssMiBMedian: median(rows[s].rss),
        wall: rows[s].wall.map((x) => Number(x.toFixed(2))),
        peakRssMiB: rows[s].rss.map((x) => Math.round(x)),
        cpu: rows[s].cpu.map((x) => Number(x.toFixed(1))),
        load1min: rows[s].load.map((x) => Number(x.toFixed(1))),
        balancedAccuracy: rows[s].ba,
      },
    ]),
  );
  const ratio =
    rows.python && rows.ours
      ? {
          wall: median(rows.ours.wall) / median(rows.python.wall),
          peakRss: median(rows.ours.rss) / median(rows.python.rss),
          cpu: median(rows.ours.cpu) / median(rows.python.cpu),
          // Per-run ratios (the two sides of one run saw about the same load).
          wallPerRun: rows.ours.wall.map((w, i) => Number((w / rows.python.wall[i]).toFixed(3))),
        }
      : undefined;
  console.log(
    JSON.stringify(
      {
        machine: { nproc: cpus().length, cpu: cpus()[0]?.model ?? "unknown", node: process.version },
        table: `177 x ${p}`,
        runs,
        summary,
        oursOverPython: ratio,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
