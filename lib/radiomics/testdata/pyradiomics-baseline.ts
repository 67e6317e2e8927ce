/** Test helpers: pyradiomics baseline CSVs and their per-column settings (test-only; uses node:fs). */
import { readFileSync } from "node:fs";
import { applyPyradiomicsSetting } from "../pyradiomics-params";
import type { SettingsInput } from "../settings";

export interface Baseline {
  columns: string[];
  rows: Map<string, string[]>;
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "",
    quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function readBaseline(file: string): Baseline {
  const lines = readFileSync(file, "utf8").trim().split(/\r?\n/);
  const header = splitCsvLine(lines[0]);
  const rows = new Map<string, string[]>();
  for (const l of lines.slice(1)) {
    const cells = splitCsvLine(l);
    rows.set(cells[0], cells.slice(1));
  }
  return { columns: header.slice(1), rows };
}

/** The settings of a baseline column, from its diagnostics_Configuration_Settings python-dict literal. */
export function baselineSettings(b: Baseline, column: string): SettingsInput {
  const idx = b.columns.indexOf(column);
  const literal = b.rows.get("diagnostics_Configuration_Settings")![idx];
  const json = literal
    .replace(/'/g, '"')
    .replace(/\bNone\b/g, "null")
    .replace(/\bTrue\b/g, "true")
    .replace(/\bFalse\b/g, "false");
  const dict = JSON.parse(json) as Record<string, unknown>;
  const out: SettingsInput = { mode: "pyradiomics" };
  for (const [k, v] of Object.entries(dict)) {
    if (!applyPyradiomicsSetting(out, k, v)) throw new Error(`baseline setting ${k} not understood`);
  }
  return out;
}

export function baselineValue(b: Baseline, feature: string, column: string): number | undefined {
  const row = b.rows.get(feature);
  if (!row) return undefined;
  const v = row[b.columns.indexOf(column)];
  return v === undefined || v === "" ? undefined : Number(v);
}
