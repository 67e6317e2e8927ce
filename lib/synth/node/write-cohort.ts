/**
 * Writes a synthetic cohort to disk: patients/<id>/<series>/IM####.dcm, patients/<id>/masks/*.nii.gz, clinical.csv,
 * outcomes.csv and manifest.json. Node-only (file system); the generation itself is lib/synth/generate-patient.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { NacError } from "../../errors/nac-error";
import { buildManifest, clinicalCsv, maskFileName, outcomesCsv, populationBayes, SERIES_DIR, seriesFileNames } from "../cohort";
import { generatePatient, type GeneratedPatient } from "../generate-patient";

export interface WriteCohortOptions {
  patients: number;
  seed: string;
  outDir: string;
  /** Monte Carlo size for the population Bayes rates. */
  monteCarloPatients?: number;
  onPatient?: (index: number, ms: number) => void;
}

export interface WriteCohortResult {
  manifestPath: string;
  files: number;
  bytes: number;
  manifest: ReturnType<typeof buildManifest>;
}

/** Keeps only what the manifest and CSVs need, so memory stays flat for large cohorts. */
function summary(p: GeneratedPatient): GeneratedPatient {
  return {
    ...p,
    series: p.series.map((s) => ({ ...s, volume: { ...s.volume, data: new Uint16Array(0) }, mask: { ...s.mask, data: new Uint8Array(0) }, files: new Array(s.files.length), maskNiftiGz: s.maskNiftiGz ? new Uint8Array(0) : null })),
  };
}

export function writeCohort(opts: WriteCohortOptions): WriteCohortResult {
  if (!Number.isInteger(opts.patients) || opts.patients < 1) {
    throw new NacError("BAD_REQUEST", `--patients must be a positive integer (got ${opts.patients})`);
  }
  mkdirSync(opts.outDir, { recursive: true });
  const kept: GeneratedPatient[] = [];
  let files = 0;
  let bytes = 0;
  const put = (rel: string, data: Uint8Array | string) => {
    const abs = path.join(opts.outDir, rel);
    writeFileSync(abs, data);
    files++;
    bytes += typeof data === "string" ? Buffer.byteLength(data) : data.length;
  };
  for (let i = 0; i < opts.patients; i++) {
    const t0 = Date.now();
    const p = generatePatient(opts.seed, i);
    const base = `patients/${p.patientId}`;
    mkdirSync(path.join(opts.outDir, base, "masks"), { recursive: true });
    for (const s of p.series) {
      mkdirSync(path.join(opts.outDir, base, SERIES_DIR[s.role]), { recursive: true });
      const names = seriesFileNames(s.files.length);
      s.files.forEach((f, k) => put(`${base}/${SERIES_DIR[s.role]}/${names[k]}`, f));
      if (s.maskNiftiGz) put(`${base}/${maskFileName(s.role)}`, s.maskNiftiGz);
    }
    kept.push(summary(p));
    opts.onPatient?.(i, Date.now() - t0);
  }
  const manifest = buildManifest(opts.seed, kept, populationBayes(opts.monteCarloPatients ?? 20000));
  put("clinical.csv", clinicalCsv(kept));
  put("outcomes.csv", outcomesCsv(kept));
  put("manifest.json", JSON.stringify(manifest, null, 2) + "\n");
  return { manifestPath: path.join(opts.outDir, "manifest.json"), files, bytes, manifest };
}
