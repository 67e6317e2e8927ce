/**
 * Differential check against Debian's Python xgboost 1.7.4 on random cases (lib/ml/xgboost/testdata/fuzz_cases.py):
 * trains each case here and compares every tree (node ids, split features, thresholds, default directions) and the
 * margins. Run: npx tsx bench/ml/xgboost-fuzz.ts [seed ...]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { matrixFromRows } from "../../lib/ml/matrix";
import { Booster } from "../../lib/ml/xgboost/booster";
import type { XGBTree } from "../../lib/ml/xgboost/model";
import { trainBooster } from "../../lib/ml/xgboost/train/train";

interface Case {
  X: (number | null)[][];
  y: number[];
  params: Record<string, unknown>;
  model: unknown;
  margin: number[];
}

const signature = (t: XGBTree): string => {
  const out: string[] = [];
  const stack = [0];
  while (stack.length) {
    const n = stack.pop()!;
    if (t.left[n] === -1) out.push(`${n}L`);
    else {
      out.push(`${n}:${t.splitIndex[n]}<${t.splitCondition[n]}:${t.defaultLeft[n]}`);
      stack.push(t.right[n], t.left[n]);
    }
  }
  return out.join("|");
};

const seeds = process.argv.slice(2).length ? process.argv.slice(2) : ["1"];
const dir = mkdtempSync(path.join(tmpdir(), "nac-xgb-fuzz-"));
let total = 0;
let identical = 0;
for (const seed of seeds) {
  const file = path.join(dir, `cases-${seed}.json`);
  const gen = spawnSync(
    "/usr/bin/python3",
    [path.resolve(import.meta.dirname, "../../lib/ml/xgboost/testdata/fuzz_cases.py"), seed, file],
    { encoding: "utf8" },
  );
  if (gen.status !== 0) throw new Error(`case generation failed (python3-xgboost absent?): ${gen.stderr}`);
  const cases = JSON.parse(readFileSync(file, "utf8")) as Case[];
  cases.forEach((c, i) => {
    const X = matrixFromRows(c.X.map((r) => r.map((v) => (v === null ? NaN : v))));
    const { nthread: _nthread, ...params } = c.params;
    const model = trainBooster(X, c.y, params);
    const ref = Booster.fromJSON(JSON.stringify(c.model)).model;
    const margin = new Booster(model).predictMargin(X);
    let maxDiff = 0;
    for (let k = 0; k < margin.length; k++) maxDiff = Math.max(maxDiff, Math.abs(margin[k] - c.margin[k]));
    const firstDiff = ref.trees.findIndex((t, k) => signature(t) !== signature(model.trees[k]));
    total++;
    if (firstDiff < 0 && maxDiff <= 1e-5) identical++;
    else
      console.log(
        `seed ${seed} case ${i}: first differing tree ${firstDiff}, max margin diff ${maxDiff}`,
        JSON.stringify(params),
      );
  });
}
rmSync(dir, { recursive: true, force: true });
console.log(`${identical}/${total} cases: identical trees and margins within 1e-5`);
