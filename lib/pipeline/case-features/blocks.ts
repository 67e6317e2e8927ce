/**
 * Feature blocks (role x region x extractor): the unit of extraction work and of caching. extractBlock builds the
 * region (tumour or peritumoral shell) and runs one extractor on it.
 */
import { NacError, isNacError } from "../../errors";
import type { Backbone } from "../../deep/architecture";
import { extractDeepFeatures, prepareDeepInput } from "../../deep/extract";
import type { PreparedInput, PreprocessOptions } from "../../deep/preprocess";
import { peritumoralShell } from "../../imaging/peritumoral";
import type { Mask, Volume } from "../../imaging/volume";
import { canonicalJson } from "../../hash/canonical-json";
import { extractFeatures } from "../../radiomics/extract";
import { hashedSettings, settingsHash } from "../../radiomics/settings";
import { sha256Hex } from "../../hash/sha256";
import { ENGINE_NAME as RADIOMICS_ENGINE, ENGINE_VERSION as RADIOMICS_VERSION } from "../../radiomics/version";
import { CASE_FEATURES_VERSION, DEEP_ENGINE_VERSION, periShellModeOf } from "./spec";
import type { BlockResult, CaseFeatureContext, CaseFeatureSpec, CaseRegion, FeatureBlock } from "./types";

export function caseBlocks(spec: CaseFeatureSpec): FeatureBlock[] {
  const out: FeatureBlock[] = [];
  for (const role of spec.roles) {
    for (const region of spec.regions) {
      if (spec.handcrafted) out.push({ role, region, extractor: "radiomics" });
      if (spec.deep && spec.deep.roles.includes(role) && spec.deep.regions.includes(region))
        out.push({ role, region, extractor: "deep" });
    }
  }
  return out;
}

export function blockPrefix(b: Pick<FeatureBlock, "role" | "region">): string {
  return `${b.role}.${b.region}.`;
}

/** Extractor id as recorded in cache rows and the bundle's feature specification. */
export function extractorId(b: FeatureBlock, spec: CaseFeatureSpec): string {
  return b.extractor === "radiomics" ? `radiomics:${spec.handcrafted!.mode}` : `deep:${spec.deep!.backbone}`;
}

export function extractorVersion(b: FeatureBlock): string {
  return b.extractor === "radiomics"
    ? `${RADIOMICS_ENGINE}@${RADIOMICS_VERSION}+case@${CASE_FEATURES_VERSION}`
    : `nacpredict-deep@${DEEP_ENGINE_VERSION}+case@${CASE_FEATURES_VERSION}`;
}

/**
 * Everything that determines a block's values besides the image and mask content. For deep features this includes the
 * encoder file's sha256, so imported MedicalNet weights never reuse features of the untrained encoder.
 */
export function blockParameters(b: FeatureBlock, spec: CaseFeatureSpec, modelSha256?: string): Record<string, unknown> {
  const region =
    b.region === "peri"
      ? { region: "peri", marginMm: spec.periMarginMm, shell: periShellModeOf(spec) }
      : { region: "intra" };
  if (b.extractor === "radiomics")
    return { ...region, settings: hashedSettings(spec.handcrafted!), settingsHash: settingsHash(spec.handcrafted!) };
  return {
    ...region,
    backbone: spec.deep!.backbone,
    preprocess: spec.deep!.preprocess,
    pooling: spec.deep!.pooling,
    modelSha256: modelSha256 ?? null,
  };
}

export function blockParametersHash(b: FeatureBlock, spec: CaseFeatureSpec, modelSha256?: string): string {
  return sha256Hex(canonicalJson(blockParameters(b, spec, modelSha256)));
}

export function deepFeatureName(backbone: Backbone, i: number): string {
  return `${backbone}_${String(i).padStart(3, "0")}`;
}

function regionMaskFor(tumour: Mask, region: CaseRegion, spec: CaseFeatureSpec): Mask {
  if (region === "intra") {
    const data = new Uint8Array(tumour.data.length);
    for (let i = 0; i < data.length; i++) data[i] = tumour.data[i] ? 1 : 0;
    return { ...tumour, data };
  }
  // A tumour that fills the whole grid leaves no room for a shell: say so, as the centres shell does (MASK_EMPTY),
  // rather than as the surface estimate's error about its distance field.
  if (countMask(tumour) === tumour.data.length)
    throw new NacError("MASK_EMPTY", "peritumoral shell is empty: the tumour ROI fills the whole image");
  return peritumoralShell(tumour, spec.periMarginMm, { measureFrom: periShellModeOf(spec), label: 1 });
}

