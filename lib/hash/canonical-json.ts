import { NacError } from "../errors";

/**
 * Deterministic JSON for hashing: object keys sorted, no whitespace, undefined members dropped. Numbers use
 * JavaScript's shortest round-trip form, so parse -> canonicalise reproduces the same text (and hash) on any platform.
 */
export function canonicalJson(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new NacError("DATA_INVALID", "canonical JSON cannot hold a non-finite number");
    return JSON.stringify(v);
  }
  if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? "null" : canonicalJson(x))).join(",")}]`;
  if (ArrayBuffer.isView(v)) return canonicalJson(Array.from(v as unknown as ArrayLike<number>));
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  throw new NacError("DATA_INVALID", `canonical JSON cannot hold a ${typeof v}`);
}
