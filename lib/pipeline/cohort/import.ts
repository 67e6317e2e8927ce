/**
 * Cohort import: a cohort folder (lib/cohort/layout.ts) -> a validation report naming every problem with
 * its patient, file and reason -> (only when confirmed) DICOM through the ordinary import pipeline, ROIs as new ROI
 * versions, clinical records and outcomes as new versions, cohort membership. Idempotent: a second import of the same
 * folder adds nothing (same SOP Instance UIDs are skipped by importDicomFiles; an ROI, clinical record or outcome is
 * saved only when it differs from the latest version).
 *
 * The folder is read patient by patient (a 177-patient cohort is ~3 GB of DICOM), once to validate and again to
 * import, and each patient is re-validated at import so that a file changed in between is not imported unchecked.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "../../../generated/prisma/client";
import { IDENTIFIED_VIEW, patientKeyAsSeen, type PatientView } from "../../auth/patient-view";
import { recordAudit } from "../../audit/audit-log";
import { CLINICAL_VARIABLES, type ClinicalValues } from "../../clinical/variables";
import { parseClinicalCsv, type ClinicalRow } from "../../cohort/clinical-csv";
import {
  CLINICAL_CSV,
  COHORT_JSON,
  COHORT_ROLE_DIRS,
  isSafePatientFolder,
  ROI_DIR,
  ROI_SUFFIXES,
  ROLE_DIR_TO_DB,
  type CohortRoleDir,
  type RoiFileKind,
} from "../../cohort/layout";
import { DEFAULT_PERI_SHELL_MODE, PERI_SHELL_MODES, type PeriShellMode } from "../case-features";
import { isNacError, NacError } from "../../errors";
import { decodePixelData, parseDicom, TAG, type DicomDataset } from "../../imaging/dicom";
// aliased: the name starts with "use", which ESLint's React hooks rule would take for a hook
import { useNodeCodecWasm as installNodeCodecWasm } from "../../imaging/dicom/node/codec-wasm";
import { readRtStruct, rasterizeRoi } from "../../imaging/rtstruct";
import { isVolumeImage, readDicomSeries, type DicomSeries } from "../../imaging/series";
import type { FileStore } from "../../storage/file-store";
import { saveClinicalRecord } from "../clinical";
import { importDicomFiles } from "../import-dicom";
import { latestOutcome, sameOutcome, saveOutcome } from "../outcomes";
import { loadRoiMask, maskFromUpload, saveRoi, type SeriesGrid } from "../roi";

export type ProblemKind =
  | "missing_series"
  | "missing_roi"
  | "missing_clinical"
  | "unreadable_file"
  | "roi_geometry_mismatch"
  | "empty_roi"
  | "ambiguous_roi"
  | "multiple_series"
  | "bad_csv_value"
  | "bad_csv_file"
  | "duplicate_patient"
  | "patient_id_mismatch"
  | "uid_conflict"
  | "no_images"
  | "bad_folder_name"
  | "unexpected_file"
  | "bad_cohort_settings";

/** error: the patient is not imported; incomplete: imported with a gap; warning: something was ignored. */
export type ProblemSeverity = "error" | "incomplete" | "warning";

export interface CohortProblem {
  patient: string | null;
  file: string | null;
  kind: ProblemKind;
  severity: ProblemSeverity;
  reason: string;
}

export interface PatientCheck {
  patientId: string;
  status: "valid" | "incomplete" | "invalid";
  series: { role: CohortRoleDir; seriesInstanceUid: string; files: number }[];
  rois: { role: CohortRoleDir; file: string; kind: RoiFileKind; voxels: number }[];
  clinical: boolean;
  outcome: boolean;
  problems: CohortProblem[];
}

export interface CohortSettings {
  periMarginMm: number;
  periShellMode: PeriShellMode;
}

export interface CohortValidationReport {
  dir: string;
  settings: CohortSettings;
  patients: PatientCheck[];
  /** Every problem, cohort-level ones (patient null) first. */
  problems: CohortProblem[];
  counts: { patients: number; valid: number; incomplete: number; invalid: number; problems: number };
}

export interface CohortImportDeps {
  prisma: PrismaClient;
  store: FileStore;
  /** How the importing user may see patients already stored (a UID conflict names one); identified when absent. */
  view?: PatientView;
}

