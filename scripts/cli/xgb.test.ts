import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseNumericCsv } from "../../lib/ml/xgboost/csv";
import { FIXTURE_DIR, loadFixture } from "../../lib/ml/xgboost/testdata/load";

const root = path.resolve(import.meta.dirname, "../..");
const run = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/nac.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
  });

describe("npm run nac -- xgb", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "nac-xgb-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("train then predict reproduces XGBoost 1.7.4's margins; usage errors exit 2 with a code", () => {
    const fx = loadFixture("sparse_counts", "exact_reg");
    const params = path.join(dir, "p.json");
    const model = path.join(dir, "m.json");
    const out = path.join(dir, "margin.csv");
    writeFileSync(params, JSON.stringify(fx.params));
    const data = path.join(FIXTURE_DIR, "sparse_counts.csv");
    const t = run(["xgb", "train", "--data", data, "--label", "label", "--params", params, "--out", model]);
    expect(t.status, t.stderr).toBe(0);
    const p = run(["xgb", "predict", "--model", model, "--data", data, "--margin", "--out", out]);
    expect(p.status, p.stderr).toBe(0);
    const m = parseNumericCsv(readFileSync(out, "utf8")).matrix.data;
    expect(m.length).toBe(fx.expected.margin.length);
    for (let i = 0; i < m.length; i++) expect(Math.abs(m[i] - fx.expected.margin[i])).toBeLessThan(1e-5);

    const bad = run(["xgb", "predict", "--model", model, "--data", data, "--margin", "--leaf"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/error BAD_REQUEST/);
  });
});
