import type { Role } from "./roles";

/**
 * The permission table: who may do what. Routes declare the permission they need (app/_server/api-route.ts), pages and
 * components ask `can(user, ...)`; nothing checks a role name directly. A role grants its permissions; an administrator
 * may grant an account more (table user_grants: today only `phi.identified.read`, for a researcher who needs names).
 */
export const PERMISSIONS = {
  /** Read patient data (worklist, patient, images, ROIs, clinical record, predictions, reports). */
  "patient.read": ["radiologist", "oncologist", "researcher", "admin"],
  /** See patients identified (name, site ID in the DICOM); without it, the de-identification pseudonym only. */
  "phi.identified.read": ["radiologist", "oncologist", "admin"],
  /** Draw, upload and save ROIs; override a series' role. */
  "roi.write": ["radiologist", "admin"],
  /** Save clinical variables. */
  "clinical.write": ["radiologist", "oncologist", "admin"],
  /** Run a prediction. */
  predict: ["radiologist", "oncologist", "admin"],
  /** Import DICOM studies. */
  import: ["radiologist", "researcher", "admin"],
  /** Read and export the audit log. */
  "audit.read": ["admin"],
  /** List accounts, disable/enable them, reset their passwords, grant permissions. */
  "users.manage": ["admin"],
  /** Record a patient's outcome after surgery (pCR, response). */
  "outcome.write": ["radiologist", "oncologist", "admin"],
  /** Research cohorts, extractions, experiments, registering and moving model bundles. */
  research: ["researcher", "admin"],
  /** Make a registered model bundle the one Predict uses. */
  "model.activate": ["admin"],
  /** Search, stream and view PACS studies. The PACS holds identified data only: a researcher gets it with identified
   * access (GRANT_IMPLIES), not by role. */
  "pacs.read": ["radiologist", "oncologist", "admin"],
  /** Import PACS studies into local storage: as for dropped files (researchers with identified access, as above). */
  "pacs.import": ["radiologist", "admin"],
  /** Store a saved ROI's SEG to the PACS: as for saving ROIs. */
  "pacs.store_roi": ["radiologist", "admin"],
  /** Store a prediction's SR (and its SEGs) to the PACS: as for predicting. */
  "pacs.store_prediction": ["radiologist", "oncologist", "admin"],
  /** Configure PACS data sources. */
  "pacs.configure": ["admin"],
  /** Recompute a stored prediction from its stored inputs and compare (replay). */
  "prediction.verify": ["admin"],
  /** Build, reorder and present tumour-board sessions. */
  "board.manage": ["radiologist", "oncologist", "admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Permissions an administrator may grant an account beyond its role. */
export const GRANTABLE: readonly Permission[] = ["phi.identified.read"];

/** What a grant brings with it: identified access includes the PACS, where nothing is pseudonymised. */
const GRANT_IMPLIES: Partial<Record<Permission, readonly Permission[]>> = {
  "phi.identified.read": ["pacs.read", "pacs.import"],
};

export function isPermission(v: unknown): v is Permission {
  return typeof v === "string" && Object.hasOwn(PERMISSIONS, v);
}

export function rolesWith(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}

export function permissionsOf(role: Role, grants: readonly string[] = []): Permission[] {
  const out = (Object.keys(PERMISSIONS) as Permission[]).filter((p) =>
    (PERMISSIONS[p] as readonly Role[]).includes(role),
  );
  for (const g of grants) {
    if (!isPermission(g) || !GRANTABLE.includes(g)) continue;
    for (const p of [g, ...(GRANT_IMPLIES[g] ?? [])]) if (!out.includes(p)) out.push(p);
  }
  return out;
}

export function can(user: { permissions: readonly Permission[] }, permission: Permission): boolean {
  return user.permissions.includes(permission);
}