interface LoadedSeries {
  role: CohortRoleDir;
  files: { rel: string; bytes: Uint8Array }[];
  series: DicomSeries;
  sops: string[];
}

interface LoadedPatient {
  check: PatientCheck;
  series: LoadedSeries[];
  masks: Map<CohortRoleDir, { mask: Uint8Array; file: string }>;
  row: ClinicalRow | null;
}

async function listFiles(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith(".")) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, r)));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

async function readSettings(dir: string, problems: CohortProblem[]): Promise<CohortSettings> {
  const settings: CohortSettings = { periMarginMm: 5, periShellMode: DEFAULT_PERI_SHELL_MODE };
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, COHORT_JSON), "utf8");
  } catch {
    return settings;
  }
  const bad = (reason: string) =>
    problems.push({ patient: null, file: COHORT_JSON, kind: "bad_cohort_settings", severity: "error", reason });
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    if (j.periMarginMm !== undefined) {
      if (typeof j.periMarginMm === "number" && j.periMarginMm > 0 && j.periMarginMm <= 50)
        settings.periMarginMm = j.periMarginMm;
      else bad(`periMarginMm must be a number of mm in (0, 50] (got ${JSON.stringify(j.periMarginMm)})`);
    }
    if (j.periShellMode !== undefined) {
      if (PERI_SHELL_MODES.includes(j.periShellMode as PeriShellMode))
        settings.periShellMode = j.periShellMode as PeriShellMode;
      else bad(`periShellMode must be one of ${PERI_SHELL_MODES.join(", ")}`);
    }
  } catch (e) {
    bad(`not valid JSON: ${(e as Error).message}`);
  }
  return settings;
}

function describe(e: unknown): string {
  return isNacError(e) ? `${e.code}: ${e.message}` : (e as Error).message;
}

