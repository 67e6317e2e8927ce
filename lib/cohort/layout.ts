/**
 * The cohort folder layout (version 1), shared by the importer (lib/pipeline/cohort/import.ts), the synthetic
 * generator (`nac demo generate --layout cohort`) and the README:
 *
 *   COHORT/
 *     clinical.csv              one row per patient: patient_id, the clinical variables (names of lib/clinical/variables.ts),
 *                               outcomes pCR, response (0/1; or pre_diameter_mm + post_diameter_mm, response = >= 30 %
 *                               reduction), outcome_date (YYYY-MM-DD), outcome_source
 *     cohort.json               optional: { "periMarginMm": 5, "periShellMode": "surface-volume-matched" }
 *     <PatientID>/              folder name = the DICOM PatientID of every file inside
 *       CE-T1/ T2/ CT/          one DICOM series per role folder (any file names, sub-folders allowed)
 *       roi/<ROLE>.<ext>        the tumour ROI of that series: .seg.dcm (DICOM SEG), .rtstruct.dcm (RTSTRUCT),
 *                               .nii / .nii.gz (NIfTI) or .nrrd, on the series' grid
 *
 * Pure constants and small helpers (no file system): browser-safe.
 */
import { CLINICAL_VARIABLES } from "../clinical/variables";
import { IMAGE_ROLE_LABELS } from "../imaging/series/roles";

export const COHORT_LAYOUT_VERSION = 1;
export const COHORT_ROLE_DIRS = IMAGE_ROLE_LABELS;
export type CohortRoleDir = (typeof COHORT_ROLE_DIRS)[number];
export const ROLE_DIR_TO_DB: Record<CohortRoleDir, "CE_T1" | "T2" | "CT"> = { "CE-T1": "CE_T1", T2: "T2", CT: "CT" };
export const ROI_DIR = "roi";
export const CLINICAL_CSV = "clinical.csv";
export const COHORT_JSON = "cohort.json";

export type RoiFileKind = "seg" | "rtstruct" | "nifti" | "nrrd";
/** ROI file name suffixes, in the order they are looked for. */
export const ROI_SUFFIXES: readonly { suffix: string; kind: RoiFileKind }[] = [
  { suffix: ".seg.dcm", kind: "seg" },
  { suffix: ".rtstruct.dcm", kind: "rtstruct" },
  { suffix: ".nii.gz", kind: "nifti" },
  { suffix: ".nii", kind: "nifti" },
  { suffix: ".nrrd", kind: "nrrd" },
];

export const OUTCOME_COLUMNS = [
  "pCR",
  "response",
  "pre_diameter_mm",
  "post_diameter_mm",
  "outcome_date",
  "outcome_source",
] as const;
export const CLINICAL_CSV_COLUMNS: readonly string[] = [
  "patient_id",
  ...CLINICAL_VARIABLES.map((v) => v.name),
  ...OUTCOME_COLUMNS,
];

/** Response threshold of the paper: at least 30 % reduction of the longest diameter. */
export const RESPONSE_REDUCTION = 0.3;

export function roiFileName(role: CohortRoleDir, kind: RoiFileKind): string {
  const suffix = ROI_SUFFIXES.find((s) => s.kind === kind)!.suffix;
  return `${ROI_DIR}/${role}${suffix}`;
}

/** A PatientID usable as a folder name: no path separators, no leading dot, printable. */
export function isSafePatientFolder(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name);
}

function cell(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}
