/**
 * The experiment's input: a feature-table CSV (header; first column `patient_id`; feature columns; outcome columns
 * `pCR` and/or `response`, 0/1 or empty when unknown). Parsed once, numbers by the same rules as the protocol's reader
 * (lib/ml/protocol/feature-table.ts), so a feature set's sub-table gives the protocol exactly the same input as
 * `nac protocol run` on that sub-table exported to CSV.
 */
import { NacError } from "../errors";
import { sha256Bytes } from "../hash/sha256";
import { makeMatrix } from "../ml/matrix";
import { parseCsvRecords } from "../ml/protocol/feature-table";
import type { ProtocolInput } from "../ml/protocol/run-protocol";

export const ID_COLUMN = "patient_id";
export const OUTCOME_COLUMNS = ["pCR", "response"] as const;
export type OutcomeColumn = (typeof OUTCOME_COLUMNS)[number];

const MISSING = new Set(["", "na", "nan", "null", "none"]);

export interface ExperimentTable {
  sha256: string;
  rowIds: string[];
  /** Feature column names (every column but the id and the outcomes), in file order. */
  columns: string[];
  /** Column-major values (NaN = missing): values[c][r]. */
  values: Float64Array[];
  /** Outcome per row: 0, 1 or -1 (unknown); absent when the table has no such column. */
  outcomes: Partial<Record<OutcomeColumn, Int8Array>>;
}

export function parseExperimentTable(bytes: Uint8Array | string): ExperimentTable {
  const text = typeof bytes === "string" ? bytes : new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  const digest = sha256Bytes(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes);
  const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  const recs = parseCsvRecords(text);
  if (recs.length < 2) throw new NacError("DATA_INVALID", "feature table needs a header row and at least one data row");
  const header = recs[0].map((h) => h.trim());
  if (header[0] !== ID_COLUMN)
    throw new NacError("DATA_INVALID", `feature table: the first column must be "${ID_COLUMN}", found "${header[0]}"`);
  if (new Set(header).size !== header.length) {
    const dup = header.find((h, i) => header.indexOf(h) !== i);
    throw new NacError("DATA_INVALID", `feature table has duplicate column "${dup}"`);
  }
  const outcomeIdx = new Map<OutcomeColumn, number>();
  for (const o of OUTCOME_COLUMNS) if (header.includes(o)) outcomeIdx.set(o, header.indexOf(o));
  if (!outcomeIdx.size)
    throw new NacError("DATA_INVALID", `feature table has no outcome column (${OUTCOME_COLUMNS.join(" or ")})`);
  const featureIdx = header.flatMap((h, i) => (i === 0 || outcomeIdx.has(h as OutcomeColumn) ? [] : [i]));
  if (!featureIdx.length) throw new NacError("DATA_INVALID", "feature table has no feature column");
  const n = recs.length - 1;
  const values = featureIdx.map(() => new Float64Array(n));
  const outcomes: ExperimentTable["outcomes"] = {};
  for (const o of outcomeIdx.keys()) outcomes[o] = new Int8Array(n);
  const rowIds: string[] = [];
  const seen = new Set<string>();
  for (let r = 0; r < n; r++) {
    const f = recs[r + 1];
    const line = r + 2;
    if (f.length !== header.length)
      throw new NacError(
        "DATA_INVALID",
        `feature table line ${line} has ${f.length} fields, header has ${header.length}`,
      );
    const id = f[0].trim();
    if (!id) throw new NacError("DATA_INVALID", `feature table line ${line}: empty ${ID_COLUMN}`);
    if (seen.has(id))
      throw new NacError("DATA_INVALID", `feature table line ${line}: ${ID_COLUMN} "${id}" appears twice`);
    seen.add(id);
    rowIds.push(id);
    for (const [o, c] of outcomeIdx) {
      const s = f[c].trim().toLowerCase();
      if (s === "1" || s === "1.0" || s === "true") outcomes[o]![r] = 1;
      else if (s === "0" || s === "0.0" || s === "false") outcomes[o]![r] = 0;
      else if (MISSING.has(s)) outcomes[o]![r] = -1;
      else
        throw new NacError("DATA_INVALID", `feature table line ${line}, column "${o}": "${f[c]}" is not 0, 1 or empty`);
    }
    featureIdx.forEach((c, j) => {
      const s = f[c].trim();
      let v = Number.NaN;
      if (!MISSING.has(s.toLowerCase())) {
        v = Number(s);
        if (!Number.isFinite(v))
          throw new NacError(
            "DATA_INVALID",
            `feature table line ${line}, column "${header[c]}": "${s}" is not a finite number`,
          );
      }
      values[j][r] = v;
    });
  }
  return { sha256, rowIds, columns: featureIdx.map((c) => header[c]), values, outcomes };
}

/** Protocol input of a column selection for one outcome: rows with an unknown outcome are left out. */
export function protocolInputOf(t: ExperimentTable, columns: number[], outcome: OutcomeColumn): ProtocolInput {
  const y = t.outcomes[outcome];
  if (!y) throw new NacError("DATA_INVALID", `feature table has no "${outcome}" column`);
  const rows: number[] = [];
  for (let r = 0; r < y.length; r++) if (y[r] >= 0) rows.push(r);
  const X = makeMatrix(rows.length, columns.length);
  rows.forEach((r, i) => columns.forEach((c, j) => (X.data[i * columns.length + j] = t.values[c][r])));
  return {
    X,
    y: Uint8Array.from(rows, (r) => y[r]),
    featureNames: columns.map((c) => t.columns[c]),
    rowIds: rows.map((r) => t.rowIds[r]),
  };
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A column selection as a feature-table CSV (the ids, the columns, every outcome column); numbers round-trip exactly. */
export function exportColumns(t: ExperimentTable, columns: number[]): string {
  const outs = OUTCOME_COLUMNS.filter((o) => t.outcomes[o]);
  const lines = [[ID_COLUMN, ...columns.map((c) => csvField(t.columns[c])), ...outs].join(",")];
  t.rowIds.forEach((id, r) => {
    const v = columns.map((c) => (Number.isNaN(t.values[c][r]) ? "" : String(t.values[c][r])));
    const o = outs.map((k) => (t.outcomes[k]![r] < 0 ? "" : String(t.outcomes[k]![r])));
    lines.push([csvField(id), ...v, ...o].join(","));
  });
  return `${lines.join("\n")}\n`;
}
