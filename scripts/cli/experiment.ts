/**
 * `nac experiment ...`: the paper's comparison (feature sets x endpoints over the protocol's partitions), stored and
 * shown; `synth-table` writes a realistic feature table from a synthetic cohort.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { BACKBONES, type Backbone } from "../../lib/deep/architecture";
import { NacError } from "../../lib/errors";
import { buildSyntheticCohortTable, syntheticTableCsv } from "../../lib/experiments/node/synthetic-cohort-table";
import { CASE_ROLES, type CaseRegion, type CaseRole } from "../../lib/pipeline/case-features";
import { DEMO_TRAINING_SEED } from "../../lib/pipeline/demo-train";

function list<T extends string>(what: string, v: string, allowed: readonly T[]): T[] {
  const out = v.split(",").map((s) => s.trim()).filter(Boolean);
  for (const x of out) if (!allowed.includes(x as T)) throw new NacError("BAD_REQUEST", `${what}: unknown value "${x}" (allowed: ${allowed.join(", ")})`);
  return out as T[];
}

export function register(program: Command): void {
  const experiment = program.command("experiment").description("experiments: the paper's comparison of feature sets and endpoints");
  experiment
    .command("synth-table")
    .description("write a feature table (CSV contract) of a synthetic cohort: handcrafted + deep (several backbones) + clinical + outcomes")
    .requiredOption("--out <file>", "CSV to write")
    .option("--patients <n>", "synthetic patients", "177")
    .option("--seed <seed>", "cohort seed (the demo training cohort by default)", DEMO_TRAINING_SEED)
    .option("--backbones <list>", "deep backbones", BACKBONES.join(","))
    .option("--deep-roles <list>", "series roles with deep features", CASE_ROLES.join(","))
    .option("--deep-regions <list>", "regions with deep features (intra, peri)", "intra")
    .option("--workers <n>", "worker threads (results do not depend on it)", "2")
    .option("--cache <file>", "JSON-lines cache of extracted patients (re-runs extract only what is missing)")
    .action(async (o: { out: string; patients: string; seed: string; backbones: string; deepRoles: string; deepRegions: string; workers: string; cache?: string }) => {
      const t0 = Date.now();
      const rows = await buildSyntheticCohortTable({
        seed: o.seed,
        patients: Number(o.patients),
        backbones: list<Backbone>("--backbones", o.backbones, BACKBONES),
        deepRoles: list<CaseRole>("--deep-roles", o.deepRoles, CASE_ROLES),
        deepRegions: list<CaseRegion>("--deep-regions", o.deepRegions, ["intra", "peri"]),
        workers: Number(o.workers),
        cache: o.cache,
        onPatient: (d, n, r) => process.stderr.write(`  patient ${r.index} (${d}/${n}) ${r.ms} ms\n`),
      });
      const csv = syntheticTableCsv(rows);
      writeFileSync(o.out, csv);
      process.stdout.write(`wrote ${o.out}: ${rows.length} patients, ${csv.split("\n")[0].split(",").length - 3} features in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    });
}
