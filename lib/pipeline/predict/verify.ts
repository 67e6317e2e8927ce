/**
 * Replay: recompute a stored prediction from its stored inputs (the series' DICOM files, the ROI
 * version, the clinical record version, the model bundle it used), with no feature cache, and compare bit for bit
 * with what was stored: feature-set content hashes, every feature value, the missing list, both endpoints' outputs,
 * the warnings and the provenance hash. The first difference is reported by its path, so that a result shown at a
 * board can be audited months later.
 */
import { recordAudit } from "../../audit/audit-log";
import { canonicalJson } from "../../hash/canonical-json";
import { isNacError, NacError } from "../../errors";
import type { MissingFeature } from "../case-features";
import { loadBundleRow } from "../active-bundle";
import { checkInputAcquisition } from "./acquisition-check";
import { gatherFeatures, resolveEncoder } from "./gather-features";
import { engineVersions, predictionInputs, provenanceHashOf, type StoredPredictionInputs } from "./provenance";
import { scoreEndpoints } from "./score";
import type { PredictInputs, RoleInput } from "./select-inputs";
import type { PredictDeps, PredictUser } from "./types";
import { missingInputWarnings, modelWarnings } from "./warnings";

export interface VerifyResult {
  predictionId: string;
  patientId: string;
  identical: boolean;
  /** Where stored and recomputed first differ (a JSON path and both values), or why it could not be recomputed. */
  firstDifference: string | null;
  /** What was compared, in order. */
  compared: string[];
}

const show = (v: unknown) => (v === undefined ? "absent" : JSON.stringify(v)?.slice(0, 200));

