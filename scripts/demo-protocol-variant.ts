/**
 * Runs the demo's research protocol (demoProtocolConfig) with config overrides on a cohort whose features `demo train
 * --features-cache FILE` already extracted, in minutes instead of an extraction. For diagnosing the protocol on
 * generated cohorts (docs/SYNTHETIC_COHORT.md); `demo train` remains the run of record.
 *
 *   npx tsx scripts/demo-protocol-variant.ts --cache /tmp/nac-synth/features.json --patients 500 \
 *     --config '{"mrmr":{"transform":"normalScores"}}' [--endpoints response] [--selection-only]
 *
 * --selection-only fits mRMR on each partition's training rows only and reports which planted terms it reaches
 * (no classifier, no test row is looked at): a way to judge a selection setting without scoring test partitions.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { selectRows } from "../lib/ml/matrix";
import { stratifiedPartitions } from "../lib/ml/protocol/partitions";
import { parseProtocolConfig } from "../lib/ml/protocol/config";
import { fitPreprocessor, applyPreprocessor } from "../lib/ml/protocol/preprocess";
import { runProtocolParallel } from "../lib/ml/protocol/node/run-protocol-parallel";
import { mrmr } from "../lib/ml/selection/mrmr";
import type { CohortPatientFeatures } from "../lib/pipeline/demo/cohort-features";
import { cohortMatrix, demoProtocolConfig } from "../lib/pipeline/demo/train";

const { values: a } = parseArgs({
  options: {
    cache: { type: "string" },
    patients: { type: "string" },
    endpoints: { type: "string", default: "pcr,response" },
    partitions: { type: "string", default: "10" },
    workers: { type: "string", default: "2" },
    config: { type: "string", default: "{}" },
    "selection-only": { type: "boolean", default: false },
  },
});
if (!a.cache) throw new Error("--cache FILE is required (written by demo train --features-cache)");
const all = (JSON.parse(readFileSync(a.cache, "utf8")) as { rows: CohortPatientFeatures[] }).rows;
const n = a.patients ? Number(a.patients) : all.length;
if (all.length < n) throw new Error(`cache has ${all.length} patients, ${n} asked`);
const rows = all.slice(0, n);
const { X, featureNames } = cohortMatrix(rows);
const rowIds = rows.map((r) => r.patientId);
const override = JSON.parse(a.config) as Record<string, unknown>;

/** Which planted term a feature measures most directly (by name; for the report only). */
function term(f: string): string | null {
  if (
    /original_shape_(MeshVolume|VoxelVolume|SurfaceArea|Maximum3DDiameter|Maximum2DDiameter\w*|MajorAxisLength|MinorAxisLength|LeastAxisLength)$/.test(
      f,
    ) ||
    f === "clinical.cT"
  )
    return "size";
  if (/^clinical\.(her2pos|tnbc|hrpos|hrposHer2neg|her2|er|pr)$/.test(f)) return "subtype";
  if (f === "clinical.ki67") return "ki67";
  if (f.startsWith("T2.intra.original_firstorder")) return "T2 intensity";
  return null;
}

for (const ep of a.endpoints!.split(",") as ("pcr" | "response")[]) {
  const y = Uint8Array.from(rows, (r) => r.outcome[ep]);
  const prevalence = y.reduce((s, v) => s + v, 0) / n;
  const base = demoProtocolConfig(Number(a.partitions), Math.round(prevalence * 100) / 100);
  const config = { ...base, ...override, mrmr: { ...base.mrmr, ...((override.mrmr as object) ?? {}) } };
  const terms = (sel: string[][]) => {
    const c = new Map<string, number>();
    for (const s of sel)
      for (const t of new Set(s.map(term).filter((v): v is string => v !== null))) c.set(t, (c.get(t) ?? 0) + 1);
    return [...c.entries()].map(([t, k]) => `${t} ${k}/${sel.length}`).join(", ");
  };
  if (a["selection-only"]) {
    const cfg = parseProtocolConfig(config);
    const parts = stratifiedPartitions(y, cfg.partitions, cfg.trainFraction, cfg.seed);
    const screened: number[] = [];
    const sels = parts.map(({ train }) => {
      const Xtr = selectRows(X, train);
      const Z = applyPreprocessor(fitPreprocessor(Xtr), Xtr);
      const m = mrmr(
        Z,
        Uint8Array.from(train, (i) => y[i]),
        cfg.mrmr,
      );
      screened.push(m.screened ?? featureNames.length);
      return m.selected.map((c) => featureNames[c]);
    });
    const firstSize = sels.map((s) => s.findIndex((f) => term(f) === "size") + 1);
    process.stdout.write(
      `${ep}: mRMR (training rows only) reaches ${terms(sels)}; rank of first size feature per partition ${firstSize.join(" ")} (0 = none); candidates ${screened.join(" ")}\n`,
    );
    continue;
  }
  const t0 = Date.now();
  const r = await runProtocolParallel(
    { X, y, featureNames, rowIds },
    { ...config, finalModel: false },
    { workers: Number(a.workers) },
  );
  const s = r.summary;
  const pct = (v: number) => (100 * v).toFixed(1);
  process.stdout.write(
    `${ep}: balanced accuracy ${pct(s.balancedAccuracy!.mean)} ± ${pct(s.balancedAccuracy!.sd)}, AUC ${s.auc!.mean.toFixed(3)} ± ${s.auc!.sd.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n` +
      `  mRMR reaches ${terms(r.partitions.map((p) => p.mrmrFeatures))}; final models ${terms(r.partitions.map((p) => p.selectedFeatures))}; ` +
      `features kept ${r.partitions.map((p) => p.selectedFeatures.length).join(" ")}; ` +
      // Training rows only: RFECV's best inner cross-validated score, mean over partitions (a model choice that
      // does not look at test rows).
      `inner-CV ${config.rfe.scoring} ${(r.partitions.reduce((a, p) => a + Math.max(...(p.rfeCvScores ?? []).map((s) => s.mean)), 0) / r.partitions.length).toFixed(3)}\n`,
  );
}
