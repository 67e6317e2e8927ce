/**
 * The cohort's clinical.csv (lib/cohort/layout.ts): one row per patient -> validated clinical values (the clinical
 * form's schema, lib/clinical/variables.ts) and outcome. Strict: a number must be written as a number, an outcome as
 * 0 or 1, a date as YYYY-MM-DD; an empty cell is "not given" (never 0). Pure (browser-safe).
 */
import { CLINICAL_VARIABLES, clinicalValuesSchema, type ClinicalValues } from "../clinical/variables";
import { parseCsvRecords } from "../ml/protocol/feature-table";
import { CLINICAL_CSV, CLINICAL_CSV_COLUMNS, OUTCOME_COLUMNS, RESPONSE_REDUCTION } from "./layout";

export interface OutcomeValues {
  pcr: 0 | 1 | null;
  response: 0 | 1 | null;
  preDiameterMm: number | null;
  postDiameterMm: number | null;
  outcomeDate: string | null;
  source: string | null;
}

export interface ClinicalRow {
  patientId: string;
  line: number;
  /** Validated clinical values, or null when no clinical column is filled. */
  clinical: ClinicalValues | null;
  outcome: OutcomeValues | null;
  /** Problems of this row: column and reason (the row is unusable when non-empty). */
  problems: { column: string; reason: string }[];
}

export interface ClinicalCsv {
  rows: ClinicalRow[];
  /** Problems of the file itself (header). */
  fileProblems: string[];
  unknownColumns: string[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function strictNumber(s: string): number | null {
  return NUMBER.test(s) ? Number(s) : null;
}

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(+d) && d.toISOString().slice(0, 10) === s;
}

/** Response from the longest diameters: >= 30 % reduction (the paper's definition). */
export function responseFromDiameters(pre: number, post: number): 0 | 1 {
  return (pre - post) / pre >= RESPONSE_REDUCTION - 1e-12 ? 1 : 0;
}

export function parseClinicalCsv(text: string): ClinicalCsv {
  let recs: string[][];
  try {
    recs = parseCsvRecords(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    return { rows: [], fileProblems: [`${CLINICAL_CSV}: ${(e as Error).message}`], unknownColumns: [] };
  }
  if (!recs.length) return { rows: [], fileProblems: [`${CLINICAL_CSV} is empty`], unknownColumns: [] };
  const header = recs[0].map((h) => h.trim());
  const fileProblems: string[] = [];
  if (header[0] !== "patient_id")
    fileProblems.push(`${CLINICAL_CSV}: the first column must be patient_id (found "${header[0]}")`);
  const dup = header.filter((h, i) => header.indexOf(h) !== i);
  if (dup.length) fileProblems.push(`${CLINICAL_CSV}: duplicate columns ${[...new Set(dup)].join(", ")}`);
  if (fileProblems.length) return { rows: [], fileProblems, unknownColumns: [] };
  const known = new Set(CLINICAL_CSV_COLUMNS);
  const unknownColumns = header.filter((h) => !known.has(h));
  const rows: ClinicalRow[] = [];
  for (let r = 1; r < recs.length; r++) {
    const f = recs[r];
    const line = r + 1;
    const patientId = (f[0] ?? "").trim();
    const problems: ClinicalRow["problems"] = [];
    if (f.length !== header.length) {
      rows.push({
        patientId,
        line,
        clinical: null,
        outcome: null,
        problems: [{ column: "*", reason: `line ${line} has ${f.length} fields, the header ${header.length}` }],
      });
      continue;
    }
    const cell = (name: string): string => {
      const i = header.indexOf(name);
      return i < 0 ? "" : f[i].trim();
    };
    if (!patientId) problems.push({ column: "patient_id", reason: `line ${line}: empty patient_id` });
    rows.push({
      patientId,
      line,
      clinical: parseClinical(cell, problems),
      outcome: parseOutcome(cell, problems),
      problems,
    });
  }
  return { rows, fileProblems, unknownColumns };
}

function parseClinical(cell: (n: string) => string, problems: ClinicalRow["problems"]): ClinicalValues | null {
  const raw: Record<string, string | number> = {};
  let any = false;
  for (const v of CLINICAL_VARIABLES) {
    const s = cell(v.name);
    if (s === "") continue;
    any = true;
    if (v.kind === "number") {
      const n = strictNumber(s);
      if (n === null) problems.push({ column: v.name, reason: `${v.label}: "${s}" is not a number` });
      else raw[v.name] = n;
    } else raw[v.name] = s;
  }
  if (!any) return null;
  const parsed = clinicalValuesSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) problems.push({ column: String(i.path[0] ?? "*"), reason: i.message });
    return null;
  }
  return parsed.data as ClinicalValues;
}

function parseOutcome(cell: (n: string) => string, problems: ClinicalRow["problems"]): OutcomeValues | null {
  if (OUTCOME_COLUMNS.every((c) => cell(c) === "")) return null;
  const binary = (c: string): 0 | 1 | null => {
    const s = cell(c);
    if (s === "") return null;
    if (s === "0" || s === "1") return Number(s) as 0 | 1;
    problems.push({ column: c, reason: `${c} must be 0 or 1 (got "${s}")` });
    return null;
  };
  const diameter = (c: string): number | null => {
    const s = cell(c);
    if (s === "") return null;
    const n = strictNumber(s);
    if (n === null || !(n >= 0) || n > 500) {
      problems.push({ column: c, reason: `${c} must be a length in mm between 0 and 500 (got "${s}")` });
      return null;
    }
    return n;
  };
  const pcr = binary("pCR");
  let response = binary("response");
  const pre = diameter("pre_diameter_mm");
  const post = diameter("post_diameter_mm");
  if ((pre === null) !== (post === null) && !problems.some((p) => p.column.endsWith("_diameter_mm"))) {
    problems.push({
      column: pre === null ? "pre_diameter_mm" : "post_diameter_mm",
      reason: "give both pre_diameter_mm and post_diameter_mm, or neither",
    });
  }
  if (pre !== null && post !== null) {
    if (pre === 0) problems.push({ column: "pre_diameter_mm", reason: "pre_diameter_mm must be above 0" });
    else {
      const derived = responseFromDiameters(pre, post);
      if (response !== null && response !== derived) {
        problems.push({
          column: "response",
          reason: `response ${response} contradicts the diameters ${pre} -> ${post} mm (${derived ? ">=" : "<"} 30 % reduction)`,
        });
      }
      response = derived;
    }
  }
  const date = cell("outcome_date");
  if (date !== "" && !isIsoDate(date))
    problems.push({ column: "outcome_date", reason: `outcome_date must be a date YYYY-MM-DD (got "${date}")` });
  return {
    pcr,
    response,
    preDiameterMm: pre,
    postDiameterMm: post,
    outcomeDate: date || null,
    source: cell("outcome_source") || null,
  };
}