/** Reads and checks one patient folder; with `keep`, returns the bytes and masks for import. */
async function loadPatient(
  dir: string,
  folder: string,
  row: ClinicalRow | null,
  hasCsv: boolean,
): Promise<LoadedPatient> {
  const problems: CohortProblem[] = [];
  const add = (kind: ProblemKind, severity: ProblemSeverity, file: string | null, reason: string) =>
    problems.push({ patient: folder, file: file && `${folder}/${file}`, kind, severity, reason });
  const check: PatientCheck = {
    patientId: folder,
    status: "valid",
    series: [],
    rois: [],
    clinical: false,
    outcome: false,
    problems,
  };
  const loaded: LoadedPatient = { check, series: [], masks: new Map(), row };
  const base = path.join(dir, folder);
  const all = await listFiles(base);
  const known = new Set([...COHORT_ROLE_DIRS, ROI_DIR]);
  for (const f of all)
    if (!known.has(f.split("/")[0] as CohortRoleDir))
      add(
        "unexpected_file",
        "warning",
        f,
        `not part of the cohort layout (series go in ${COHORT_ROLE_DIRS.join("/, ")}/, ROIs in ${ROI_DIR}/): ignored`,
      );

  for (const role of COHORT_ROLE_DIRS) {
    const files = all.filter((f) => f.startsWith(`${role}/`));
    if (!files.length) {
      add("missing_series", "incomplete", null, `no ${role} series (folder ${folder}/${role}/ is missing or empty)`);
      continue;
    }
    const datasets: DicomDataset[] = [];
    const kept: LoadedSeries["files"] = [];
    for (const f of files) {
      const bytes = new Uint8Array(await fs.readFile(path.join(base, f)));
      try {
        const ds = parseDicom(bytes);
        if (!isVolumeImage(ds)) {
          add(
            "unexpected_file",
            "warning",
            f,
            "not an image series file (no pixel data, or a SEG/RTSTRUCT/report object): ignored",
          );
          continue;
        }
        await decodePixelData(ds);
        const pid = ds.string(TAG.PatientID);
        if (pid !== folder) {
          add(
            "patient_id_mismatch",
            "error",
            f,
            `PatientID "${pid ?? "(missing)"}" differs from the patient folder "${folder}": images of another patient`,
          );
          continue;
        }
        datasets.push(ds);
        kept.push({ rel: f, bytes });
      } catch (e) {
        add("unreadable_file", "error", f, `not a readable DICOM image: ${describe(e)}`);
      }
    }
    if (!datasets.length) continue;
    let built: DicomSeries[];
    try {
      built = await readDicomSeries(datasets);
    } catch (e) {
      add("unreadable_file", "error", `${role}/`, `the ${role} files do not assemble into a volume: ${describe(e)}`);
      continue;
    }
    if (built.length !== 1) {
      add(
        "multiple_series",
        "error",
        `${role}/`,
        `${built.length} series (or phases) in the ${role} folder: put exactly one series per role folder`,
      );
      continue;
    }
    const series = built[0];
    loaded.series.push({ role, files: kept, series, sops: datasets.map((d) => d.string(TAG.SOPInstanceUID)!) });
    check.series.push({ role, seriesInstanceUid: series.meta.seriesInstanceUid, files: kept.length });
  }

  const roiFiles = all.filter((f) => f.startsWith(`${ROI_DIR}/`));
  for (const f of roiFiles) {
    const name = f.slice(ROI_DIR.length + 1);
    const match = ROI_SUFFIXES.find(
      (s) => name.endsWith(s.suffix) && COHORT_ROLE_DIRS.includes(name.slice(0, -s.suffix.length) as CohortRoleDir),
    );
    if (!match)
      add(
        "unexpected_file",
        "warning",
        f,
        `ROI files are named <ROLE>${ROI_SUFFIXES.map((s) => s.suffix).join("|")} with ROLE one of ${COHORT_ROLE_DIRS.join(", ")}: ignored`,
      );
  }
  for (const role of COHORT_ROLE_DIRS) {
    const candidates = roiFiles.filter((f) => ROI_SUFFIXES.some((s) => f === `${ROI_DIR}/${role}${s.suffix}`));
    const s = loaded.series.find((x) => x.role === role);
    if (!candidates.length) {
      if (s)
        add(
          "missing_roi",
          "incomplete",
          null,
          `no tumour ROI for the ${role} series (expected ${ROI_DIR}/${role}.seg.dcm, .rtstruct.dcm, .nii.gz, .nii or .nrrd)`,
        );
      continue;
    }
    if (candidates.length > 1) {
      add(
        "ambiguous_roi",
        "error",
        candidates[0],
        `${candidates.length} ROI files for ${role} (${candidates.join(", ")}): keep one`,
      );
      continue;
    }
    const f = candidates[0];
    if (!s) {
      add("missing_series", "warning", f, `ROI for ${role} but no usable ${role} series: ignored`);
      continue;
    }
    const kind = ROI_SUFFIXES.find((x) => f.endsWith(x.suffix))!.kind;
    const grid: SeriesGrid & { frameOfReferenceUid?: string } = {
      ...s.series.volume,
      sopInstanceUids: s.series.meta.sopInstanceUids,
      frameNumbers: s.series.meta.frameNumbers,
      frameOfReferenceUid: s.series.meta.frameOfReferenceUid,
    };
    try {
      const bytes = new Uint8Array(await fs.readFile(path.join(base, f)));
      let mask: Uint8Array;
      if (kind === "rtstruct") {
        const rt = readRtStruct(bytes);
        if (!rt.rois.length) throw new NacError("MASK_EMPTY", "RTSTRUCT has no ROI");
        mask = rasterizeRoi(rt.rois[0], grid).data;
      } else {
        mask = await maskFromUpload(grid, f, bytes);
      }
      let voxels = 0;
      for (let i = 0; i < mask.length; i++) if (mask[i]) voxels++;
      if (!voxels) {
        add("empty_roi", "error", f, `the ${role} ROI has no voxel inside the image`);
        continue;
      }
      loaded.masks.set(role, { mask, file: f });
      check.rois.push({ role, file: f, kind, voxels });
    } catch (e) {
      if (isNacError(e) && e.code === "GEOMETRY_MISMATCH")
        add("roi_geometry_mismatch", "error", f, `the ROI does not match the ${role} series' geometry: ${e.message}`);
      else if (isNacError(e) && e.code === "MASK_EMPTY") add("empty_roi", "error", f, e.message);
      else add("unreadable_file", "error", f, `not a readable ${kind} ROI: ${describe(e)}`);
    }
  }
  if (!loaded.series.length && !problems.some((p) => p.severity === "error"))
    add("no_images", "error", null, "no usable series: a patient needs at least one of CE-T1, T2, CT");

  if (row) {
    for (const p of row.problems)
      problems.push({
        patient: folder,
        file: `${CLINICAL_CSV}:${row.line}`,
        kind: "bad_csv_value",
        severity: "error",
        reason: `${p.column}: ${p.reason}`,
      });
    check.clinical = !!row.clinical;
    check.outcome = !!row.outcome;
    if (!row.problems.length && !row.clinical)
      add("missing_clinical", "incomplete", `${CLINICAL_CSV}:${row.line}`, "no clinical variables in the row");
    if (!row.problems.length && !row.outcome)
      add(
        "missing_clinical",
        "incomplete",
        `${CLINICAL_CSV}:${row.line}`,
        "no outcome (pCR, response or diameters) in the row",
      );
  } else if (hasCsv) add("missing_clinical", "incomplete", CLINICAL_CSV, `no row for ${folder} in ${CLINICAL_CSV}`);
  return loaded;
}

