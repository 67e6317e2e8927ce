/** Option parsing shared by the CLI commands. */
import { NacError } from "../../lib/errors";

/** A whole number >= 1 (and <= max when given) from an option's text, else BAD_REQUEST naming the option. */
export function positiveInt(name: string, v: string, max?: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || (max !== undefined && n > max))
    throw new NacError(
      "BAD_REQUEST",
      max === undefined
        ? `${name} must be a positive integer (got "${v}")`
        : `${name} must be an integer 1..${max} (got "${v}")`,
    );
  return n;
}
