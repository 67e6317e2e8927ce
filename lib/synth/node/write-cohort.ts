/**
 * Writes a synthetic cohort to disk. Layout "generator" (default): patients/<id>/<series>/IM####.dcm,
 * patients/<id>/masks/*.nii.gz, clinical.csv, outcomes.csv and manifest.json. Layout "cohort": the importable cohort
 * folder layout of lib/cohort/layout.ts (<PatientID>/<ROLE>/, <PatientID>/roi/<ROLE>.seg.dcm or .nii.gz, one
 * clinical.csv with clinical variables and outcomes) plus the same manifest.json.
 * Node-only (file system); the generation itself is lib/synth/generate-patient.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { NacError } from "../../errors/nac-error";
import { CLINICAL_CSV, CLINICAL_CSV_COLUMNS, roiFileName, toCsv, type CohortRoleDir } from "../../cohort/layout";
import {
  buildManifest,
  clinicalCsv,
  maskFileName,
  outcomesCsv,
  populationBayes,
  segFileName,
  SERIES_DIR,
  seriesFileNames,
} from "../cohort";
import { generatePatient, type GeneratedPatient } from "../generate-patient";
import { patientDirectory } from "../patient-model";

export interface WriteCohortOptions {
  patients: number;
  seed: string;
  outDir: string;
  /** Monte Carlo size for the population Bayes rates. */
  monteCarloPatients?: number;
  /** Folder layout (default "generator"). */
  layout?: CohortLayout;
  onPatient?: (index: number, ms: number) => void;
}

export type CohortLayout = "generator" | "cohort";

export interface WriteCohortResult {
  manifestPath: string;
  files: number;
  bytes: number;
  manifest: ReturnType<typeof buildManifest>;
}

/** Keeps only what the manifest and CSVs need, so memory stays flat for large cohorts. */
export function summarisePatient(p: GeneratedPatient): GeneratedPatient {
  return {
    ...p,
    series: p.series.map((s) => ({
      ...s,
      volume: { ...s.volume, data: new Uint16Array(0) },
      mask: { ...s.mask, data: new Uint8Array(0) },
      files: Array.from({ length: s.files.length }, () => new Uint8Array(0)),
      maskNiftiGz: s.maskNiftiGz ? new Uint8Array(0) : null,
      maskSeg: s.maskSeg ? new Uint8Array(0) : null,
    })),
  };
}

/** Generates patient `index` and writes its DICOM series and masks under outDir/patients/<id>/ (or outDir/<PatientID>/). */
export function writePatient(
  seed: string,
  index: number,
  outDir: string,
  layout: CohortLayout = "generator",
): { summary: GeneratedPatient; files: number; bytes: number } {
  // node:zlib writes no timestamp (MTIME 0), so its output is deterministic for a given zlib build.
  const p = generatePatient(seed, index, { gzip: (b) => new Uint8Array(gzipSync(b, { level: 6 })) });
  if (layout === "cohort") return writeCohortLayoutPatient(p, outDir);
  const base = path.join(outDir, "patients", patientDirectory(index));
  mkdirSync(path.join(base, "masks"), { recursive: true });
  let files = 0;
  let bytes = 0;
  for (const s of p.series) {
    const dir = path.join(base, SERIES_DIR[s.role]);
    mkdirSync(dir, { recursive: true });
    const names = seriesFileNames(s.files.length);
    s.files.forEach((f, k) => {
      writeFileSync(path.join(dir, names[k]), f);
      files++;
      bytes += f.length;
    });
    if (s.maskNiftiGz) {
      writeFileSync(path.join(base, maskFileName(s.role)), s.maskNiftiGz);
      files++;
      bytes += s.maskNiftiGz.length;
    }
    if (s.maskSeg) {
      writeFileSync(path.join(base, segFileName(s.role)), s.maskSeg);
      files++;
      bytes += s.maskSeg.length;
    }
  }
  return { summary: summarisePatient(p), files, bytes };
}

/**
 * Cohort layout: <PatientID>/<ROLE>/IM####.dcm and one ROI per series, as DICOM SEG for even patient indices and
 * NIfTI for odd ones, so that a generated cohort exercises both mask readers of the importer.
 */
function writeCohortLayoutPatient(
  p: GeneratedPatient,
  outDir: string,
): { summary: GeneratedPatient; files: number; bytes: number } {
  const base = path.join(outDir, p.patientId);
  mkdirSync(path.join(base, "roi"), { recursive: true });
  let files = 0;
  let bytes = 0;
  const put = (rel: string, data: Uint8Array) => {
    writeFileSync(path.join(base, rel), data);
    files++;
    bytes += data.length;
  };
  for (const s of p.series) {
    const role = s.role as CohortRoleDir;
    mkdirSync(path.join(base, role), { recursive: true });
    const names = seriesFileNames(s.files.length);
    s.files.forEach((f, k) => put(`${role}/${names[k]}`, f));
    const useNifti = p.index % 2 === 1 && s.maskNiftiGz;
    if (useNifti) put(roiFileName(role, "nifti"), s.maskNiftiGz!);
    else if (s.maskSeg) put(roiFileName(role, "seg"), s.maskSeg);
  }
  return { summary: summarisePatient(p), files, bytes };
}

