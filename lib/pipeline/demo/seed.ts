/**
 * First-start demo content: encoders present, a handful of synthetic patients (DICOM imported like any
 * import, tumour ROIs on about half of the series, clinical records for most), and the demo model bundle registered.
 * Node only. Each step is idempotent: models are checked by a size+mtime stamp (hashing ~630 MB on every start would
 * cost seconds), patients are seeded only into an empty database, a bundle only once per bundleId + version.
 */
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Prisma, PrismaClient } from "../../../generated/prisma/client";
import { recordAudit } from "../../audit/audit-log";
import { initModels, readManifest } from "../../deep/node/model-store";
import { NacError } from "../../errors";
import type { FileStore } from "../../storage/file-store";
import type { ImageRoleLabel } from "../../imaging/series/roles";
import { generatePatient } from "../../synth/generate-patient";
import { importDicomFiles } from "../import-dicom";
import { saveRoi } from "../roi";

export const DEMO_PATIENT_SEED = "demo-patients-1";
export const DEMO_PATIENT_COUNT = 6;

/** Which series get a tumour ROI (by patient index): about half, so the demo shows both states. */
export const DEMO_ROI_PLAN: readonly (readonly ImageRoleLabel[])[] = [
  ["CE-T1", "T2", "CT"],
  ["CE-T1", "T2", "CT"],
  ["CE-T1"],
  ["CE-T1", "T2"],
  ["CT"],
  [],
];
/** Patient indices without a clinical record (the rest get one). */
export const DEMO_NO_CLINICAL = new Set([4]);

export interface DemoDeps {
  prisma: PrismaClient;
  store: FileStore;
}

/**
 * `models init`, skipped when every registered encoder file still has the size and mtime recorded after the last
 * successful init (the stamp lives in the data directory, not in the repository).
 */
export function ensureModels(modelsDir: string, stampFile: string): { action: "kept" | "initialised"; ms: number } {
  const t0 = performance.now();
  const current = (): Record<string, { size: number; mtimeMs: number; sha256: string }> | null => {
    const m = readManifest(modelsDir);
    const out: Record<string, { size: number; mtimeMs: number; sha256: string }> = {};
    for (const [k, e] of Object.entries(m.models)) {
      const f = path.join(modelsDir, e.file);
      if (!existsSync(f)) return null;
      const st = statSync(f);
      out[k] = { size: st.size, mtimeMs: st.mtimeMs, sha256: e.sha256 };
    }
    return Object.keys(out).length ? out : null;
  };
  const now = current();
  if (now && existsSync(stampFile)) {
    try {
      if (JSON.stringify(JSON.parse(readFileSync(stampFile, "utf8"))) === JSON.stringify(now))
        return { action: "kept", ms: performance.now() - t0 };
    } catch {
      // unreadable stamp: re-check below
    }
  }
  initModels(modelsDir);
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, JSON.stringify(current()));
  return { action: "initialised", ms: performance.now() - t0 };
}

export interface SeedReport {
  patients: number;
  series: number;
  rois: number;
  clinicalRecords: number;
  ms: number;
}

/** Seeds synthetic patients into an empty database (no-op when any patient exists). */
export async function seedDemoPatients(
  deps: DemoDeps,
  o: { seed?: string; count?: number; indices?: number[]; username?: string } = {},
): Promise<SeedReport | null> {
  const t0 = performance.now();
  if ((await deps.prisma.patient.count()) > 0) return null;
  const author = await deps.prisma.user.findUnique({ where: { username: o.username ?? "radiologist" } });
  if (!author)
    throw new NacError(
      "NOT_FOUND",
      `demo ROIs need the "${o.username ?? "radiologist"}" account (created with the demo accounts)`,
    );
  const user = { id: author.id, username: author.username };
  const report: SeedReport = { patients: 0, series: 0, rois: 0, clinicalRecords: 0, ms: 0 };
  const indices = o.indices ?? Array.from({ length: o.count ?? DEMO_PATIENT_COUNT }, (_, i) => i);
  for (const i of indices) {
    const p = generatePatient(o.seed ?? DEMO_PATIENT_SEED, i, { dicom: true, nifti: false });
    const files = p.series.flatMap((s) =>
      s.files.map((bytes, k) => ({ name: `${p.patientId}/${s.role}/IM${String(k + 1).padStart(4, "0")}.dcm`, bytes })),
    );
    const imp = await importDicomFiles(deps, files, { synthetic: true, userId: user.id, username: user.username });
    if (imp.counts.error > 0) {
      const e = imp.files.find((f) => f.status === "error");
      throw new NacError("INTERNAL", `demo patient ${p.patientId} did not import: ${e?.name}: ${e?.message}`);
    }
    report.patients++;
    report.series += imp.series.length;
    const plan = DEMO_ROI_PLAN[i % DEMO_ROI_PLAN.length];
    for (const s of p.series) {
      if (!plan.includes(s.role)) continue;
      const row = imp.series.find((x) => x.seriesInstanceUid === s.seriesInstanceUid);
      if (!row) throw new NacError("INTERNAL", `demo series ${s.role} of ${p.patientId} was not imported`);
      // The generator's mask is on the series grid in volume order, as saveRoi expects.
      await saveRoi(deps, {
        seriesId: row.seriesId,
        mask: s.mask.data,
        source: "derived",
        label: "tumour",
        user,
        details: { demo: true },
      });
      report.rois++;
    }
    if (!DEMO_NO_CLINICAL.has(i)) {
      const patientId = imp.series[0].patientId;
      // Same keys as the clinical form (lib/clinical/variables.ts); grade is a choice there, so a string.
      const values = { ...p.clinical, grade: String(p.clinical.grade), complete: true };
      await deps.prisma.$transaction(async (tx) => {
        const rec = await tx.clinicalRecord.create({
          data: { patientId, version: 1, values: values as unknown as Prisma.InputJsonValue, authorId: user.id },
        });
        await recordAudit(tx, {
          action: "clinical.save",
          userId: user.id,
          username: user.username,
          patientId,
          targetType: "clinical_record",
          targetId: rec.id,
          details: { version: 1, demo: true },
        });
      });
      report.clinicalRecords++;
    }
  }
  report.ms = performance.now() - t0;
  return report;
}
