import { NacError } from "../../errors";
import { makeMatrix } from "../matrix";
import type { ProtocolInput } from "./run-protocol";

/** Fields read as missing (case-insensitive). */
const MISSING = new Set(["", "na", "nan", "null", "none"]);

/** RFC 4180-style CSV: quoted fields may hold commas, doubled quotes and newlines. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let rec: string[] = [];
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ",") { rec.push(field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      rec.push(field);
      if (rec.length > 1 || rec[0].trim() !== "") records.push(rec);
      rec = [];
      field = "";
    } else field += c;
  }
  if (q) throw new NacError("DATA_INVALID", "CSV ends inside a quoted field");
  rec.push(field);
  if (rec.length > 1 || rec[0].trim() !== "") records.push(rec);
  return records;
}

export interface FeatureTableOptions {
  /** Outcome column: values 0/1 (also accepted: true/false). */
  labelColumn: string;
  /** Optional identifier column (kept as text). */
  idColumn?: string;
  /** Other columns to leave out (e.g. a second outcome). */
  exclude?: string[];
}

/**
 * Reads a features table (CSV text with a header: one row per patient, one numeric column per feature, plus the
 * label and optionally an id column) into protocol input. Empty/NA/NaN fields are missing; anything else that is
 * not a finite number is an error naming its line and column. Rows without a label are an error.
 */
export function parseFeatureTable(text: string, o: FeatureTableOptions): ProtocolInput {
  const recs = parseCsvRecords(text);
  if (recs.length < 2) throw new NacError("DATA_INVALID", "features CSV needs a header row and at least one data row");
  const header = recs[0].map((h) => h.trim());
  if (new Set(header).size !== header.length) throw new NacError("DATA_INVALID", "features CSV has duplicate column names");
  const labelIdx = header.indexOf(o.labelColumn);
  if (labelIdx < 0) throw new NacError("DATA_INVALID", `label column "${o.labelColumn}" not in the CSV header`);
  const idIdx = o.idColumn ? header.indexOf(o.idColumn) : -1;
  if (o.idColumn && idIdx < 0) throw new NacError("DATA_INVALID", `id column "${o.idColumn}" not in the CSV header`);
  const exclude = new Set(o.exclude ?? []);
  for (const e of exclude) if (!header.includes(e)) throw new NacError("DATA_INVALID", `excluded column "${e}" not in the CSV header`);
  const featureCols = header.flatMap((h, i) => (i === labelIdx || i === idIdx || exclude.has(h) ? [] : [i]));
  if (!featureCols.length) throw new NacError("DATA_INVALID", "features CSV has no feature column");
  const n = recs.length - 1;
  const X = makeMatrix(n, featureCols.length);
  const y = new Uint8Array(n);
  const rowIds: string[] = [];
  for (let r = 0; r < n; r++) {
    const f = recs[r + 1];
    const line = r + 2;
    if (f.length !== header.length) throw new NacError("DATA_INVALID", `CSV line ${line} has ${f.length} fields, header has ${header.length}`);
    const lab = f[labelIdx].trim().toLowerCase();
    if (lab === "1" || lab === "1.0" || lab === "true") y[r] = 1;
    else if (lab === "0" || lab === "0.0" || lab === "false") y[r] = 0;
    else throw new NacError("DATA_INVALID", `CSV line ${line}: label "${f[labelIdx]}" is not 0/1${MISSING.has(lab) ? " (missing labels are not allowed; remove the row)" : ""}`);
    if (idIdx >= 0) rowIds.push(f[idIdx].trim());
    featureCols.forEach((c, j) => {
      const s = f[c].trim();
      let v = Number.NaN;
      if (!MISSING.has(s.toLowerCase())) {
        v = Number(s);
        if (!Number.isFinite(v)) throw new NacError("DATA_INVALID", `CSV line ${line}, column "${header[c]}": "${s}" is not a finite number`);
      }
      X.data[r * featureCols.length + j] = v;
    });
  }
  if (idIdx >= 0 && new Set(rowIds).size !== rowIds.length) throw new NacError("DATA_INVALID", `id column "${o.idColumn}" has duplicate values`);
  return { X, y, featureNames: featureCols.map((c) => header[c]), ...(idIdx >= 0 ? { rowIds } : {}) };
}
