/**
 * Numeric CSV <-> Matrix for the xgb command line and fixtures: header row, comma-separated, empty field (or NaN/NA)
 * = missing. Numbers are written in the shortest representation that round-trips (JavaScript's Number toString).
 */
import { NacError } from "../../errors";
import { makeMatrix, type Matrix } from "../matrix";

export interface NumericTable {
  header: string[];
  matrix: Matrix;
}

function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let cur = "";
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const MISSING = new Set(["", "nan", "na", "null"]);

export function parseNumericCsv(text: string): NumericTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) throw new NacError("DATA_INVALID", "CSV is empty (a header row is required)");
  const header = splitLine(lines[0]).map((h) => h.trim());
  const m = makeMatrix(lines.length - 1, header.length);
  for (let r = 1; r < lines.length; r++) {
    const f = splitLine(lines[r]);
    if (f.length !== header.length)
      throw new NacError("DATA_INVALID", `CSV line ${r + 1} has ${f.length} fields, header has ${header.length}`);
    for (let c = 0; c < f.length; c++) {
      const s = f[c].trim();
      let v: number;
      if (MISSING.has(s.toLowerCase())) v = NaN;
      else {
        v = Number(s);
        if (Number.isNaN(v))
          throw new NacError("DATA_INVALID", `CSV line ${r + 1}, column "${header[c]}": "${s}" is not a number`);
      }
      m.data[(r - 1) * header.length + c] = v;
    }
  }
  return { header, matrix: m };
}

function fmt(x: number): string {
  return Number.isNaN(x) ? "" : String(x);
}

export function formatCsv(header: string[], rows: number, cols: number, data: ArrayLike<number>): string {
  const out = [header.join(",")];
  for (let r = 0; r < rows; r++) {
    const f: string[] = new Array(cols);
    for (let c = 0; c < cols; c++) f[c] = fmt(data[r * cols + c]);
    out.push(f.join(","));
  }
  return out.join("\n") + "\n";
}
