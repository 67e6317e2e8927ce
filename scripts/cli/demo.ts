/**
 * `demo generate`: writes a deterministic synthetic cohort (DICOM CE-T1, T2, CT per patient; tumour masks;
 * clinical.csv; outcomes.csv; manifest.json with latents, planted truths and Bayes rates). Synthetic data only.
 */
import type { Command } from "commander";
import { positiveInt } from "./options";
import { NacError } from "../../lib/errors";
import { availableParallelism } from "node:os";
import { writeCohortParallel } from "../../lib/synth/node/write-cohort";

/** The `demo` command group (demo-train.ts adds to it). */
export function demoCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === "demo") ??
    program.command("demo").description("Synthetic demo data (phantom patients, not real patients)")
  );
}

export function register(program: Command): void {
  const demo = demoCommand(program);
  demo
    .command("generate")
    .description("Generate a deterministic synthetic cohort: DICOM series, tumour masks, clinical and outcome tables")
    .requiredOption("--out <dir>", "output directory")
    .option("--patients <n>", "number of patients", "10")
    .option("--seed <seed>", "cohort seed (any string; same seed, same bytes)", "1")
    .option("--monte-carlo <n>", "patients in the Bayes-rate Monte Carlo", "20000")
    .option(
      "--layout <layout>",
      "generator (patients/, masks/, outcomes.csv) or cohort (the importable cohort folder layout, see README)",
      "generator",
    )
    .option(
      "--jobs <n>",
      "worker threads (output bytes do not depend on it)",
      String(Math.min(2, availableParallelism())),
    )
    .action(
      async (o: { out: string; patients: string; seed: string; monteCarlo: string; jobs: string; layout: string }) => {
        if (o.layout !== "generator" && o.layout !== "cohort")
          throw new NacError("BAD_REQUEST", `--layout must be generator or cohort (got "${o.layout}")`);
        const patients = positiveInt("--patients", o.patients);
        const t0 = Date.now();
        const res = await writeCohortParallel({
          jobs: positiveInt("--jobs", o.jobs),
          patients,
          seed: o.seed,
          outDir: o.out,
          layout: o.layout,
          monteCarloPatients: positiveInt("--monte-carlo", o.monteCarlo),
          onPatient: (i, ms) => {
            if ((i + 1) % 10 === 0 || i + 1 === patients)
              process.stderr.write(`  patient ${i + 1}/${patients} (${ms} ms)\n`);
          },
        });
        const b = res.manifest.bayes;
        const f = (x: number) => x.toFixed(3);
        process.stdout.write(
          [
            `wrote ${res.files} files (${(res.bytes / 1e6).toFixed(1)} MB) for ${patients} synthetic patients to ${o.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
            `manifest: ${res.manifestPath}`,
            `cohort: pCR ${f(b.cohort.observedPcrRate)}, response ${f(b.cohort.observedResponseRate)}`,
            `population (Monte Carlo, n=${b.population.monteCarloPatients}): pCR rate ${f(b.population.pcrRate)}, Bayes balanced accuracy ${f(b.population.pcr.balancedAccuracy)}; response rate ${f(b.population.responseRate)}, Bayes balanced accuracy ${f(b.population.response.balancedAccuracy)}`,
            `  image-only Bayes balanced accuracy (no subtype / Ki-67): pCR ${f(b.population.imageOnly.pcr.balancedAccuracy)}, response ${f(b.population.imageOnly.response.balancedAccuracy)}`,
            `this cohort's expected Bayes balanced accuracy: pCR ${f(b.cohort.expectedPcr.balancedAccuracy)}, response ${f(b.cohort.expectedResponse.balancedAccuracy)}; image-only pCR ${f(b.cohort.imageOnly.expectedPcr.balancedAccuracy)}, response ${f(b.cohort.imageOnly.expectedResponse.balancedAccuracy)}`,
            "",
          ].join("\n"),
        );
      },
    );
}