function finishStatus(c: PatientCheck): void {
  c.status = c.problems.some((p) => p.severity === "error")
    ? "invalid"
    : c.problems.some((p) => p.severity === "incomplete")
      ? "incomplete"
      : "valid";
}

/** SOP Instance UIDs already stored for a different patient: never join another patient's images. */
async function uidConflicts(
  prisma: PrismaClient,
  folder: string,
  sops: string[],
  view: PatientView,
): Promise<string[]> {
  if (!sops.length) return [];
  const rows = await prisma.dicomInstance.findMany({
    where: { sopInstanceUid: { in: sops } },
    select: {
      sopInstanceUid: true,
      series: { select: { study: { select: { patient: { select: { patientKey: true } } } } } },
    },
  });
  return rows
    .filter((r) => r.series.study.patient.patientKey !== folder)
    .map((r) => `${r.sopInstanceUid} (stored for ${patientKeyAsSeen(r.series.study.patient.patientKey, view)})`);
}

interface CohortScan {
  settings: CohortSettings;
  folders: string[];
  rows: Map<string, ClinicalRow>;
  hasCsv: boolean;
  problems: CohortProblem[];
  duplicates: Set<string>;
}

async function scanCohort(dir: string): Promise<CohortScan> {
  const problems: CohortProblem[] = [];
  let st;
  try {
    st = await fs.stat(dir);
  } catch {
    throw new NacError("NOT_FOUND", `cohort folder ${dir} not found`);
  }
  if (!st.isDirectory()) throw new NacError("BAD_REQUEST", `${dir} is not a folder`);
  const settings = await readSettings(dir, problems);
  const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const folders: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    if (e.isDirectory()) {
      if (isSafePatientFolder(e.name)) folders.push(e.name);
      else
        problems.push({
          patient: e.name,
          file: `${e.name}/`,
          kind: "bad_folder_name",
          severity: "error",
          reason: "patient folder names are the PatientID: letters, digits, '.', '_', '-' (at most 64)",
        });
    } else if (![CLINICAL_CSV, COHORT_JSON, "manifest.json"].includes(e.name)) {
      problems.push({
        patient: null,
        file: e.name,
        kind: "unexpected_file",
        severity: "warning",
        reason: "not part of the cohort layout: ignored",
      });
    }
  }
  const rows = new Map<string, ClinicalRow>();
  const duplicates = new Set<string>();
  let hasCsv = false;
  let text: string | null = null;
  try {
    text = await fs.readFile(path.join(dir, CLINICAL_CSV), "utf8");
    hasCsv = true;
  } catch {
    problems.push({
      patient: null,
      file: CLINICAL_CSV,
      kind: "bad_csv_file",
      severity: "incomplete",
      reason: `no ${CLINICAL_CSV}: patients are imported without clinical variables and outcomes`,
    });
  }
  if (text !== null) {
    const csv = parseClinicalCsv(text);
    for (const p of csv.fileProblems)
      problems.push({ patient: null, file: CLINICAL_CSV, kind: "bad_csv_file", severity: "error", reason: p });
    if (csv.unknownColumns.length)
      problems.push({
        patient: null,
        file: CLINICAL_CSV,
        kind: "bad_csv_file",
        severity: "warning",
        reason: `unknown columns ignored: ${csv.unknownColumns.join(", ")}`,
      });
    const lowerFolders = new Map<string, string[]>();
    for (const f of folders) lowerFolders.set(f.toLowerCase(), [...(lowerFolders.get(f.toLowerCase()) ?? []), f]);
    for (const [, fs2] of lowerFolders) if (fs2.length > 1) for (const f of fs2) duplicates.add(f);
    for (const r of csv.rows) {
      if (!r.patientId) {
        problems.push({
          patient: null,
          file: `${CLINICAL_CSV}:${r.line}`,
          kind: "bad_csv_value",
          severity: "error",
          reason: r.problems.map((p) => p.reason).join("; "),
        });
        continue;
      }
      if (rows.has(r.patientId)) {
        duplicates.add(r.patientId);
        problems.push({
          patient: r.patientId,
          file: `${CLINICAL_CSV}:${r.line}`,
          kind: "duplicate_patient",
          severity: "error",
          reason: `${r.patientId} has a second row (line ${rows.get(r.patientId)!.line} is the first): which one is right?`,
        });
        continue;
      }
      rows.set(r.patientId, r);
      if (!folders.includes(r.patientId))
        problems.push({
          patient: r.patientId,
          file: `${CLINICAL_CSV}:${r.line}`,
          kind: "no_images",
          severity: "warning",
          reason: `row for ${r.patientId} but no folder ${r.patientId}/: not imported`,
        });
    }
    if (csv.fileProblems.length) hasCsv = false;
  }
  for (const f of duplicates) {
    if (folders.includes(f) && !problems.some((p) => p.kind === "duplicate_patient" && p.patient === f)) {
      problems.push({
        patient: f,
        file: `${f}/`,
        kind: "duplicate_patient",
        severity: "error",
        reason: "two patient folders differ only in letter case",
      });
    }
  }
  return { settings, folders, rows, hasCsv, problems, duplicates };
}

