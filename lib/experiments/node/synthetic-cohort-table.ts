/**
 * A realistic feature table for experiments without a site cohort: a synthetic cohort (lib/synth) with the paper's
 * handcrafted features on every series and region, deep features of several MedicalNet backbones, clinical variables
 * and both outcomes, in the feature-table CSV contract (patient_id, `ROLE.region.feature`, `clinical.<var>`, pCR,
 * response). Each patient is generated once per worker and every spec is extracted from it. Node only.
 *
 * Rows depend only on (seed, index, specs, encoder files, engine versions), so they are cached one JSON line per
 * patient: an interrupted run keeps what it computed and a larger cohort reuses a smaller one's patients.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Backbone } from "../../deep/architecture";
import { NacError } from "../../errors";
import { runIndexPool } from "../../jobs/node/index-pool";
import { canonicalJson } from "../../hash/canonical-json";
import { sha256Hex } from "../../hash/sha256";
import {
  caseFeatureSpecHash,
  featureColumns,
  CASE_FEATURES_VERSION,
  DEEP_ENGINE_VERSION,
  makeCaseFeatureSpec,
  type CaseFeatureSpec,
  type CaseRegion,
  type CaseRole,
} from "../../pipeline/case-features";
import { ENGINE_VERSION as RADIOMICS_VERSION } from "../../radiomics/version";
import { GENERATOR_VERSION } from "../../synth/cohort";

export interface SyntheticTableRow {
  index: number;
  patientId: string;
  values: Record<string, number>;
  outcome: { pcr: 0 | 1; response: 0 | 1 };
  /** Encoder file sha256 and origin by backbone ("untrained" = seeded demo weights). */
  encoders: Record<string, { sha256: string; origin: string }>;
  ms: number;
}

export interface SyntheticTableOptions {
  seed: string;
  patients: number;
  /** Backbones for deep features (the first spec also carries the handcrafted and clinical features). */
  backbones: Backbone[];
  deepRoles: CaseRole[];
  deepRegions: CaseRegion[];
  workers?: number;
  modelsDir?: string;
  /** JSON-lines cache: first line the key, then one row per patient (any order). */
  cache?: string;
  onPatient?: (done: number, total: number, row: SyntheticTableRow) => void;
}

/** One spec with handcrafted (all roles and regions) + clinical + the first backbone, then one deep-only spec per backbone. */
export function syntheticTableSpecs(
  o: Pick<SyntheticTableOptions, "backbones" | "deepRoles" | "deepRegions">,
): CaseFeatureSpec[] {
  if (!o.backbones.length) return [makeCaseFeatureSpec({ deep: null })];
  const [first, ...rest] = o.backbones;
  return [
    makeCaseFeatureSpec({ deep: { backbone: first, roles: o.deepRoles, regions: o.deepRegions } }),
    ...rest.map((backbone) =>
      makeCaseFeatureSpec({
        roles: o.deepRoles,
        regions: o.deepRegions,
        handcrafted: null,
        clinical: [],
        deep: { backbone, roles: o.deepRoles, regions: o.deepRegions },
      }),
    ),
  ];
}

export async function buildSyntheticCohortTable(o: SyntheticTableOptions): Promise<SyntheticTableRow[]> {
  if (!Number.isInteger(o.patients) || o.patients < 10)
    throw new NacError("BAD_REQUEST", "a synthetic cohort table needs at least 10 patients");
  const specs = syntheticTableSpecs(o);
  const key = sha256Hex(
    canonicalJson({
      seed: o.seed,
      specs: specs.map(caseFeatureSpecHash),
      generator: GENERATOR_VERSION,
      caseFeatures: CASE_FEATURES_VERSION,
      radiomics: RADIOMICS_VERSION,
      deep: DEEP_ENGINE_VERSION,
    }),
  );
  const done = new Map<number, SyntheticTableRow>();
  if (o.cache && existsSync(o.cache)) {
    const lines = readFileSync(o.cache, "utf8").split("\n").filter(Boolean);
    if (lines.length && (JSON.parse(lines[0]) as { key?: string }).key === key) {
      for (const l of lines.slice(1)) {
        try {
          const r = JSON.parse(l) as SyntheticTableRow;
          done.set(r.index, r);
        } catch {
          // a line cut by an interrupted write: that patient is extracted again
        }
      }
    }
  }
  if (o.cache && !done.size) writeFileSync(o.cache, `${JSON.stringify({ key })}\n`);
  const queue = Array.from({ length: o.patients }, (_, i) => i).filter((i) => !done.has(i));
  const total = queue.length;
  let finished = 0;
  await runIndexPool<{ row: SyntheticTableRow }>({
    url: new URL("./synthetic-cohort-table-worker-boot.mjs", import.meta.url),
    workerData: { seed: o.seed, specs, modelsDir: o.modelsDir ?? null },
    indices: queue,
    workers: Math.min(o.workers ?? Math.min(2, availableParallelism()), queue.length),
    itemName: "synthetic patient",
    onResult: ({ row }) => {
      done.set(row.index, row);
      if (o.cache) appendFileSync(o.cache, `${JSON.stringify(row)}\n`);
      o.onPatient?.(++finished, total, row);
    },
  });
  return Array.from({ length: o.patients }, (_, i) => done.get(i)!);
}

/** Exact decimal text of a double (shortest round-trip form), empty when missing. */
function cell(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? "" : String(v);
}

/** The rows as a feature-table CSV: patient_id, features (first-seen order), pCR, response. */
export function syntheticTableCsv(rows: SyntheticTableRow[]): string {
  const names = featureColumns(rows);
  const lines = [["patient_id", ...names, "pCR", "response"].join(",")];
  for (const r of rows)
    lines.push(
      [r.patientId, ...names.map((n) => cell(r.values[n])), String(r.outcome.pcr), String(r.outcome.response)].join(
        ",",
      ),
    );
  return `${lines.join("\n")}\n`;
}