/**
 * What the blocks of one series and tumour ROI have in common, built once: the region masks (the peritumoral shell
 * costs more than a ResNet10 inference) and the encoder input of each region and preprocessing, which does not depend
 * on the backbone. One instance per (volume, tumour) pair; the values are those each block would build on its own.
 */
export class SeriesBlockWork {
  private readonly regions = new Map<string, Mask>();
  private readonly inputs = new Map<string, PreparedInput>();

  constructor(
    readonly volume: Volume,
    readonly tumour: Mask,
  ) {}

  region(region: CaseRegion, spec: CaseFeatureSpec): Mask {
    const key =
      region === "intra"
        ? "intra"
        : canonicalJson({ region, marginMm: spec.periMarginMm, shell: periShellModeOf(spec) });
    let m = this.regions.get(key);
    if (!m) this.regions.set(key, (m = regionMaskFor(this.tumour, region, spec)));
    return m;
  }

  deepInput(region: CaseRegion, spec: CaseFeatureSpec, preprocess: PreprocessOptions): PreparedInput {
    const key = canonicalJson({ region, marginMm: spec.periMarginMm, shell: periShellModeOf(spec), preprocess });
    let p = this.inputs.get(key);
    if (!p)
      this.inputs.set(
        key,
        (p = prepareDeepInput(this.volume, this.region(region, spec), { region: "intra", preprocess })),
      );
    return p;
  }
}

function countMask(m: Mask): number {
  let n = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i]) n++;
  return n;
}

/**
 * Extracts one block. Problems of the input (empty or too small ROI, geometry) become a block failure with the
 * reason; programming and configuration errors (no encoder session, invalid settings) are thrown.
 */
export async function extractBlock(
  volume: Volume,
  tumour: Mask,
  block: FeatureBlock,
  spec: CaseFeatureSpec,
  ctx: CaseFeatureContext = {},
): Promise<BlockResult> {
  const t0 = performance.now();
  const base = {
    extractor: extractorId(block, spec),
    extractorVersion: extractorVersion(block),
    role: block.role,
    region: block.region,
  };
  try {
    const shared = ctx.shared && ctx.shared.volume === volume && ctx.shared.tumour === tumour ? ctx.shared : null;
    if (block.extractor === "radiomics") {
      const mask = shared ? shared.region(block.region, spec) : regionMaskFor(tumour, block.region, spec);
      const r = extractFeatures(volume, mask, spec.handcrafted!);
      return {
        values: r.features,
        failures: r.failures,
        provenance: {
          ...base,
          settingsHash: r.settingsHash,
          engine: r.engine,
          regionVoxels: countMask(mask),
          ms: Math.round(performance.now() - t0),
        },
      };
    }
    const deep = spec.deep!;
    const ref = ctx.deepSessions?.[deep.backbone];
    if (!ref)
      throw new NacError("SETTINGS_INVALID", `no encoder session for ${deep.backbone}: deep features were requested`);
    // The region is built here, with the spec's shell mode, for both extractors (extractDeepFeatures' own "peri" is
    // always measured from centres); the encoder gets it as a ready mask, whose "intra" region is the mask itself.
    const region = shared ? shared.region(block.region, spec) : regionMaskFor(tumour, block.region, spec);
    const d = await extractDeepFeatures(volume, region, {
      region: "intra",
      backbone: deep.backbone,
      session: ref.session,
      preprocess: deep.preprocess,
      pooling: deep.pooling,
      model: ref.entry,
      prepared: shared?.deepInput(block.region, spec, deep.preprocess),
    });
    if (ref.entry && d.features.length !== ref.entry.featureLength) {
      throw new NacError("MODEL_INVALID", `${deep.backbone} returned ${d.features.length} features`);
    }
    const values: Record<string, number> = {};
    d.features.forEach((v, i) => (values[deepFeatureName(deep.backbone, i)] = v));
    return {
      values,
      failures: {},
      provenance: {
        ...base,
        modelSha256: ref.entry?.sha256 ?? null,
        modelLabel: d.model?.label ?? null,
        regionVoxels: d.stats.voxels,
        crop: d.crop,
        ms: Math.round(performance.now() - t0),
      },
    };
  } catch (e) {
    if (
      isNacError(e) &&
      (e.code === "MASK_EMPTY" || e.code === "FEATURE_NOT_COMPUTABLE" || e.code === "GEOMETRY_MISMATCH")
    ) {
      return {
        values: {},
        failures: { "*": `${e.code}: ${e.message}` },
        provenance: { ...base, ms: Math.round(performance.now() - t0) },
      };
    }
    throw e;
  }
}
