import { z } from "zod";

/**
 * Pre-treatment clinical variables (browser-safe: the same schema validates the form in the browser and the API on the
 * server). Names match lib/synth's ClinicalRecord so demo data, training and prediction agree. The molecular subtype is
 * derived from ER/PR/HER2 rather than entered.
 */
export type VariableSpec =
  | {
      name: string;
      label: string;
      kind: "number";
      unit: string;
      min: number;
      max: number;
      step: number;
      required: boolean;
      help?: string;
    }
  | { name: string; label: string; kind: "choice"; options: readonly string[]; required: boolean; help?: string };

export const CLINICAL_VARIABLES: readonly VariableSpec[] = [
  { name: "ageYears", label: "Age", kind: "number", unit: "years", min: 18, max: 100, step: 1, required: true },
  { name: "menopausalStatus", label: "Menopausal status", kind: "choice", options: ["pre", "post"], required: true },
  { name: "er", label: "Oestrogen receptor (ER)", kind: "choice", options: ["positive", "negative"], required: true },
  {
    name: "pr",
    label: "Progesterone receptor (PR)",
    kind: "choice",
    options: ["positive", "negative"],
    required: true,
  },
  {
    name: "her2",
    label: "HER2 status",
    kind: "choice",
    options: ["positive", "negative"],
    required: true,
    help: "ASCO/CAP: IHC 3+, or 2+ with ISH amplification",
  },
  { name: "her2Ihc", label: "HER2 IHC score", kind: "choice", options: ["0", "1+", "2+", "3+"], required: false },
  { name: "ki67Percent", label: "Ki-67", kind: "number", unit: "%", min: 0, max: 100, step: 1, required: true },
  { name: "grade", label: "Histological grade", kind: "choice", options: ["1", "2", "3"], required: true },
  { name: "histology", label: "Histology", kind: "choice", options: ["IDC (NST)", "ILC", "other"], required: true },
  { name: "cT", label: "Clinical T stage", kind: "choice", options: ["cT1", "cT2", "cT3", "cT4"], required: true },
  { name: "cN", label: "Clinical N stage", kind: "choice", options: ["cN0", "cN1", "cN2", "cN3"], required: true },
  { name: "laterality", label: "Laterality", kind: "choice", options: ["L", "R"], required: false },
];

/**
 * Strict: a number must be a JSON number, finite and in range; null, "", false, [] or "0x32" are errors,
 * never coerced to 0 or 50. Unknown variables are refused rather than silently dropped. Text from a form or a CSV goes
 * through `clinicalValuesFromText` first, which accepts plain decimals only.
 */
function fieldSchema(v: VariableSpec): z.ZodType {
  if (v.kind === "number") {
    const base = z
      .number({
        error: (iss) =>
          iss.input === undefined || iss.input === null ? `${v.label} is required` : `${v.label} must be a number`,
      })
      .min(v.min, `${v.label} must be at least ${v.min} ${v.unit}`)
      .max(v.max, `${v.label} must be at most ${v.max} ${v.unit}`);
    return v.required ? base : base.nullable().optional();
  }
  const base = z.enum(v.options as [string, ...string[]], {
    error: (iss) =>
      iss.input === undefined || iss.input === null
        ? `${v.label} is required`
        : `${v.label}: choose one of ${v.options.join(", ")}`,
  });
  return v.required ? base : base.nullable().optional();
}

/**
 * Values as entered: every required variable present, optional ones present or null; nothing else. The derived
 * `subtype` and `complete` of a stored record are accepted and dropped (recomputed on save), so a stored record
 * round-trips; any other unknown key is refused.
 */
export const clinicalValuesSchema = z
  .object({
    ...(Object.fromEntries(CLINICAL_VARIABLES.map((v) => [v.name, fieldSchema(v)])) as Record<string, z.ZodType>),
    subtype: z.unknown().optional(),
    complete: z.unknown().optional(),
  })
  .strict()
  .transform(({ subtype: _subtype, complete: _complete, ...values }) => values);

const PLAIN_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Form or CSV text -> values for the schema: only the known variables, empty text left out, numbers parsed from
 * plain decimals only (anything else, e.g. "0x32" or "1e2", is passed on as text and refused by the schema).
 */
export function clinicalValuesFromText(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of CLINICAL_VARIABLES) {
    const x = input[v.name];
    if (x === undefined || x === null || x === "") continue;
    if (v.kind === "number" && typeof x === "string") out[v.name] = PLAIN_DECIMAL.test(x.trim()) ? Number(x.trim()) : x;
    else out[v.name] = x;
  }
  return out;
}

export type ClinicalValues = Record<string, string | number | boolean | null | undefined>;

export function derivedSubtype(v: ClinicalValues): string | null {
  if (!v.er || !v.pr || !v.her2) return null;
  const hr = v.er === "positive" || v.pr === "positive";
  if (v.her2 === "positive") return hr ? "HR+/HER2+" : "HR-/HER2+";
  return hr ? "HR+/HER2-" : "TNBC";
}

export function isComplete(v: ClinicalValues): boolean {
  return CLINICAL_VARIABLES.every(
    (s) => !s.required || (v[s.name] !== undefined && v[s.name] !== null && v[s.name] !== ""),
  );
}