function report(dir: string, scan: CohortScan, patients: PatientCheck[]): CohortValidationReport {
  const problems = [
    ...scan.problems.filter((p) => !p.patient || !patients.some((c) => c.patientId === p.patient)),
    ...patients.flatMap((p) => p.problems),
  ];
  return {
    dir,
    settings: scan.settings,
    patients,
    problems,
    counts: {
      patients: patients.length,
      valid: patients.filter((p) => p.status === "valid").length,
      incomplete: patients.filter((p) => p.status === "incomplete").length,
      invalid: patients.filter((p) => p.status === "invalid").length,
      problems: problems.length,
    },
  };
}

async function checkOne(
  deps: CohortImportDeps,
  dir: string,
  scan: CohortScan,
  folder: string,
  seen: Map<string, string>,
): Promise<LoadedPatient> {
  const lp = await loadPatient(dir, folder, scan.rows.get(folder) ?? null, scan.hasCsv);
  const c = lp.check;
  for (const p of scan.problems) if (p.patient === folder) c.problems.push(p);
  const sops = lp.series.flatMap((s) => s.sops);
  for (const sop of sops) {
    const other = seen.get(sop);
    if (other && other !== folder)
      c.problems.push({
        patient: folder,
        file: null,
        kind: "uid_conflict",
        severity: "error",
        reason: `SOP Instance UID ${sop} is also in patient folder ${other}`,
      });
    else seen.set(sop, folder);
  }
  const conflicts = await uidConflicts(deps.prisma, folder, sops, deps.view ?? IDENTIFIED_VIEW);
  if (conflicts.length)
    c.problems.push({
      patient: folder,
      file: null,
      kind: "uid_conflict",
      severity: "error",
      reason: `${conflicts.length} image(s) already stored for another patient, e.g. ${conflicts[0]}`,
    });
  if (scan.problems.some((p) => p.severity === "error" && p.patient === null)) {
    // a broken clinical.csv header or cohort.json: nothing can be trusted to belong to the right patient
    c.problems.push({
      patient: folder,
      file: null,
      kind: "bad_csv_file",
      severity: "error",
      reason: "the cohort's clinical.csv or cohort.json is unusable (see above)",
    });
  }
  finishStatus(c);
  return lp;
}

