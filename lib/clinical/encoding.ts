/**
 * The one encoding table of the pre-treatment clinical variables: model inputs `clinical.<name>` computed from a
 * clinical record. The record's variables and their validation are the one schema, lib/clinical/variables.ts
 * (CLINICAL_VARIABLES); this table only turns a record into numbers. Record keys are those of that schema and of the
 * synthetic generator (lib/synth/clinical.ts ClinicalRecord):
 * ageYears, menopausalStatus, er, pr, her2, ki67Percent, grade, histology, cT, cN, subtype. Values may be the
 * generator's strings ("positive", "cT2", "post", ...) or already numeric.
 * A variable that is absent or unreadable is listed as missing with the reason (never a silent NaN).
 */
import type { MissingFeature } from "../pipeline/case-features/types";

export interface ClinicalEncoding {
  name: string;
  /** What the number means, for the model card and the explanation words. */
  encoding: string;
  words: string;
  encode(r: Record<string, unknown>): number | string;
}

function status(v: unknown): number | string {
  if (v === true || v === 1 || v === "1") return 1;
  if (v === false || v === 0 || v === "0") return 0;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "positive" || s === "pos" || s === "+") return 1;
    if (s === "negative" || s === "neg" || s === "-") return 0;
  }
  return v === undefined || v === null || v === "" ? "absent" : `unreadable value ${JSON.stringify(v)}`;
}

function numeric(v: unknown, lo: number, hi: number): number | string {
  if (v === undefined || v === null || v === "") return "absent";
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.trim()) : Number.NaN;
  if (!Number.isFinite(n)) return `unreadable value ${JSON.stringify(v)}`;
  if (n < lo || n > hi) return `value ${n} outside ${lo}..${hi}`;
  return n;
}

/** "cT2" / "T2" / "2" / 2 -> 2 (cT4a..d -> 4). */
function ordinalStage(v: unknown, letter: "T" | "N", max: number): number | string {
  if (typeof v === "number") return numeric(v, 0, max);
  if (typeof v !== "string" || !v.trim()) return "absent";
  const m = new RegExp(`^(?:c|y|p)?${letter}?\\s*([0-${max}])[a-d]?$`, "i").exec(v.trim());
  return m ? Number(m[1]) : `unreadable value ${JSON.stringify(v)}`;
}

function receptor(r: Record<string, unknown>, key: "er" | "pr" | "her2"): number | string {
  return status(r[key]);
}

/** Subtype flags: from the record's subtype when given, else derived from ER/PR/HER2. */
function subtypeFlag(
  r: Record<string, unknown>,
  which: "tnbc" | "her2pos" | "hrpos" | "hrposHer2neg",
): number | string {
  const st = typeof r.subtype === "string" ? r.subtype : null;
  if (st) {
    if (which === "tnbc") return st === "TNBC" ? 1 : 0;
    if (which === "her2pos") return st.includes("HER2+") ? 1 : 0;
    if (which === "hrposHer2neg") return st === "HR+/HER2-" ? 1 : 0;
    return st.startsWith("HR+") ? 1 : 0;
  }
  const er = receptor(r, "er"),
    pr = receptor(r, "pr"),
    her2 = receptor(r, "her2");
  if (typeof er !== "number" || typeof pr !== "number" || typeof her2 !== "number")
    return "needs subtype or ER, PR and HER2";
  if (which === "tnbc") return er === 0 && pr === 0 && her2 === 0 ? 1 : 0;
  if (which === "her2pos") return her2;
  if (which === "hrposHer2neg") return (er === 1 || pr === 1) && her2 === 0 ? 1 : 0;
  return er === 1 || pr === 1 ? 1 : 0;
}

