/** Worker thread for cohort-features.ts: generates synthetic patients and extracts their case features. */
import { parentPort, workerData } from "node:worker_threads";
import { openEncoder } from "../../deep/node/encoder";
import { generatePatient } from "../../synth/generate-patient";
import { extractCaseFeatures, type CaseFeatureContext, type CaseFeatureSpec, type CaseRole } from "../case-features";
import type { CohortPatientFeatures } from "./cohort-features";

const init = workerData as { seed: string; spec: CaseFeatureSpec; modelsDir: string | null };
const ROLE: Record<string, CaseRole> = { "CE-T1": "CE_T1", T2: "T2", CT: "CT" };

let ctxPromise: Promise<CaseFeatureContext> | null = null;
function context(): Promise<CaseFeatureContext> {
  ctxPromise ??= (async () => {
    if (!init.spec.deep) return {};
    // One intra-op thread: results do not depend on the thread count, and patients run in parallel anyway.
    const enc = await openEncoder(init.spec.deep.backbone, { dir: init.modelsDir ?? undefined, threads: 1 });
    return { deepSessions: { [init.spec.deep.backbone]: enc } };
  })();
  return ctxPromise;
}

parentPort!.on("message", async ({ index }: { index: number }) => {
  try {
    const t0 = performance.now();
    const ctx = await context();
    const p = generatePatient(init.seed, index, { dicom: false, nifti: false });
    const f = await extractCaseFeatures(
      {
        series: p.series.map((s) => ({ role: ROLE[s.role], volume: s.volume, tumour: s.mask })),
        clinical: p.clinical as unknown as Record<string, unknown>,
      },
      init.spec,
      ctx,
    );
    const entry = init.spec.deep ? ctx.deepSessions?.[init.spec.deep.backbone]?.entry : undefined;
    const result: CohortPatientFeatures = {
      index,
      patientId: p.patientId,
      values: f.values,
      missing: f.missing,
      outcome: p.outcome,
      probabilities: { pPcr: p.probabilities.pPcr, pResponse: p.probabilities.pResponse },
      latent: p.latent,
      modelSha256: entry?.sha256 ?? null,
      encoderOrigin: entry?.origin ?? null,
      ms: Math.round(performance.now() - t0),
    };
    parentPort!.postMessage({ ok: true, result });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    parentPort!.postMessage({ ok: false, index, code: err.code ?? "INTERNAL", message: err.message ?? String(e) });
  }
});