/** Validates a cohort folder; writes nothing. */
export async function validateCohortFolder(
  deps: CohortImportDeps,
  dir: string,
  o: { onPatient?: (done: number, total: number) => void } = {},
): Promise<CohortValidationReport> {
  installNodeCodecWasm();
  const scan = await scanCohort(dir);
  const seen = new Map<string, string>();
  const checks: PatientCheck[] = [];
  for (const folder of scan.folders) {
    checks.push((await checkOne(deps, dir, scan, folder, seen)).check);
    o.onPatient?.(checks.length, scan.folders.length);
  }
  return report(dir, scan, checks);
}

export interface CohortImportResult {
  cohortId: string;
  name: string;
  imported: {
    patientId: string;
    dbPatientId: string;
    instances: number;
    duplicates: number;
    rois: number;
    clinical: boolean;
    outcome: boolean;
  }[];
  skipped: { patientId: string; reason: string }[];
}

/** Same values for every clinical variable (the stored record also holds derived fields: subtype, complete). */
function sameClinical(prev: unknown, next: ClinicalValues): boolean {
  if (!prev || typeof prev !== "object") return false;
  const p = prev as ClinicalValues;
  return CLINICAL_VARIABLES.every((v) => (p[v.name] ?? null) === (next[v.name] ?? null));
}

function sameMask(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!a[i] !== !b[i]) return false;
  return true;
}

/**
 * Imports the valid (and incomplete) patients of a validated cohort folder. Refuses when the report has invalid patients
 * and `acceptValid` is not set (nothing is written). Each patient is re-read and re-checked first.
 */
export async function importCohortFolder(
  deps: CohortImportDeps,
  dir: string,
  o: {
    name: string;
    description?: string;
    acceptValid?: boolean;
    user: { id: string; username: string };
    validated?: CohortValidationReport;
    onPatient?: (done: number, total: number) => void;
  },
): Promise<{ report: CohortValidationReport; result: CohortImportResult }> {
  installNodeCodecWasm();
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$/.test(o.name))
    throw new NacError(
      "BAD_REQUEST",
      "cohort name: letters, digits, space, '.', '_', '-' (at most 80), starting with a letter or digit",
    );
  const rep = o.validated ?? (await validateCohortFolder(deps, dir));
  if (rep.counts.invalid > 0 && !o.acceptValid) {
    throw new NacError(
      "VALIDATION_FAILED",
      `${rep.counts.invalid} of ${rep.counts.patients} patients have problems; nothing was imported (confirm the valid part with --accept-valid)`,
      { report: { ...rep, dir: path.basename(rep.dir) } },
    );
  }
  if (rep.problems.some((p) => p.patient === null && p.severity === "error")) {
    throw new NacError(
      "VALIDATION_FAILED",
      "the cohort's clinical.csv or cohort.json is unusable; nothing was imported",
      { report: { ...rep, dir: path.basename(rep.dir) } },
    );
  }
  const importable = rep.patients.filter((p) => p.status !== "invalid").map((p) => p.patientId);
  const cohort =
    (await deps.prisma.cohort.findUnique({ where: { name: o.name } })) ??
    (await deps.prisma.cohort.create({
      data: {
        name: o.name,
        description: o.description ?? null,
        periMarginMm: rep.settings.periMarginMm,
        periShellMode: rep.settings.periShellMode,
        createdById: o.user.id,
      },
    }));
  const scan = await scanCohort(dir);
  const result: CohortImportResult = {
    cohortId: cohort.id,
    name: cohort.name,
    imported: [],
    skipped: rep.patients
      .filter((p) => p.status === "invalid")
      .map((p) => ({
        patientId: p.patientId,
        reason: p.problems
          .filter((x) => x.severity === "error")
          .map((x) => x.reason)
          .join("; "),
      })),
  };
  const seen = new Map<string, string>();
  let done = 0;
  for (const folder of importable) {
    const lp = await checkOne(deps, dir, scan, folder, seen);
    if (lp.check.status === "invalid") {
      result.skipped.push({
        patientId: folder,
        reason: `changed since validation: ${lp.check.problems
          .filter((x) => x.severity === "error")
          .map((x) => x.reason)
          .join("; ")}`,
      });
      continue;
    }
    result.imported.push(await importPatient(deps, lp, cohort.id, o.user));
    o.onPatient?.(++done, importable.length);
  }
  await recordAudit(deps.prisma, {
    action: "cohort.import",
    userId: o.user.id,
    username: o.user.username,
    targetType: "cohort",
    targetId: cohort.id,
    details: {
      name: cohort.name,
      dir: path.basename(dir),
      imported: result.imported.length,
      skipped: result.skipped.length,
      invalid: rep.counts.invalid,
    },
  });
  return { report: rep, result };
}