export const CLINICAL_ENCODINGS: readonly ClinicalEncoding[] = [
  { name: "age", encoding: "years", words: "age", encode: (r) => numeric(r.ageYears ?? r.age, 15, 100) },
  {
    name: "postmenopausal",
    encoding: "post-menopausal = 1, pre-menopausal = 0",
    words: "post-menopausal",
    encode: (r) => {
      const v = r.menopausalStatus ?? r.postmenopausal;
      if (v === "post" || v === 1 || v === true) return 1;
      if (v === "pre" || v === "peri" || v === 0 || v === false) return 0;
      return v === undefined || v === null || v === "" ? "absent" : `unreadable value ${JSON.stringify(v)}`;
    },
  },
  { name: "er", encoding: "positive = 1, negative = 0", words: "ER positive", encode: (r) => receptor(r, "er") },
  { name: "pr", encoding: "positive = 1, negative = 0", words: "PR positive", encode: (r) => receptor(r, "pr") },
  {
    name: "her2",
    encoding: "positive = 1 (IHC 3+ or ISH amplified), negative = 0",
    words: "HER2 positive",
    encode: (r) => receptor(r, "her2"),
  },
  { name: "ki67", encoding: "Ki-67 index, %", words: "Ki-67", encode: (r) => numeric(r.ki67Percent ?? r.ki67, 0, 100) },
  { name: "grade", encoding: "histological grade 1-3", words: "grade", encode: (r) => numeric(r.grade, 1, 3) },
  {
    name: "cT",
    encoding: "clinical T stage, ordinal 1-4",
    words: "clinical T stage",
    encode: (r) => ordinalStage(r.cT, "T", 4),
  },
  {
    name: "cN",
    encoding: "clinical N stage, ordinal 0-3",
    words: "clinical N stage",
    encode: (r) => ordinalStage(r.cN, "N", 3),
  },
  {
    name: "tnbc",
    encoding: "triple negative = 1, else 0",
    words: "triple negative",
    encode: (r) => subtypeFlag(r, "tnbc"),
  },
  {
    name: "her2pos",
    encoding: "HER2-positive subtype = 1, else 0",
    words: "HER2-positive subtype",
    encode: (r) => subtypeFlag(r, "her2pos"),
  },
  {
    name: "hrpos",
    encoding: "hormone receptor (ER or PR) positive = 1, else 0",
    words: "hormone-receptor positive",
    encode: (r) => subtypeFlag(r, "hrpos"),
  },
  // The subtype's fourth category. HER2+ and TN are the chemo-sensitive groups, so the contrast that matters before NAC
  // is often "HR+/HER2- versus the rest" (luminal HER2-negative disease responds least); as its own indicator a
  // ~10^2-patient model need not rebuild it from ER, PR and HER2 (an interaction shallow trees and mRMR rarely find).
  {
    name: "hrposHer2neg",
    encoding: "HR-positive/HER2-negative subtype = 1, else 0",
    words: "HR-positive/HER2-negative",
    encode: (r) => subtypeFlag(r, "hrposHer2neg"),
  },
  {
    name: "lobular",
    encoding: "invasive lobular histology = 1, else 0",
    words: "lobular histology",
    encode: (r) => {
      const h = r.histology;
      if (typeof h !== "string" || !h.trim()) return "absent";
      return /lobular|^ILC/i.test(h) ? 1 : 0;
    },
  },
];

export function encodeClinical(
  record: Record<string, unknown> | null,
  vars: readonly string[],
): { values: Record<string, number>; missing: MissingFeature[] } {
  const values: Record<string, number> = {};
  const missing: MissingFeature[] = [];
  for (const name of vars) {
    const def = CLINICAL_ENCODINGS.find((v) => v.name === name);
    const key = `clinical.${name}`;
    if (!def) {
      missing.push({ name: key, reason: "unknown clinical variable" });
      continue;
    }
    if (!record) {
      missing.push({ name: key, reason: "no clinical record" });
      continue;
    }
    const v = def.encode(record);
    if (typeof v === "number") values[key] = v;
    else missing.push({ name: key, reason: v });
  }
  return { values, missing };
}
