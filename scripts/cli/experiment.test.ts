import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { QUICK_PROTOCOL, syntheticExperimentCsv } from "../../lib/experiments/testdata/synthetic-table";

const root = path.resolve(import.meta.dirname, "../..");

describe("npm run nac -- experiment run | show | export-table, against nac protocol run", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "nac-experiment-cli-"));
  const env: NodeJS.ProcessEnv = { ...process.env, NAC_DATA_DIR: path.join(dir, "data") };
  delete env.DATABASE_URL; // the embedded database in the temp directory
  const run = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/nac.ts"), ...args], {
      cwd: root,
      encoding: "utf8",
      env,
    });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("an experiment's row equals `nac protocol run` on its exported feature table with the same config and seed", () => {
    const table = path.join(dir, "t.csv");
    writeFileSync(table, syntheticExperimentCsv({ rows: 40 }));
    const cfg = path.join(dir, "exp.json");
    writeFileSync(
      cfg,
      JSON.stringify({
        name: "cli",
        endpoints: ["pCR"],
        featureSets: [{ extractor: "handcrafted", clinical: true }],
        protocol: QUICK_PROTOCOL,
      }),
    );
    const r = run(["experiment", "run", "--features", table, "--config", cfg, "--workers", "1", "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/handcrafted\.all\.both\+clinical\s+7\s+\d+\.\d ± \d+\.\d \[\d+\.\d, \d+\.\d\]/);
    const id = /experiment ([0-9a-f-]{36})/.exec(r.stderr)![1];

    const show = run(["experiment", "show", id, "--json"]);
    expect(show.status, show.stderr).toBe(0);
    const stored = JSON.parse(show.stdout) as {
      runs: {
        config: unknown;
        metrics: { balancedAccuracy: { mean: number; sd: number }; auc: { mean: number } };
        partitions: { metrics: unknown }[];
      }[];
    };

    const sub = path.join(dir, "sub.csv");
    const ex = run(["experiment", "export-table", id, "--feature-set", "handcrafted.all.both+clinical", "--out", sub]);
    expect(ex.status, ex.stderr).toBe(0);
    const out = path.join(dir, "protocol.json");
    const p = run([
      "protocol",
      "run",
      "--features",
      sub,
      "--label",
      "pCR",
      "--id-column",
      "patient_id",
      "--exclude",
      "response",
      "--config",
      `${sub}.protocol.json`,
      "--json-out",
      out,
      "--workers",
      "1",
      "--quiet",
    ]);
    expect(p.status, p.stderr).toBe(0);
    const protocol = JSON.parse(readFileSync(out, "utf8")) as {
      summary: { balancedAccuracy: { mean: number; sd: number }; auc: { mean: number } };
      partitions: { metrics: unknown }[];
    };
    expect(protocol.summary.balancedAccuracy.mean).toBe(stored.runs[0].metrics.balancedAccuracy.mean);
    expect(protocol.summary.balancedAccuracy.sd).toBe(stored.runs[0].metrics.balancedAccuracy.sd);
    expect(protocol.summary.auc.mean).toBe(stored.runs[0].metrics.auc.mean);
    expect(protocol.partitions.map((x) => x.metrics)).toEqual(stored.runs[0].partitions.map((x) => x.metrics));

    const bad = run(["experiment", "run", "--features", table, "--config", cfg, "--cohort", "x"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/error BAD_REQUEST: give --features FILE.csv or --cohort NAME/);
  }, 300_000);
});
