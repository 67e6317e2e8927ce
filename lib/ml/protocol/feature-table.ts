import { NacError } from "../../errors";
import { makeMatrix } from "../matrix";
import type { ProtocolInput } from "./run-protocol";

/** Fields read as missing (case-insensitive). */
const MISSING = new Set(["", "na", "nan", "null", "none"]);

/**
 * RFC 4180-style CSV, one record at a time: quoted fields may hold commas, doubled quotes and newlines. Blank lines
 * are skipped. Records are handed to `onRecord` as they are read, so a wide table never exists as a string[][]
 * (177 x 15 000 fields would be 2.7 M strings); unquoted fields are slices of `text`.
 */
export function forEachCsvRecord(text: string, onRecord: (fields: string[]) => void): void {
  const n = text.length;
  let rec: string[] = [];
  const emit = () => {
    if (rec.length > 1 || rec[0].trim() !== "") onRecord(rec);
    rec = [];
  };
  let i = 0;
  for (;;) {
    // One field from i: runs of plain characters are sliced, not appended one by one. A quote opens quoted mode
    // anywhere in a field; inside it a doubled quote is one quote and a single quote closes it.
    let field = "";
    let from = i;
    let quoted = false;
    let end = -1; // 44 comma, 10 / 13 line end, -1 end of text
    while (i < n) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (c !== 34) {
          i++;
          continue;
        }
        field += text.slice(from, i);
        if (text.charCodeAt(i + 1) === 34) {
          field += '"';
          i += 2;
        } else {
          quoted = false;
          i++;
        }
        from = i;
      } else if (c === 34) {
        field += text.slice(from, i);
        quoted = true;
        from = ++i;
      } else if (c === 44 || c === 10 || c === 13) {
        end = c;
        break;
      } else i++;
    }
    if (quoted) throw new NacError("DATA_INVALID", "CSV ends inside a quoted field");
    rec.push(field + text.slice(from, i));
    if (end === -1) {
      emit();
      return;
    }
    i++;
    if (end === 44) continue;
    if (end === 13 && text.charCodeAt(i) === 10) i++;
    emit();
  }
}

/** Every record of a CSV text (see forEachCsvRecord). */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  forEachCsvRecord(text, (r) => records.push(r));
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
  let header: string[] | null = null;
  let labelIdx = -1,
    idIdx = -1;
  let featureCols: number[] = [];
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  const rowIds: string[] = [];
  // Header checks run when the first data row arrives, so a header-only file gets the "needs a data row" error.
  const checkHeader = (h: string[]) => {
    if (new Set(h).size !== h.length) throw new NacError("DATA_INVALID", "features CSV has duplicate column names");
    labelIdx = h.indexOf(o.labelColumn);
    if (labelIdx < 0) throw new NacError("DATA_INVALID", `label column "${o.labelColumn}" not in the CSV header`);
    idIdx = o.idColumn ? h.indexOf(o.idColumn) : -1;
    if (o.idColumn && idIdx < 0) throw new NacError("DATA_INVALID", `id column "${o.idColumn}" not in the CSV header`);
    const exclude = new Set(o.exclude ?? []);
    for (const e of exclude)
      if (!h.includes(e)) throw new NacError("DATA_INVALID", `excluded column "${e}" not in the CSV header`);
    featureCols = h.flatMap((name, i) => (i === labelIdx || i === idIdx || exclude.has(name) ? [] : [i]));
    if (!featureCols.length) throw new NacError("DATA_INVALID", "features CSV has no feature column");
  };
  forEachCsvRecord(text, (f) => {
    if (!header) {
      header = f.map((h) => h.trim());
      return;
    }
    if (!rows.length) checkHeader(header);
    const line = rows.length + 2;
    if (f.length !== header.length)
      throw new NacError("DATA_INVALID", `CSV line ${line} has ${f.length} fields, header has ${header.length}`);
    const lab = f[labelIdx].trim().toLowerCase();
    if (lab === "1" || lab === "1.0" || lab === "true") labels.push(1);
    else if (lab === "0" || lab === "0.0" || lab === "false") labels.push(0);
    else
      throw new NacError(
        "DATA_INVALID",
        `CSV line ${line}: label "${f[labelIdx]}" is not 0/1${MISSING.has(lab) ? " (missing labels are not allowed; remove the row)" : ""}`,
      );
    if (idIdx >= 0) rowIds.push(f[idIdx].trim());
    const row = new Float64Array(featureCols.length);
    for (let j = 0; j < featureCols.length; j++) {
      const c = featureCols[j];
      const s = f[c].trim();
      let v = Number.NaN;
      // Every MISSING spelling has at most 4 characters: longer fields skip the lower-casing.
      if (s.length > 4 || !MISSING.has(s.toLowerCase())) {
        v = Number(s);
        if (!Number.isFinite(v))
          throw new NacError("DATA_INVALID", `CSV line ${line}, column "${header[c]}": "${s}" is not a finite number`);
      }
      row[j] = v;
    }
    rows.push(row);
  });
  if (!header || !rows.length)
    throw new NacError("DATA_INVALID", "features CSV needs a header row and at least one data row");
  const names: string[] = header;
  const n = rows.length;
  const X = makeMatrix(n, featureCols.length);
  for (let r = 0; r < n; r++) X.data.set(rows[r], r * featureCols.length);
  if (idIdx >= 0 && new Set(rowIds).size !== rowIds.length)
    throw new NacError("DATA_INVALID", `id column "${o.idColumn}" has duplicate values`);
  return {
    X,
    y: Uint8Array.from(labels),
    featureNames: featureCols.map((c) => names[c]),
    ...(idIdx >= 0 ? { rowIds } : {}),
  };
}
