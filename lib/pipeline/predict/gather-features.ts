/**
 * The patient's feature row for a bundle's case feature spec: each (role, region, extractor) block from the feature
 * cache (`feature_sets`, keyed by image, ROI, region, extractor, settings and engine) or extracted from the stored
 * DICOM series and ROI; the clinical record encoded; assembled in the spec's block order.
 */
import type { Backbone } from "../../deep/architecture";
import { openEncoder } from "../../deep/node/encoder";
import { defaultModelsDir, readManifest } from "../../deep/node/model-store";
import { modelEntry, type ModelEntry } from "../../deep/models";
import type { Mask, Volume } from "../../imaging/volume";
import {
  assembleCaseFeatures,
  blockParameters,
  blockParametersHash,
  caseBlocks,
  extractBlock,
  extractorId,
  extractorVersion,
  type BlockOutcome,
  type CaseFeatureContext,
  type CaseFeatures,
  type CaseFeatureSpec,
  type FeatureBlock,
} from "../case-features";
import { featureSetContentHash, findFeatureSets, type NewFeatureSet } from "../feature-cache";
import { loadRoiMask } from "../roi";
import { loadSeriesVolume } from "../series-volume";
import type { PredictInputs } from "./select-inputs";
import type { FeatureSetUse, PredictDeps, RoiUse } from "./types";

export interface GatheredFeatures {
  features: CaseFeatures;
  /** Feature sets used, in extraction order; `id` is "" until a newly computed one is stored. */
  used: FeatureSetUse[];
  /** Newly computed feature sets, to be stored. */
  toStore: NewFeatureSet[];
  rois: RoiUse[];
}

/** The encoder a spec's deep features need, from the registry manifest (its sha256 keys the cache; no hashing of 60-250 MB). */
export function resolveEncoder(deps: Pick<PredictDeps, "modelsDir">, spec: CaseFeatureSpec): ModelEntry | null {
  return spec.deep ? modelEntry(readManifest(deps.modelsDir ?? defaultModelsDir()), spec.deep.backbone) : null;
}

/** The image files' sha256s in volume order (the order the features see them). */
function imageSha256s(series: {
  geometry: unknown;
  instances: { sopInstanceUid: string; sha256: string }[];
}): string[] {
  const order = (series.geometry as { volumeOrder?: string[] }).volumeOrder;
  const shaBySop = new Map(series.instances.map((i) => [i.sopInstanceUid, i.sha256]));
  return order
    ? order.map((sop) => shaBySop.get(sop) ?? `missing:${sop}`)
    : series.instances.map((i) => i.sha256).sort();
}

export async function gatherFeatures(
  deps: PredictDeps,
  spec: CaseFeatureSpec,
  encoder: ModelEntry | null,
  inputs: PredictInputs,
  o: { useCache?: boolean } = {},
): Promise<GatheredFeatures> {
  const useCache = o.useCache ?? true;
  const ctx: CaseFeatureContext = {};
  const ensureSession = async (backbone: Backbone) => {
    if (!ctx.deepSessions?.[backbone])
      ctx.deepSessions = { [backbone]: await openEncoder(backbone, { dir: deps.modelsDir }) };
  };

  const outcomes: BlockOutcome[] = [];
  const used: FeatureSetUse[] = [];
  const toStore: NewFeatureSet[] = [];
  const rois: RoiUse[] = [];
  const blocks = caseBlocks(spec);
  for (const input of inputs.roles) {
    const role = input.role;
    const roleBlocks = blocks.filter((b) => b.role === role);
    if ("absent" in input) {
      for (const block of roleBlocks) outcomes.push({ block, absent: input.absent });
      continue;
    }
    const { series, roi } = input;
    rois.push({ role, seriesId: series.id, roiId: roi.id, version: roi.version });
    const images = imageSha256s(series);
    const keyed = roleBlocks.map((block) => {
      const modelSha = block.extractor === "deep" ? encoder!.sha256 : undefined;
      const parametersHash = blockParametersHash(block, spec, modelSha);
      const extractor = extractorId(block, spec);
      const version = extractorVersion(block);
      return {
        block,
        modelSha,
        parametersHash,
        extractor,
        version,
        contentHash: featureSetContentHash({
          imageSha256s: images,
          maskSha256: roi.maskSha256,
          block,
          extractor,
          extractorVersion: version,
          parametersHash,
        }),
      };
    });
    const hits = useCache
      ? await findFeatureSets(
          deps.prisma,
          keyed.map((k) => k.contentHash),
        )
      : new Map();
    let volume: Volume | null = null;
    let mask: Mask | null = null;
    for (const k of keyed) {
      const hit = hits.get(k.contentHash);
      if (hit) {
        outcomes.push({ block: k.block, result: hit.result });
        used.push({
          id: hit.id,
          role,
          region: k.block.region,
          extractor: k.extractor,
          contentHash: k.contentHash,
          cached: true,
        });
        continue;
      }
      volume ??= await loadSeriesVolume(deps, series.id);
      mask ??= (await loadRoiMask(deps, roi.id)).mask;
      if (k.block.extractor === "deep") await ensureSession(spec.deep!.backbone);
      const result = await extractBlock(volume, mask, k.block, spec, ctx);
      outcomes.push({ block: k.block, result });
      toStore.push({
        contentHash: k.contentHash,
        seriesId: series.id,
        roiId: roi.id,
        block: k.block,
        extractor: k.extractor,
        extractorVersion: k.version,
        parametersHash: k.parametersHash,
        parameters: blockParameters(k.block, spec, k.modelSha),
        result,
      });
      used.push({
        id: "",
        role,
        region: k.block.region,
        extractor: k.extractor,
        contentHash: k.contentHash,
        cached: false,
      });
    }
  }
  const clinicalValues = (inputs.clinicalRecord?.values ?? null) as Record<string, unknown> | null;
  const features = assembleCaseFeatures(spec, orderOutcomes(outcomes, blocks), clinicalValues);
  return { features, used, toStore, rois };
}

/** Outcomes in the spec's block order, so the assembled row (and its hash) does not depend on cache hits. */
function orderOutcomes(outcomes: BlockOutcome[], blocks: FeatureBlock[]): BlockOutcome[] {
  const key = (b: FeatureBlock) => `${b.role}|${b.region}|${b.extractor}`;
  const by = new Map(outcomes.map((o) => [key(o.block), o]));
  return blocks.map((b) => by.get(key(b))).filter((o): o is BlockOutcome => !!o);
}
