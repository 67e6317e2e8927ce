/** Test helpers: IBSI reference CSVs and the IBSI comparison rule (test-only; uses node:fs). */
import { readFileSync } from "node:fs";

export interface ReferenceRow {
  tag: string;
  value: number;
  tolerance: number;
  /** Significant digits the reference value is written with (trailing zeros of integers not counted). */
  digits: number;
}

function significantDigits(text: string): number {
  const mantissa = text.trim().replace(/^[-+]/, "").split(/[eE]/)[0];
  if (mantissa.includes(".")) return mantissa.replace(".", "").replace(/^0+/, "").length;
  return mantissa.replace(/^0+/, "").replace(/0+$/, "").length;
}

/** Rows with a consensus value (rows with an empty value are dropped). */
export function readIbsiReference(file: string): ReferenceRow[] {
  const lines = readFileSync(file, "utf8").trim().split(/\r?\n/).slice(1);
  const out: ReferenceRow[] = [];
  for (const line of lines) {
    const [v, t, tag] = line.split(";");
    if (v === "" || v === undefined) continue;
    out.push({ tag, value: Number(v), tolerance: t === "" ? 0 : Number(t), digits: significantDigits(v) });
  }
  return out;
}

/**
 * IBSI pass rule as the benchmark applies it: reference values are given to (at least) 3 significant digits, so the
 * computed value is rounded to the reference's precision (at least 3 significant digits; counts such as 125256 are
 * written in full) before |computed - reference| <= tolerance is checked.
 */
export function withinIbsiTolerance(computed: number, ref: ReferenceRow): boolean {
  const rounded = computed === 0 ? 0 : Number(computed.toPrecision(Math.min(21, Math.max(3, ref.digits))));
  return Math.abs(rounded - ref.value) <= ref.tolerance + 1e-9 * Math.max(1, Math.abs(ref.value));
}

export const FAMILY_PREFIXES = ["morph", "loc", "stat", "ih", "ivh", "cm", "rlm", "szm", "dzm", "ngt", "ngl"] as const;

export function familyOf(tag: string): string {
  const p = tag.split("_")[0];
  return (FAMILY_PREFIXES as readonly string[]).includes(p) ? p : "diag";
}
