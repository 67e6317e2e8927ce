/** Worker thread for synthetic-cohort-table.ts: generates one synthetic patient once and extracts every spec's features. */
import { parentPort, workerData } from "node:worker_threads";
import type { Backbone } from "../../deep/architecture";
import { openEncoder } from "../../deep/node/encoder";
import { generatePatient } from "../../synth/generate-patient";
import {
  extractCaseFeatures,
  type CaseFeatureContext,
  type CaseFeatureSpec,
  type CaseRole,
} from "../../pipeline/case-features";
import type { SyntheticTableRow } from "./synthetic-cohort-table";

const init = workerData as { seed: string; specs: CaseFeatureSpec[]; modelsDir: string | null };
const ROLE: Record<string, CaseRole> = { "CE-T1": "CE_T1", T2: "T2", CT: "CT" };
const sessions = new Map<Backbone, Promise<NonNullable<CaseFeatureContext["deepSessions"]>[Backbone]>>();

async function contextFor(spec: CaseFeatureSpec): Promise<CaseFeatureContext> {
  if (!spec.deep) return {};
  const b = spec.deep.backbone;
  // One intra-op thread: results do not depend on the thread count, and patients run in parallel anyway.
  if (!sessions.has(b)) sessions.set(b, openEncoder(b, { dir: init.modelsDir ?? undefined, threads: 1 }));
  return { deepSessions: { [b]: await sessions.get(b)! } };
}

parentPort!.on("message", async ({ index }: { index: number }) => {
  try {
    const t0 = performance.now();
    const p = generatePatient(init.seed, index, { dicom: false, nifti: false });
    const series = p.series.map((s) => ({ role: ROLE[s.role], volume: s.volume, tumour: s.mask }));
    const values: Record<string, number> = {};
    const encoders: Record<string, { sha256: string; origin: string }> = {};
    for (const spec of init.specs) {
      const ctx = await contextFor(spec);
      const f = await extractCaseFeatures(
        { series, clinical: p.clinical as unknown as Record<string, unknown> },
        spec,
        ctx,
      );
      Object.assign(values, f.values);
      const entry = spec.deep ? ctx.deepSessions?.[spec.deep.backbone]?.entry : undefined;
      if (spec.deep && entry) encoders[spec.deep.backbone] = { sha256: entry.sha256, origin: entry.origin };
    }
    const row: SyntheticTableRow = {
      index,
      patientId: p.patientId,
      values,
      outcome: p.outcome,
      encoders,
      ms: Math.round(performance.now() - t0),
    };
    parentPort!.postMessage({ ok: true, row });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    parentPort!.postMessage({ ok: false, index, code: err.code ?? "INTERNAL", message: err.message ?? String(e) });
  }
});
