/** User roles. Clinical roles read and annotate patients; researchers run cohorts and register models; admins manage. */
export const ROLES = ["radiologist", "oncologist", "researcher", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const CLINICAL_ROLES: readonly Role[] = ["radiologist", "oncologist", "admin"];
export const ALL_ROLES: readonly Role[] = ROLES;

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}
