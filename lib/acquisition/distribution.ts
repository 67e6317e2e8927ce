/**
 * The training distribution of acquisition parameters, stored in a model bundle (schema 2) at training or
 * registration, and the check of a patient's series against it at Predict.
 */
import { z } from "zod";
import type { AcquisitionParameters, AcquisitionRole } from "./parameters";

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const rangeSchema = z.object({ n: z.number().int().min(1), min: finite, max: finite }).strict();
const countsSchema = z.array(z.object({ value: z.string(), n: z.number().int().min(1) }).strict());

export const roleDistributionSchema = z
  .object({
    /** Series of this role in the training data. */
    series: z.number().int().min(0),
    /** Manufacturers (case-insensitive, trimmed), with counts. */
    manufacturers: countsSchema,
    /** Field strengths in tesla (as text, e.g. "1.5"), with counts: a categorical parameter. */
    fieldStrengthsT: countsSchema,
    pixelSpacingMm: rangeSchema.optional(),
    sliceThicknessMm: rangeSchema.optional(),
    contrastDelayS: rangeSchema.optional(),
  })
  .strict();

export const acquisitionDistributionSchema = z
  .object({
    /** Where the parameters came from (e.g. "cohort X, 120 patients" or "synthetic generator"). */
    source: z.string().min(1),
    byRole: z.partialRecord(z.enum(["CE-T1", "T2", "CT"]), roleDistributionSchema),
  })
  .strict();

export type AcquisitionDistribution = z.output<typeof acquisitionDistributionSchema>;
export type RoleDistribution = z.output<typeof roleDistributionSchema>;

/** Relative margin on numeric ranges: a rounding difference (0.70 vs 0.7031 mm) is not a different protocol. */
export const RANGE_MARGIN = 0.05;

const fieldText = (t: number) => String(Math.round(t * 100) / 100);
const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

function counts(values: string[]): { value: string; n: number }[] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([value, n]) => ({ value, n }));
}

function range(values: number[]): { n: number; min: number; max: number } | undefined {
  if (!values.length) return undefined;
  return { n: values.length, min: Math.min(...values), max: Math.max(...values) };
}

export function summariseAcquisition(series: AcquisitionParameters[], source: string): AcquisitionDistribution {
  const byRole: AcquisitionDistribution["byRole"] = {};
  for (const role of ["CE-T1", "T2", "CT"] as const) {
    const s = series.filter((x) => x.role === role);
    if (!s.length) continue;
    const num = (k: "pixelSpacingMm" | "sliceThicknessMm" | "contrastDelayS") =>
      range(s.map((x) => x[k]).filter((v): v is number => v !== undefined));
    const ps = num("pixelSpacingMm"),
      st = num("sliceThicknessMm"),
      cd = num("contrastDelayS");
    byRole[role] = {
      series: s.length,
      manufacturers: counts(
        s
          .map((x) => x.manufacturer)
          .filter((v): v is string => !!v)
          .map(norm),
      ),
      fieldStrengthsT: counts(
        s
          .map((x) => x.fieldStrengthT)
          .filter((v): v is number => v !== undefined)
          .map(fieldText),
      ),
      ...(ps ? { pixelSpacingMm: ps } : {}),
      ...(st ? { sliceThicknessMm: st } : {}),
      ...(cd ? { contrastDelayS: cd } : {}),
    };
  }
  return { source, byRole };
}

export interface AcquisitionWarning {
  role: AcquisitionRole;
  parameter: "manufacturer" | "fieldStrength" | "pixelSpacing" | "sliceThickness" | "contrastDelay";
  value: string;
  training: string;
  /** One sentence for the predict panel and the report. */
  message: string;
}

const fmt = (x: number) => String(Math.round(x * 100) / 100);

/**
 * Compares one series with the training distribution of its role. A parameter the series does not record, or the
 * training data never recorded, is not compared (nothing to say); a role the training data did not have at all is.
 */
export function checkAcquisition(d: AcquisitionDistribution, p: AcquisitionParameters): AcquisitionWarning[] {
  const t = d.byRole[p.role];
  const out: AcquisitionWarning[] = [];
  const warn = (parameter: AcquisitionWarning["parameter"], what: string, value: string, training: string) =>
    out.push({
      role: p.role,
      parameter,
      value,
      training,
      message: `${p.role} ${what} ${value} is outside the training data (${training})`,
    });
  if (!t || t.series === 0) return out;
  if (p.fieldStrengthT !== undefined && t.fieldStrengthsT.length) {
    const v = fieldText(p.fieldStrengthT);
    if (!t.fieldStrengthsT.some((c) => c.value === v))
      warn(
        "fieldStrength",
        "field strength",
        `${v} T`,
        `trained on ${t.fieldStrengthsT.map((c) => `${c.value} T`).join(", ")} only`,
      );
  }
  if (p.manufacturer && t.manufacturers.length) {
    if (!t.manufacturers.some((c) => c.value === norm(p.manufacturer!)))
      warn(
        "manufacturer",
        "manufacturer",
        `"${p.manufacturer}"`,
        `trained on ${t.manufacturers.map((c) => `"${c.value}"`).join(", ")} only`,
      );
  }
  const numeric = (
    parameter: AcquisitionWarning["parameter"],
    what: string,
    v: number | undefined,
    r: { min: number; max: number } | undefined,
    unit: string,
  ) => {
    if (v === undefined || !r) return;
    if (v < r.min * (1 - RANGE_MARGIN) || v > r.max * (1 + RANGE_MARGIN))
      warn(parameter, what, `${fmt(v)} ${unit}`, `training ${fmt(r.min)}–${fmt(r.max)} ${unit}`);
  };
  numeric("pixelSpacing", "pixel spacing", p.pixelSpacingMm, t.pixelSpacingMm, "mm");
  numeric("sliceThickness", "slice thickness", p.sliceThicknessMm, t.sliceThicknessMm, "mm");
  numeric("contrastDelay", "contrast delay", p.contrastDelayS, t.contrastDelayS, "s");
  return out;
}
