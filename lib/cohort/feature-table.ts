/**
 * The cohort feature table as CSV (the contract `lib/ml/protocol/feature-table.ts` and `nac protocol run --features`
 * read): header; `patient_id` first; image features `ROLE.region.feature` (names of lib/pipeline/case-features/) in
 * a stable order (role, region, extractor, name); clinical inputs `clinical.<var>`; outcomes `pCR` and `response`
 * (0/1, empty when unknown). A value is written as JavaScript's shortest round-trip decimal, so equal doubles give
 * equal bytes; an empty cell is a value that was not extracted or not computable. Pure.
 */
import { BACKBONES } from "../deep/architecture";
import { CASE_ROLES, CLINICAL_ENCODINGS } from "../pipeline/case-features";
import { toCsv } from "./layout";

export interface FeatureTableRow {
  patientId: string;
  values: Record<string, number>;
  pcr: 0 | 1 | null;
  response: 0 | 1 | null;
}

const REGIONS = ["intra", "peri"];

function imageSortKey(name: string): [number, number, number, string] {
  const [role, region, ...rest] = name.split(".");
  const feature = rest.join(".");
  const b = BACKBONES.findIndex((x) => feature.startsWith(`${x}_`));
  return [CASE_ROLES.indexOf(role as (typeof CASE_ROLES)[number]), REGIONS.indexOf(region), b + 1, feature];
}

export function featureTableColumns(rows: readonly FeatureTableRow[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.values)) names.add(k);
  const image = [...names].filter((n) => !n.startsWith("clinical."));
  const keyed = image.map((n) => ({ n, k: imageSortKey(n) }));
  keyed.sort(
    (a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || (a.k[3] < b.k[3] ? -1 : a.k[3] > b.k[3] ? 1 : 0),
  );
  const clinical = CLINICAL_ENCODINGS.map((v) => `clinical.${v.name}`).filter((n) => names.has(n));
  return [...keyed.map((x) => x.n), ...clinical];
}

export function featureTableCsv(rows: readonly FeatureTableRow[]): {
  csv: string;
  columns: number;
  missingCells: number;
} {
  const cols = featureTableColumns(rows);
  const sorted = [...rows].sort((a, b) => (a.patientId < b.patientId ? -1 : a.patientId > b.patientId ? 1 : 0));
  let missing = 0;
  const body = sorted.map((r) => [
    r.patientId,
    ...cols.map((c) => {
      const v = r.values[c];
      if (v === undefined || !Number.isFinite(v)) {
        missing++;
        return "";
      }
      return String(v);
    }),
    r.pcr ?? "",
    r.response ?? "",
  ]);
  return {
    csv: toCsv(["patient_id", ...cols, "pCR", "response"], body),
    columns: cols.length + 3,
    missingCells: missing,
  };
}
