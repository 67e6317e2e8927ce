import { pseudonymFor } from "../pipeline/import-upload";
import { can, type Permission } from "./permissions";

/**
 * Least privilege for patient identity. A user without `phi.identified.read` (a researcher, unless an administrator
 * granted it) sees every patient under the de-identification pseudonym of its site ID (the same NAC-XXXXXXXXXX the
 * import's de-identification gives, from the same salt), never the name or the site ID; patients imported
 * de-identified already carry their pseudonym and keep it.
 */
const PSEUDONYM = /^NAC-[0-9A-F]{10}$/;

export function pseudonymOf(patientKey: string, salt: string): string {
  return PSEUDONYM.test(patientKey) ? patientKey : pseudonymFor(patientKey, salt);
}

/** How one user may see patients: identified, or under pseudonyms derived with the site's de-identification salt. */
export interface PatientView {
  identified: boolean;
  salt: string;
}

/** The operator's view (CLI, workers): identified. Routes and pages build theirs from the user (viewOf). */
export const IDENTIFIED_VIEW: PatientView = { identified: true, salt: "" };

export function viewOf(user: { permissions: readonly Permission[] }, salt: () => string): PatientView {
  return identifiedFor(user) ? IDENTIFIED_VIEW : { identified: false, salt: salt() };
}

/** A patient key (site ID) as this view may see it. */
export function patientKeyAsSeen(patientKey: string, view: PatientView): string {
  return view.identified ? patientKey : pseudonymOf(patientKey, view.salt);
}

export interface IdentityFields {
  patientKey: string;
  displayName: string;
}

export function identifiedFor(user: { permissions: readonly Permission[] }): boolean {
  return can(user, "phi.identified.read");
}

/** The patient as this user may see it: unchanged when identified, else key and name replaced by the pseudonym. */
export function patientAsSeenBy<T extends IdentityFields>(
  p: T,
  identified: boolean,
  salt: string,
): T & { pseudonymised: boolean } {
  if (identified) return { ...p, pseudonymised: false };
  const pseudonym = pseudonymOf(p.patientKey, salt);
  return {
    ...p,
    patientKey: pseudonym,
    displayName: pseudonym,
    pseudonymised: true,
    ...("birthYear" in p ? { birthYear: null } : {}),
  };
}
