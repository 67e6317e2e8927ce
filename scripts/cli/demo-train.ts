/**
 * `demo train`: a subcommand of the `demo` group (scripts/cli/demo.ts).
 * Trains the default demo model bundle on a synthetic cohort and prints its validation next to the Bayes rate.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { demoCommand } from "./demo";
import { positiveInt } from "./options";
import { gzipSync } from "fflate";
import { DEMO_PATIENTS, DEMO_TRAINING_SEED, demoTrain, SHUFFLED_PERMUTATIONS } from "../../lib/pipeline/demo/train";
import { demoReference } from "../../lib/pipeline/demo/train-reference";

export function register(program: Command): void {
  const demo = demoCommand(program);
  demo
    .command("train")
    .description(
      "Train the demo model bundle (both endpoints) on a synthetic cohort: features, mRMR, RFE, XGBoost, model card",
    )
    .option("--patients <n>", "synthetic patients", String(DEMO_PATIENTS))
    .option("--seed <seed>", "cohort seed (same seed, same cohort, same bundle bytes)", DEMO_TRAINING_SEED)
    .option("--partitions <n>", "train/test partitions", "10")
    .option("--workers <n>", "worker threads (results do not depend on it)", "2")
    .option("--out <file>", "bundle JSON to write (.json.gz: deterministic gzip)", "models/demo-bundle.json.gz")
    .option("--features-cache <file>", "cache of the extracted cohort features (re-runs skip extraction)")
    .option("--no-shuffled", "skip the shuffled-label control run")
    .action(
      async (o: {
        patients: string;
        seed: string;
        partitions: string;
        workers: string;
        out: string;
        shuffled: boolean;
        featuresCache?: string;
      }) => {
        const t0 = Date.now();
        let last = "";
        const res = await demoTrain({
          patients: positiveInt("--patients", o.patients),
          seed: o.seed,
          partitions: positiveInt("--partitions", o.partitions),
          workers: positiveInt("--workers", o.workers),
          shuffled: o.shuffled,
          featuresCache: o.featuresCache,
          onProgress: (stage, d, n) => {
            if (stage !== last || d === n || d % 10 === 0) process.stderr.write(`  ${stage} ${d}/${n}\n`);
            last = stage;
          },
        });
        mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
        const bytes = o.out.endsWith(".gz")
          ? gzipSync(new TextEncoder().encode(res.json), { level: 9, mtime: 0 })
          : res.json;
        writeFileSync(o.out, bytes);
        const f = (x: number) => (100 * x).toFixed(1);
        const lines = [
          `wrote ${o.out} (${(bytes.length / 1e6).toFixed(2)} MB; bundle JSON ${(res.json.length / 1e6).toFixed(2)} MB, sha256 ${res.sha256}) in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
          `bundle ${res.bundle.bundleId} ${res.bundle.bundleVersion}: ${res.report.patients} synthetic patients (seed ${res.report.seed}), ${res.report.features} features; extraction ${(res.report.extractionMs / 1000).toFixed(0)} s, protocol ${(res.report.protocolMs / 1000).toFixed(0)} s`,
          ...res.report.endpoints.map(
            (e) =>
              `${e.endpoint.padEnd(8)} balanced accuracy ${f(e.balancedAccuracy.mean)} ± ${f(e.balancedAccuracy.sd)} (AUC ${e.auc.mean.toFixed(3)} ± ${e.auc.sd.toFixed(3)}) | Bayes ${f(e.bayes.population)} population, ${f(e.bayes.cohortExpected)} this cohort | ` +
              `same partitions: Bayes rule ${f(e.bayesRule.balancedAccuracy.mean)} ± ${f(e.bayesRule.balancedAccuracy.sd)}, oracle logistic ${f(e.oracle.balancedAccuracy.mean)} ± ${f(e.oracle.balancedAccuracy.sd)} | ` +
              `shuffled labels ${e.shuffled ? `${f(e.shuffled.balancedAccuracy.mean)} ± ${f(e.shuffled.balancedAccuracy.sd)} (${SHUFFLED_PERMUTATIONS} permutations)` : "not run"}`,
          ),
          "",
        ];
        process.stdout.write(lines.join("\n"));
      },
    );
  demo
    .command("reference")
    .description(
      "What the planted signal allows at a cohort size (no images, seconds): Bayes rule and oracle logistic model on demo train's partitions",
    )
    .option("--patients <list>", "comma-separated cohort sizes", "177,500,1000,2000")
    .option("--seed <seed>", "cohort seed", DEMO_TRAINING_SEED)
    .option("--partitions <n>", "train/test partitions", "10")
    .action((o: { patients: string; seed: string; partitions: string }) => {
      const sizes = o.patients.split(",").map((v) => positiveInt("--patients", v.trim()));
      const f = (x: { mean: number; sd: number }) => `${(100 * x.mean).toFixed(1)} ± ${(100 * x.sd).toFixed(1)}`;
      const out = ["patients endpoint  prevalence | Bayes rule BA (AUC)      | oracle logistic BA (AUC)"];
      for (const n of sizes) {
        for (const r of demoReference(o.seed, n, positiveInt("--partitions", o.partitions))) {
          out.push(
            `${String(n).padStart(8)} ${r.endpoint.padEnd(9)} ${r.prevalence.toFixed(3).padStart(10)} | ${f(r.bayesRule.balancedAccuracy)} (${r.bayesRule.auc.mean.toFixed(3)}) | ${f(r.oracle.balancedAccuracy)} (${r.oracle.auc.mean.toFixed(3)})`,
          );
        }
      }
      process.stdout.write(`${out.join("\n")}\n`);
    });
}
