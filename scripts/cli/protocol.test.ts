import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBundleOrThrow, reevaluateBundle } from "../../lib/ml/bundle";
import { parseFeatureTable } from "../../lib/ml/protocol/feature-table";
import { plantedSignal } from "../../lib/ml/protocol/testdata/synthetic";

const root = path.resolve(import.meta.dirname, "../..");
const run = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/nac.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
  });

describe("npm run nac -- protocol run", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "nac-protocol-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the metrics table and writes a bundle that reproduces its numbers; bad input exits 2 with a code", () => {
    const d = plantedSignal({ rows: 80, features: 12, informative: 2, shift: 1.5, seed: 6 });
    const lines = [["pid", ...d.featureNames, "pCR"].join(",")];
    for (let r = 0; r < d.X.rows; r++)
      lines.push([`P${r}`, ...d.X.data.subarray(r * d.X.cols, (r + 1) * d.X.cols), d.y[r]].join(","));
    const csv = path.join(dir, "f.csv");
    writeFileSync(csv, lines.join("\n") + "\n");
    const cfg = path.join(dir, "c.json");
    writeFileSync(
      cfg,
      JSON.stringify({
        partitions: 3,
        mrmr: { k: 4 },
        rfe: { mode: "count", nFeatures: 2 },
        classifier: { type: "xgboost", params: { num_boost_round: 10 } },
      }),
    );
    const bundle = path.join(dir, "b.json");
    const r = run([
      "protocol",
      "run",
      "--features",
      csv,
      "--label",
      "pCR",
      "--id-column",
      "pid",
      "--config",
      cfg,
      "--bundle-out",
      bundle,
      "--workers",
      "1",
      "--quiet",
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Balanced accuracy\s+\d\.\d{3} ± \d\.\d{3}/);
    expect(r.stdout).toMatch(/Selection frequency/);
    const lb = loadBundleOrThrow(readFileSync(bundle, "utf8"));
    const t = parseFeatureTable(readFileSync(csv, "utf8"), { labelColumn: "pCR", idColumn: "pid" });
    const again = reevaluateBundle(lb, "pCR", { X: t.X, featureNames: t.featureNames, y: t.y, rowIds: t.rowIds });
    expect(again).toEqual(lb.bundle.endpoints.pCR.partitions.map((p) => p.metrics));
    const mean = again.reduce((s, m) => s + m.balancedAccuracy, 0) / again.length;
    expect(r.stdout).toContain(`Balanced accuracy      ${mean.toFixed(3)}`);

    const bad = run(["protocol", "run", "--features", csv, "--label", "nope", "--quiet"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/error DATA_INVALID: label column "nope"/);
  });
});