async function importPatient(
  deps: CohortImportDeps,
  lp: LoadedPatient,
  cohortId: string,
  user: { id: string; username: string },
): Promise<CohortImportResult["imported"][number]> {
  const folder = lp.check.patientId;
  const files = lp.series.flatMap((s) => s.files.map((f) => ({ name: `${folder}/${f.rel}`, bytes: f.bytes })));
  const imp = await importDicomFiles(deps, files, { userId: user.id, username: user.username });
  const failed = imp.files.find((f) => f.status === "error");
  if (failed)
    throw new NacError(
      "INTERNAL",
      `patient ${folder}: ${failed.name} did not import after validation: ${failed.message}`,
    );
  const patient = await deps.prisma.patient.findUnique({ where: { patientKey: folder } });
  if (!patient) throw new NacError("INTERNAL", `patient ${folder} has no row after import`);
  let rois = 0;
  for (const s of lp.series) {
    const row = await deps.prisma.series.findUnique({ where: { seriesInstanceUid: s.series.meta.seriesInstanceUid } });
    if (!row)
      throw new NacError("INTERNAL", `series ${s.series.meta.seriesInstanceUid} of ${folder} has no row after import`);
    const role = ROLE_DIR_TO_DB[s.role];
    if (row.role !== role) {
      // The folder is the researcher's statement of the role: it overrides the classifier, as a person's override does.
      await deps.prisma.$transaction(async (tx) => {
        await tx.series.update({ where: { id: row.id }, data: { role, roleSource: "manual" } });
        await recordAudit(tx, {
          action: "series.role_override",
          userId: user.id,
          username: user.username,
          patientId: patient.id,
          targetType: "series",
          targetId: row.id,
          details: { from: row.role, to: role, source: "cohort folder" },
        });
      });
    }
    const m = lp.masks.get(s.role);
    if (!m) continue;
    const latest = await deps.prisma.roi.findFirst({ where: { seriesId: row.id }, orderBy: { version: "desc" } });
    if (latest && sameMask((await loadRoiMask(deps, latest.id)).mask.data, m.mask)) continue;
    await saveRoi(deps, {
      seriesId: row.id,
      mask: m.mask,
      source: "uploaded",
      label: "tumour",
      user,
      details: { cohortImport: true, file: `${folder}/${m.file}` },
    });
    rois++;
  }
  let clinical = false;
  let outcome = false;
  if (lp.row?.clinical) {
    const prev = await deps.prisma.clinicalRecord.findFirst({
      where: { patientId: patient.id },
      orderBy: { version: "desc" },
    });
    const values = lp.row.clinical;
    if (!sameClinical(prev?.values, values)) {
      await saveClinicalRecord(deps.prisma, { patientId: patient.id, values, user });
      clinical = true;
    }
  }
  if (lp.row?.outcome) {
    const o = lp.row.outcome;
    const values = {
      pcr: o.pcr,
      response: o.response,
      preDiameterMm: o.preDiameterMm,
      postDiameterMm: o.postDiameterMm,
      outcomeDate: o.outcomeDate,
      source: o.source ?? "cohort import",
    };
    if (!sameOutcome(await latestOutcome(deps.prisma, patient.id), values)) {
      await saveOutcome(deps.prisma, { patientId: patient.id, values, user, details: { cohortImport: true } });
      outcome = true;
    }
  }
  await deps.prisma.cohortPatient.upsert({
    where: { cohortId_patientId: { cohortId, patientId: patient.id } },
    update: {},
    create: { cohortId, patientId: patient.id },
  });
  return {
    patientId: folder,
    dbPatientId: patient.id,
    instances: imp.counts.imported,
    duplicates: imp.counts.duplicate,
    rois,
    clinical,
    outcome,
  };
}
