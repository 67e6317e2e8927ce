/**
 * The PACS's demo content for tests, benchmarks and browser specs: one synthetic patient (CE-T1 + T2 in an MR study,
 * CT in a second study), generated with a seed of its own so it is not among the app's seeded demo patients, uploaded
 * through Orthanc's REST API (not through the code under test).
 */
import { generatePatient, type GeneratedPatient } from "../../synth/generate-patient";
import type { OrthancServer } from "./orthanc";

export const PACS_DEMO_SEED = "pacs-demo";

export function pacsDemoPatient(): GeneratedPatient {
  return generatePatient(PACS_DEMO_SEED, 0, { nifti: false, seg: false });
}

export async function seedDemoPacs(orthanc: OrthancServer, patient = pacsDemoPatient()): Promise<GeneratedPatient> {
  await orthanc.upload(patient.series.flatMap((s) => s.files));
  return patient;
}