/** First difference between two JSON values (numbers compared exactly, object keys in sorted order), or null. */
export function firstJsonDifference(stored: unknown, recomputed: unknown, path = ""): string | null {
  if (typeof stored === "number" && typeof recomputed === "number")
    return Object.is(stored, recomputed) ? null : `${path}: stored ${stored}, recomputed ${recomputed}`;
  if (Array.isArray(stored) && Array.isArray(recomputed)) {
    for (let i = 0; i < Math.max(stored.length, recomputed.length); i++) {
      const d = firstJsonDifference(stored[i], recomputed[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (
    stored &&
    recomputed &&
    typeof stored === "object" &&
    typeof recomputed === "object" &&
    !Array.isArray(stored) &&
    !Array.isArray(recomputed)
  ) {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(recomputed)])].sort();
    for (const k of keys) {
      const d = firstJsonDifference(
        (stored as Record<string, unknown>)[k],
        (recomputed as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (d) return d;
    }
    return null;
  }
  return canonicalJson(stored ?? null) === canonicalJson(recomputed ?? null) &&
    (stored === undefined) === (recomputed === undefined)
    ? null
    : `${path}: stored ${show(stored)}, recomputed ${show(recomputed)}`;
}

/** The inputs a stored prediction named: its series and ROI versions, the absent roles' reasons, its clinical version. */
async function storedInputs(
  deps: PredictDeps,
  roles: readonly string[],
  stored: StoredPredictionInputs,
  patientId: string,
): Promise<PredictInputs> {
  const out: RoleInput[] = [];
  for (const role of roles as RoleInput["role"][]) {
    const r = stored.rois.find((x) => x.role === role);
    if (!r) {
      const m = (stored.missing as MissingFeature[]).find((x) => x.name === `${role}.*`);
      if (!m) throw new NacError("NOT_FOUND", `the stored inputs name neither a ${role} ROI nor why there is none`);
      out.push({ role, absent: m.reason });
      continue;
    }
    const series = await deps.prisma.series.findUnique({
      where: { id: r.seriesId },
      include: { instances: true, study: true },
    });
    const roi = await deps.prisma.roi.findUnique({ where: { id: r.roiId } });
    if (!series || !roi)
      throw new NacError(
        "NOT_FOUND",
        `the stored ${role} ${series ? `ROI ${r.roiId}` : `series ${r.seriesId}`} no longer exists`,
      );
    if (roi.seriesId !== series.id || roi.version !== r.version || series.study.patientId !== patientId)
      throw new NacError(
        "SERIES_INCONSISTENT",
        `the stored ${role} ROI ${r.roiId} is no longer version ${r.version} of series ${r.seriesId} of this patient`,
      );
    out.push({ role, series, roi });
  }
  const clinicalRecord = stored.clinicalRecord
    ? await deps.prisma.clinicalRecord.findUnique({ where: { id: stored.clinicalRecord.id } })
    : null;
  if (
    stored.clinicalRecord &&
    (!clinicalRecord ||
      clinicalRecord.version !== stored.clinicalRecord.version ||
      clinicalRecord.patientId !== patientId)
  ) {
    throw new NacError(
      "NOT_FOUND",
      `clinical record version ${stored.clinicalRecord.version} used by the prediction no longer exists`,
    );
  }
  return { roles: out, clinicalRecord, warnings: [] };
}

/** `user`: who asked (audited); from the CLI, `actor` names the operating-system user instead. */
export async function verifyPrediction(
  deps: PredictDeps,
  predictionId: string,
  o: { user?: PredictUser | null; actor?: string } = {},
): Promise<VerifyResult> {
  const p = await deps.prisma.prediction.findUnique({ where: { id: predictionId }, include: { modelBundle: true } });
  if (!p) throw new NacError("NOT_FOUND", `prediction ${predictionId} not found`);
  const compared: string[] = [];
  const result = (firstDifference: string | null): VerifyResult => ({
    predictionId,
    patientId: p.patientId,
    identical: firstDifference === null,
    firstDifference,
    compared,
  });
  let verdict: VerifyResult;
  try {
    verdict = result(await replay());
  } catch (e) {
    // An input that cannot be read back as stored (altered file, deleted ROI) is itself the difference.
    if (!isNacError(e)) throw e;
    verdict = result(`${compared.length ? `after ${compared.at(-1)}: ` : ""}${e.code}: ${e.message}`);
  }
  await recordAudit(deps.prisma, {
    action: "prediction.verify",
    userId: o.user?.id ?? null,
    username: o.user?.username ?? o.actor ?? "cli",
    patientId: p.patientId,
    targetType: "prediction",
    targetId: predictionId,
    details: { identical: verdict.identical, firstDifference: verdict.firstDifference },
  });
  return verdict;

  async function replay(): Promise<string | null> {
    const bundle = await loadBundleRow(deps, p!.modelBundle);
    compared.push("model bundle sha256");
    const stored = p!.inputs as unknown as StoredPredictionInputs;
    const inputs = await storedInputs(deps, bundle.spec.roles, stored, p!.patientId);
    const encoder = resolveEncoder(deps, bundle.spec);
    const gathered = await gatherFeatures(deps, bundle.spec, encoder, inputs, { useCache: false });
    compared.push("stored image and ROI files");
    const recomputed = predictionInputs(gathered, inputs.clinicalRecord);
    for (const key of ["rois", "clinicalRecord", "featureSets", "features", "missing"] as const) {
      const d = firstJsonDifference(stored[key], recomputed[key], `inputs.${key}`);
      compared.push(`inputs.${key}`);
      if (d) return d;
    }
    const scored = scoreEndpoints(bundle.lb, recomputed.features, recomputed.missing);
    const storedOutputs = p!.outputs as { endpoints: unknown };
    compared.push("outputs.endpoints");
    const d = firstJsonDifference(storedOutputs.endpoints, scored.endpoints, "outputs.endpoints");
    if (d) return d;
    // Same warnings, in the same order, as predictPatient (index.ts) makes them.
    const acquisition = await checkInputAcquisition(deps, bundle.lb, inputs);
    const warnings = [
      ...missingInputWarnings(gathered.features, inputs.clinicalRecord),
      ...scored.warnings,
      ...acquisition.warnings,
      ...modelWarnings(bundle, encoder),
    ];
    // Warnings about other series of the role (chosen at prediction time) are not recomputable from the stored inputs.
    const storedWarnings = (p!.warnings as string[]).filter(
      (w) => !/ series: the most recently imported one was used$/.test(w),
    );
    compared.push("warnings");
    const w = firstJsonDifference(storedWarnings, warnings, "warnings");
    if (w) return w;
    compared.push("provenance hash");
    const hash = provenanceHashOf(recomputed, bundle.row.sha256, engineVersions(), encoder);
    return hash === p!.provenanceHash
      ? null
      : `provenanceHash: stored ${p!.provenanceHash}, recomputed ${hash} (engine or encoder versions differ)`;
  }
}
