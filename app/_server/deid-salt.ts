import { viewOf, type PatientView } from "@/lib/auth/patient-view";
import type { Permission } from "@/lib/auth/permissions";
import { readServerConfig } from "@/lib/config/server-config";
import { loadOrCreateDeidSalt } from "@/lib/config/secret";

/** The site's de-identification salt (pseudonyms at import and for users without identified access). */
export function deidSalt(): string {
  return loadOrCreateDeidSalt(readServerConfig().dataDir);
}

/** How this user may see patients (lib/auth/patient-view.ts): pseudonyms unless identified access was granted. */
export function patientViewFor(user: { permissions: readonly Permission[] }): PatientView {
  return viewOf(user, deidSalt);
}
