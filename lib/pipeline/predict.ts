/**
 * Predict (issue 8 item 5, server side): the active model bundle + a patient's series, latest ROIs and latest clinical
 * record -> both endpoints' probabilities, spread across partition models, top TreeSHAP contributions in words,
 * warnings and full provenance; stored as a `predictions` row with its audit event in one transaction.
 * Image features are cached per (image, ROI, region, extractor, settings, engine) in `feature_sets`.
 */
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { recordAudit } from "../audit/audit-log";
import type { Backbone } from "../deep/architecture";
import { openEncoder } from "../deep/node/encoder";
import { defaultModelsDir, readManifest } from "../deep/node/model-store";
import { modelEntry, type ModelEntry } from "../deep/models";
import { NacError } from "../errors";
import { useNodeCodecWasm as enableNodeCodecs } from "../imaging/dicom/node/codec-wasm";
import { readDicomSeries } from "../imaging/series";
import type { Mask, Volume } from "../imaging/volume";
import { predictWithBundle } from "../ml/bundle";
import { canonicalJson } from "../hash/canonical-json";
import { sha256Hex } from "../storage/file-store";
import { ENGINE_NAME as RADIOMICS_ENGINE, ENGINE_VERSION as RADIOMICS_VERSION } from "../radiomics/version";
import type { FileStore } from "../storage/file-store";
import {
  assembleCaseFeatures,
  blockParameters,
  blockParametersHash,
  caseBlocks,
  caseFeatureSpecHash,
  CASE_FEATURES_VERSION,
  DEEP_ENGINE_VERSION,
  extractBlock,
  extractorId,
  extractorVersion,
  type BlockOutcome,
  type CaseFeatureContext,
  type CaseFeatureSpec,
  type CaseRole,
  type FeatureBlock,
} from "./case-features/index";
import { featureSetContentHash, findFeatureSets, storeFeatureSet, type NewFeatureSet } from "./feature-cache";
import { contributionWords, featureWords } from "./predict-words";
import { loadActiveBundleOrThrow } from "./active-bundle";
import { loadRoiMask } from "./roi";

export interface PredictDeps {
  prisma: PrismaClient;
  store: FileStore;
  /** Encoder registry directory (default: NAC_MODELS_DIR or ./models). */
  modelsDir?: string;
}

export interface EndpointResult {
  probability: number;
  spread: { mean: number; sd: number; min: number; max: number; n: number };
  contributions: { feature: string; words: string; value: number }[];
}

export interface PredictionResult {
  predictionId: string;
  createdAt: string;
  model: { bundleId: string; name: string; version: string; isDemo: boolean; label: string };
  endpoints: { pcr: EndpointResult; response: EndpointResult };
  warnings: string[];
  provenance: {
    provenanceHash: string;
    bundleSha256: string;
    caseFeatureSpecHash: string;
    engines: Record<string, string>;
    featureSets: { id: string; role: string; region: string; extractor: string; contentHash: string; cached: boolean }[];
    rois: { role: string; seriesId: string; roiId: string; version: number }[];
    clinicalRecord: { id: string; version: number } | null;
    encoder: { backbone: string; sha256: string; label: string } | null;
  };
  timings: { totalMs: number; bundleMs: number; featuresMs: number; modelMs: number; storeMs: number; featureSetsComputed: number; featureSetsCached: number };
}

/** Time limits of the short write transaction: waiting for a connection, and the transaction itself. */
const TX_LIMITS = { maxWait: 60_000, timeout: 60_000 };

const ROLE_WORDS: Record<CaseRole, string> = { CE_T1: "CE-T1", T2: "T2", CT: "CT" };
export const TOP_CONTRIBUTIONS = 8;

async function loadSeriesVolume(deps: PredictDeps, seriesId: string): Promise<Volume> {
  enableNodeCodecs();
  const s = await deps.prisma.series.findUnique({ where: { id: seriesId }, include: { instances: true } });
  if (!s) throw new NacError("NOT_FOUND", `series ${seriesId} not found`);
  const files = await Promise.all(s.instances.map((i) => deps.store.get(i.storageKey, i.sha256)));
  const built = (await readDicomSeries(files)).find((x) => x.meta.seriesInstanceUid === s.seriesInstanceUid);
  if (!built) throw new NacError("SERIES_INCONSISTENT", `stored series ${s.seriesInstanceUid} could not be re-assembled`);
  return built.volume;
}

