/**
 * XGBoost-compatible training speed: 177 x 50 synthetic (5 % missing, ~30 % positives), 100 rounds, exact and hist,
 * depth 3 and 6, compared with Debian's Python xgboost 1.7.4 (nthread=1) on the same data in the same run.
 * Run: npx tsx bench/ml/xgboost-train.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { makeMatrix } from "../../lib/ml/matrix";
import { Booster } from "../../lib/ml/xgboost/booster";
import { formatCsv } from "../../lib/ml/xgboost/csv";
import { trainBooster } from "../../lib/ml/xgboost/train/train";

function dataset(rows: number, cols: number, seed: number, missingRate = 0.05) {
  let s = seed >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const X = makeMatrix(rows, cols);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) X.data[r * cols + c] = Math.round(gauss() * 1e4) / 1e4;
    const logit = 1.2 * X.data[r * cols] - 0.8 * X.data[r * cols + 1] + 0.5 * X.data[r * cols + 2] - 0.9;
    y[r] = rnd() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    for (let c = 0; c < cols; c++) if (rnd() < missingRate) X.data[r * cols + c] = NaN;
  }
  return { X, y };
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const { X, y } = dataset(177, 50, 42);
const configs = [
  { tree_method: "exact", max_depth: 3, missing: true },
  { tree_method: "exact", max_depth: 6, missing: true },
  { tree_method: "hist", max_depth: 3, missing: true },
  { tree_method: "hist", max_depth: 6, missing: true },
  // As inside the protocol (imputed data): no missing values, so only the backward scan runs.
  { tree_method: "exact", max_depth: 3, missing: false },
] as const;
const complete = dataset(177, 50, 42, 0);

const dir = mkdtempSync(path.join(tmpdir(), "nac-xgb-bench-"));
function writeData(file: string, M: typeof X, labels: Float64Array): string {
  const header = [...Array.from({ length: M.cols }, (_, i) => `f${i}`), "label"];
  const full = new Float64Array(M.rows * (M.cols + 1));
  for (let r = 0; r < M.rows; r++) {
    full.set(M.data.subarray(r * M.cols, (r + 1) * M.cols), r * (M.cols + 1));
    full[r * (M.cols + 1) + M.cols] = labels[r];
  }
  const f = path.join(dir, file);
  writeFileSync(f, formatCsv(header, M.rows, M.cols + 1, full));
  return f;
}
const csv = writeData("data.csv", X, y);
const csvComplete = writeData("complete.csv", complete.X, complete.y);

console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model}`);
console.log(
  "config | NACpredict median wall ms / CPU ms (7 runs) | Python xgboost 1.7.4 median wall ms / CPU ms (7 runs, nthread=1)",
);
for (const { missing, ...cfg } of configs) {
  const params = { ...cfg, eta: 0.1, num_boost_round: 100, objective: "binary:logistic" };
  const [TX, Ty, file] = missing ? [X, y, csv] : [complete.X, complete.y, csvComplete];
  for (let i = 0; i < 5; i++) trainBooster(TX, Ty, params); // warm-up: V8 needs a few fits to reach optimised code
  const t: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    trainBooster(TX, Ty, params);
    const c = process.cpuUsage(c0);
    t.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  const py = spawnSync(
    "/usr/bin/python3",
    [
      "-c",
      [
        "import sys, time, numpy as np, xgboost as xgb",
        "d = np.genfromtxt(sys.argv[1], delimiter=',', skip_header=1, missing_values='', filling_values=np.nan)",
        "m = xgb.DMatrix(d[:, :-1], label=d[:, -1], missing=np.nan, nthread=1)",
        `p = dict(tree_method='${cfg.tree_method}', max_depth=${cfg.max_depth}, eta=0.1, objective='binary:logistic', nthread=1)`,
        "xgb.train(p, m, 100)",
        "ts, cs = [], []",
        "for _ in range(7):",
        "    t0 = time.perf_counter(); c0 = time.process_time(); xgb.train(p, m, 100)",
        "    ts.append((time.perf_counter() - t0) * 1000); cs.append((time.process_time() - c0) * 1000)",
        "print(sorted(ts)[3], sorted(cs)[3])",
      ].join("\n"),
      file,
    ],
    { encoding: "utf8" },
  );
  const pyMs =
    py.status === 0
      ? py.stdout
          .trim()
          .split(" ")
          .map((x) => Number(x).toFixed(1))
          .join(" / ")
      : "n/a (python3-xgboost absent)";
  console.log(
    `${cfg.tree_method} depth ${cfg.max_depth}${missing ? "" : " (no missing)"} | ${median(t).toFixed(1)} / ${median(cpu).toFixed(1)} | ${pyMs}`,
  );
}
// Inference on the same rows with the exact depth-6 model: margins (Python: inplace_predict, no DMatrix cache) and
// TreeSHAP, both sides in the same run.
{
  const model = new Booster(trainBooster(X, y, { tree_method: "exact", max_depth: 6, eta: 0.1, num_boost_round: 100 }));
  const modelFile = path.join(dir, "m.json");
  writeFileSync(modelFile, model.toJSON());
  const time = (fn: () => unknown) => {
    fn();
    const t: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      fn();
      t.push(performance.now() - t0);
    }
    return median(t);
  };
  const tm = time(() => model.predictMargin(X));
  const ts = time(() => model.predictContribs(X));
  const py = spawnSync(
    "/usr/bin/python3",
    [
      "-c",
      [
        "import sys, time, numpy as np, xgboost as xgb",
        "d = np.genfromtxt(sys.argv[1], delimiter=',', skip_header=1, missing_values='', filling_values=np.nan)",
        "m = xgb.DMatrix(d[:, :-1], missing=np.nan, nthread=1)",
        "b = xgb.Booster(model_file=sys.argv[2]); b.set_param({'nthread': 1})",
        "def med(f):",
        "    f(); ts = []",
        "    for _ in range(7):",
        "        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1000)",
        "    return sorted(ts)[3]",
        "x = d[:, :-1]",
        "print(med(lambda: b.inplace_predict(x, predict_type='margin', missing=np.nan)), med(lambda: b.predict(m, pred_contribs=True)))",
      ].join("\n"),
      csv,
      modelFile,
    ],
    { encoding: "utf8" },
  );
  const [pm, ps] =
    py.status === 0
      ? py.stdout
          .trim()
          .split(" ")
          .map((x) => Number(x).toFixed(2))
      : ["n/a", "n/a"];
  console.log(`predict margin, 177 rows x 100 trees (depth 6) | ${tm.toFixed(2)} | ${pm}`);
  console.log(`TreeSHAP, 177 rows x 100 trees (depth 6) | ${ts.toFixed(2)} | ${ps}`);
}
rmSync(dir, { recursive: true, force: true });