/** The cohort layout's clinical.csv: clinical variables (form names) and outcomes, one row per patient. */
export function cohortClinicalCsv(patients: readonly GeneratedPatient[]): string {
  return toCsv(
    CLINICAL_CSV_COLUMNS,
    patients.map((p) => {
      const c = p.clinical;
      const byName: Record<string, unknown> = {
        patient_id: p.patientId,
        ageYears: c.ageYears,
        menopausalStatus: c.menopausalStatus,
        er: c.er,
        pr: c.pr,
        her2: c.her2,
        her2Ihc: c.her2Ihc,
        ki67Percent: c.ki67Percent,
        grade: String(c.grade),
        histology: c.histology,
        cT: c.cT,
        cN: c.cN,
        laterality: c.laterality,
        pCR: p.outcome.pcr,
        response: p.outcome.response,
        pre_diameter_mm: "",
        post_diameter_mm: "",
        outcome_date: "",
        outcome_source: "synthetic generator (planted truth)",
      };
      return CLINICAL_CSV_COLUMNS.map((k) => byName[k] ?? "");
    }),
  );
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new NacError("BAD_REQUEST", `--patients must be a positive integer (got ${n})`);
}

/** clinical.csv, outcomes.csv and manifest.json from the per-patient summaries (in index order). */
function finish(opts: WriteCohortOptions, kept: GeneratedPatient[], files: number, bytes: number): WriteCohortResult {
  const manifest = buildManifest(opts.seed, kept, populationBayes(opts.monteCarloPatients ?? 20000));
  const put = (rel: string, data: string) => {
    writeFileSync(path.join(opts.outDir, rel), data);
    files++;
    bytes += Buffer.byteLength(data);
  };
  if (opts.layout === "cohort") put(CLINICAL_CSV, cohortClinicalCsv(kept));
  else {
    put("clinical.csv", clinicalCsv(kept));
    put("outcomes.csv", outcomesCsv(kept));
  }
  put("manifest.json", JSON.stringify(manifest, null, 2) + "\n");
  return { manifestPath: path.join(opts.outDir, "manifest.json"), files, bytes, manifest };
}

/** Single-threaded cohort writer. */
export function writeCohort(opts: WriteCohortOptions): WriteCohortResult {
  checkCount(opts.patients);
  mkdirSync(opts.outDir, { recursive: true });
  const kept: GeneratedPatient[] = [];
  let files = 0;
  let bytes = 0;
  for (let i = 0; i < opts.patients; i++) {
    const t0 = Date.now();
    const r = writePatient(opts.seed, i, opts.outDir, opts.layout);
    kept.push(r.summary);
    files += r.files;
    bytes += r.bytes;
    opts.onPatient?.(i, Date.now() - t0);
  }
  return finish(opts, kept, files, bytes);
}

/**
 * The same output with `jobs` worker threads (each patient is independent and deterministic, so the bytes do not
 * depend on the number of jobs). Workers load the TypeScript sources through tsx, which runs the CLI.
 */
export async function writeCohortParallel(opts: WriteCohortOptions & { jobs: number }): Promise<WriteCohortResult> {
  checkCount(opts.patients);
  if (opts.jobs <= 1 || opts.patients === 1) return writeCohort(opts);
  mkdirSync(opts.outDir, { recursive: true });
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(require.resolve("tsx/esm/api").replace(/index\.cjs$/, "index.mjs")).href;
  const entry = new URL("./cohort-worker.ts", import.meta.url).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
  const kept: GeneratedPatient[] = new Array(opts.patients);
  let files = 0;
  let bytes = 0;
  let next = 0;
  const workers = Array.from({ length: Math.min(opts.jobs, opts.patients) }, () => new Worker(code, { eval: true }));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let started = 0;
            const feed = () => {
              if (next >= opts.patients) return resolve();
              const index = next++;
              started = Date.now();
              w.postMessage({
                seed: opts.seed,
                index,
                outDir: opts.outDir,
                layout: opts.layout ?? "generator",
              } satisfies CohortJob);
            };
            w.on("message", (msg: CohortJobResult) => {
              if (msg.error) return reject(new NacError("INTERNAL", `synthetic patient ${msg.index}: ${msg.error}`));
              kept[msg.index] = msg.summary!;
              files += msg.files;
              bytes += msg.bytes;
              opts.onPatient?.(msg.index, Date.now() - started);
              feed();
            });
            w.on("error", reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return finish(opts, kept, files, bytes);
}

export interface CohortJob {
  seed: string;
  index: number;
  outDir: string;
  layout: CohortLayout;
}

export interface CohortJobResult {
  index: number;
  summary?: GeneratedPatient;
  files: number;
  bytes: number;
  error?: string;
}