function describeMissing(name: string, reason: string): string {
  return `${name.endsWith(".*") ? name.replace(/_/g, "-").replace(".*", "") : featureWords(name)}: ${reason}`;
}

export async function predictPatient(deps: PredictDeps, patientId: string, user: { id: string; username: string }): Promise<PredictionResult> {
  const t0 = performance.now();
  const { row: bundleRow, lb, spec } = await loadActiveBundleOrThrow(deps);
  const tBundle = performance.now();

  const patient = await deps.prisma.patient.findUnique({
    where: { id: patientId },
    include: { studies: { include: { series: { include: { instances: true }, orderBy: { createdAt: "desc" } } } } },
  });
  if (!patient) throw new NacError("NOT_FOUND", `patient ${patientId} not found`);
  const allSeries = patient.studies.flatMap((s) => s.series);
  const warnings: string[] = [];

  // Deep-feature cache keys need the encoder file's sha256: read from the registry manifest (no 60-250 MB hashing).
  let encoder: ModelEntry | null = null;
  if (spec.deep) encoder = modelEntry(readManifest(deps.modelsDir ?? defaultModelsDir()), spec.deep.backbone);
  const ctx: CaseFeatureContext = {};
  const ensureSession = async (backbone: Backbone) => {
    if (!ctx.deepSessions?.[backbone]) ctx.deepSessions = { [backbone]: await openEncoder(backbone, { dir: deps.modelsDir }) };
  };

  const outcomes: BlockOutcome[] = [];
  const used: PredictionResult["provenance"]["featureSets"] = [];
  const toStore: NewFeatureSet[] = [];
  const rois: PredictionResult["provenance"]["rois"] = [];
  const blocks = caseBlocks(spec);
  for (const role of spec.roles) {
    const roleBlocks = blocks.filter((b) => b.role === role);
    const candidates = allSeries.filter((s) => s.role === role).sort((a, b) => +b.createdAt - +a.createdAt);
    if (candidates.length > 1) warnings.push(`${candidates.length} ${ROLE_WORDS[role]} series: the most recently imported one was used`);
    const series = candidates[0];
    if (!series) {
      for (const block of roleBlocks) outcomes.push({ block, absent: `no ${ROLE_WORDS[role]} series` });
      continue;
    }
    const roi = await deps.prisma.roi.findFirst({ where: { seriesId: series.id }, orderBy: { version: "desc" } });
    if (!roi) {
      for (const block of roleBlocks) outcomes.push({ block, absent: `no tumour ROI on the ${ROLE_WORDS[role]} series` });
      continue;
    }
    rois.push({ role, seriesId: series.id, roiId: roi.id, version: roi.version });
    const order = (series.geometry as { volumeOrder?: string[] }).volumeOrder;
    const shaBySop = new Map(series.instances.map((i) => [i.sopInstanceUid, i.sha256]));
    const imageSha256s = order ? order.map((sop) => shaBySop.get(sop) ?? `missing:${sop}`) : series.instances.map((i) => i.sha256).sort();
    const keyed = roleBlocks.map((block) => {
      const modelSha = block.extractor === "deep" ? encoder!.sha256 : undefined;
      const parametersHash = blockParametersHash(block, spec, modelSha);
      const extractor = extractorId(block, spec);
      const version = extractorVersion(block);
      return { block, modelSha, parametersHash, extractor, version, contentHash: featureSetContentHash({ imageSha256s, maskSha256: roi.maskSha256, block, extractor, extractorVersion: version, parametersHash }) };
    });
    const hits = await findFeatureSets(deps.prisma, keyed.map((k) => k.contentHash));
    let volume: Volume | null = null;
    let mask: Mask | null = null;
    for (const k of keyed) {
      const hit = hits.get(k.contentHash);
      if (hit) {
        outcomes.push({ block: k.block, result: hit.result });
        used.push({ id: hit.id, role, region: k.block.region, extractor: k.extractor, contentHash: k.contentHash, cached: true });
        continue;
      }
      volume ??= await loadSeriesVolume(deps, series.id);
      mask ??= (await loadRoiMask(deps, roi.id)).mask;
      if (k.block.extractor === "deep") await ensureSession(spec.deep!.backbone);
      const result = await extractBlock(volume, mask, k.block, spec, ctx);
      outcomes.push({ block: k.block, result });
      toStore.push({ contentHash: k.contentHash, seriesId: series.id, roiId: roi.id, block: k.block, extractor: k.extractor, extractorVersion: k.version, parametersHash: k.parametersHash, parameters: blockParameters(k.block, spec, k.modelSha), result });
      used.push({ id: "", role, region: k.block.region, extractor: k.extractor, contentHash: k.contentHash, cached: false });
    }
  }

  const clinicalRow = await deps.prisma.clinicalRecord.findFirst({ where: { patientId }, orderBy: { version: "desc" } });
  const clinicalValues = (clinicalRow?.values ?? null) as Record<string, unknown> | null;
  const features = assembleCaseFeatures(spec, orderOutcomes(outcomes, blocks), clinicalValues);
  const tFeatures = performance.now();

  // Warnings: what is missing, what is unusual, and what the model is.
  for (const m of features.missing) if (m.name.endsWith(".*")) warnings.push(describeMissing(m.name, m.reason));
  if (!clinicalRow) warnings.push("no clinical record: clinical variables are missing (imputed with the training median)");
  else if ((clinicalValues as { complete?: unknown }).complete !== true) warnings.push(`clinical record version ${clinicalRow.version} is incomplete`);
  const clinicalMissing = features.missing.filter((m) => m.name.startsWith("clinical.") && clinicalRow);
  for (const m of clinicalMissing) warnings.push(describeMissing(m.name, m.reason));
  const featureFailures = features.missing.filter((m) => !m.name.endsWith(".*") && !m.name.startsWith("clinical."));
  for (const m of featureFailures) warnings.push(describeMissing(m.name, m.reason));

  const endpoints = {} as PredictionResult["endpoints"];
  const outOfRange = new Set<string>();
  for (const ep of ["pcr", "response"] as const) {
    const p = predictWithBundle(lb, features.values, ep);
    const n = p.partitionProbabilities.length;
    const mean = p.partitionProbabilities.reduce((a, b) => a + b, 0) / n;
    const contributions = (p.contributions?.features ?? [])
      .slice()
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.feature < b.feature ? -1 : 1))
      .slice(0, TOP_CONTRIBUTIONS)
      .map((c) => ({ feature: c.feature, words: contributionWords(c.feature, c.contribution), value: c.contribution }));
    endpoints[ep] = { probability: p.probability, spread: { mean, sd: p.spread.sd, min: p.spread.min, max: p.spread.max, n }, contributions };
    for (const o of p.outOfRange) if (o.usedByFinalModel && o.kind !== "missing") outOfRange.add(`${featureWords(o.feature)} = ${o.value!.toPrecision(4)} is ${o.kind} the training range [${o.trainingMin.toPrecision(4)}, ${o.trainingMax.toPrecision(4)}]`);
  }
  warnings.push(...[...outOfRange].map((w) => `feature outside the training range: ${w}`));
  const card = lb.bundle.modelCard;
  if (card.demo || bundleRow.isDemo) warnings.push(`demo model (${card.title}): synthetic training data, not for clinical use`);
  if (encoder) {
    if (encoder.origin === "untrained") warnings.push(`untrained encoder: demo only (${encoder.backbone} deep features come from seeded weights)`);
    const enc = encoder;
    const differs = lb.bundle.featureSpec.some(
      (f) =>
        f.extractor === `deep:${enc.backbone}` &&
        !!f.sourceRole &&
        f.settingsHash !== blockParametersHash({ role: f.sourceRole as CaseRole, region: f.region === "intra" ? "intra" : "peri", extractor: "deep" }, spec, enc.sha256),
    );
    if (differs) warnings.push(`protocol different from training: the ${enc.backbone} encoder weights differ from those the model was trained with`);
  }
  const tModel = performance.now();

  const engines = { radiomics: `${RADIOMICS_ENGINE}@${RADIOMICS_VERSION}`, deep: `nacpredict-deep@${DEEP_ENGINE_VERSION}`, caseFeatures: CASE_FEATURES_VERSION };
  const inputs = {
    features: features.values,
    missing: features.missing,
    featureSets: used.map((u) => u.contentHash),
    rois,
    clinicalRecord: clinicalRow ? { id: clinicalRow.id, version: clinicalRow.version } : null,
  };
  const provenanceHash = sha256Hex(canonicalJson({ inputs, bundleSha256: bundleRow.sha256, engines, encoderSha256: encoder?.sha256 ?? null }));
  const outputs = { endpoints, model: { bundleId: bundleRow.bundleId, version: bundleRow.version } };

  // Feature sets are a content-addressed cache (same hash -> same values), valid on their own: stored outside the
  // prediction's transaction, which then holds two inserts only. Its time limits are generous because 20 concurrent
  // predictions share one event loop: another request's feature extraction can stall this one's commit for seconds
  // (issue 15 item 5: 3 of 20 failed on Prisma's default 5 s).
  for (const f of toStore) {
    const id = await storeFeatureSet(deps.prisma, f).catch(async (e) => {
      // a concurrent prediction stored the same content between our upsert's read and insert: theirs is ours
      const hit = (await findFeatureSets(deps.prisma, [f.contentHash])).get(f.contentHash);
      if (!hit) throw e;
      return hit.id;
    });
    const u = used.find((x) => x.contentHash === f.contentHash);
    if (u) u.id = id;
  }
  const stored = await deps.prisma.$transaction(async (tx) => {
    const prediction = await tx.prediction.create({
      data: {
        patientId,
        modelBundleId: bundleRow.id,
        modelVersion: bundleRow.version,
        inputs: { ...inputs, featureSetIds: used.map((u) => u.id) } as unknown as Prisma.InputJsonValue,
        outputs: outputs as unknown as Prisma.InputJsonValue,
        warnings: warnings as Prisma.InputJsonValue,
        provenanceHash,
        userId: user.id,
      },
    });
    await recordAudit(tx, {
      action: "prediction.create",
      userId: user.id,
      username: user.username,
      patientId,
      targetType: "prediction",
      targetId: prediction.id,
      details: { bundleId: bundleRow.bundleId, version: bundleRow.version, pcr: endpoints.pcr.probability, response: endpoints.response.probability, warnings: warnings.length, provenanceHash },
    });
    return prediction;
  }, TX_LIMITS);
  const tEnd = performance.now();

  return {
    predictionId: stored.id,
    createdAt: stored.createdAt.toISOString(),
    model: { bundleId: bundleRow.bundleId, name: bundleRow.name, version: bundleRow.version, isDemo: bundleRow.isDemo, label: card.demo ? "demo model, synthetic data, not for clinical use" : card.title },
    endpoints,
    warnings,
    provenance: {
      provenanceHash,
      bundleSha256: bundleRow.sha256,
      caseFeatureSpecHash: caseFeatureSpecHash(spec),
      engines,
      featureSets: used,
      rois,
      clinicalRecord: inputs.clinicalRecord,
      encoder: encoder ? { backbone: encoder.backbone, sha256: encoder.sha256, label: encoder.label } : null,
    },
    timings: {
      totalMs: Math.round(tEnd - t0),
      bundleMs: Math.round(tBundle - t0),
      featuresMs: Math.round(tFeatures - tBundle),
      modelMs: Math.round(tModel - tFeatures),
      storeMs: Math.round(tEnd - tModel),
      featureSetsComputed: toStore.length,
      featureSetsCached: used.length - toStore.length,
    },
  };
}

/** Outcomes in the spec's block order, so the assembled row (and its hash) does not depend on cache hits. */
function orderOutcomes(outcomes: BlockOutcome[], blocks: FeatureBlock[]): BlockOutcome[] {
  const key = (b: FeatureBlock) => `${b.role}|${b.region}|${b.extractor}`;
  const by = new Map(outcomes.map((o) => [key(o.block), o]));
  return blocks.map((b) => by.get(key(b))).filter((o): o is BlockOutcome => !!o);
}

export type { CaseFeatureSpec };
