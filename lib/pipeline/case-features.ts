/**
 * Case features: one patient's series (+ tumour ROIs) and clinical record -> one named feature row, exactly as a model
 * bundle was trained on. Pure wiring of the engines (lib/imaging, lib/radiomics, lib/deep); no database, no files.
 *
 * Names are stable: `${role}.${region}.${feature}` with role CE_T1 | T2 | CT and region intra | peri, e.g.
 * `CE_T1.intra.original_glcm_Contrast`, `CE_T1.peri.resnet10_017`; clinical variables are `clinical.<var>`
 * (encodings in CLINICAL_VARIABLES). Work is split into blocks (role x region x extractor) so that a caller can cache
 * each block by content (lib/pipeline/feature-cache.ts) and recompute only what is missing.
 */
import { NacError, isNacError } from "../errors";
import { BACKBONES, type Backbone } from "../deep/architecture";
import { extractDeepFeatures, prepareDeepInput, type DeepPooling } from "../deep/extract";
import { DEFAULT_PREPROCESS, type PreparedInput, type PreprocessOptions } from "../deep/preprocess";
import type { EncoderSession } from "../deep/runtime";
import type { ModelEntry } from "../deep/models";
import { peritumoralShell } from "../imaging/peritumoral";
import type { Mask, Volume } from "../imaging/volume";
import { canonicalJson } from "../hash/canonical-json";
import { extractFeatures } from "../radiomics/extract";
import { hashedSettings, resolveSettings, settingsHash, type RadiomicsSettings } from "../radiomics/settings";
import { sha256Hex } from "../hash/sha256";
import { ENGINE_NAME as RADIOMICS_ENGINE, ENGINE_VERSION as RADIOMICS_VERSION } from "../radiomics/version";
import { CLINICAL_VARIABLES, encodeClinical, type ClinicalVariable } from "./case-features-clinical";

export { CLINICAL_VARIABLES, type ClinicalVariable } from "./case-features-clinical";

export type CaseRole = "CE_T1" | "T2" | "CT";
export type CaseRegion = "intra" | "peri";
export type Extractor = "radiomics" | "deep";
export type PeriShellMode = "centres" | "surface" | "surface-volume-matched";
export const PERI_SHELL_MODES: readonly PeriShellMode[] = ["centres", "surface", "surface-volume-matched"];
/**
 * What new specs measure the shell from: the volume-matched sub-voxel surface, so that the shell has the stated
 * thickness on 3 mm slices too (lib/imaging/peritumoral.ts gives the accuracy of each mode).
 */
export const DEFAULT_PERI_SHELL_MODE: PeriShellMode = "surface-volume-matched";

/** The spec's shell mode; absent means "centres" (specs written before the field existed). */
export function periShellModeOf(spec: Pick<CaseFeatureSpec, "periShellMode">): PeriShellMode {
  return spec.periShellMode ?? "centres";
}
export const CASE_ROLES: readonly CaseRole[] = ["CE_T1", "T2", "CT"];

/** Version of this wiring (names, region construction, encodings): part of every cache key and provenance hash. */
export const CASE_FEATURES_VERSION = "1";
/** Version of the deep-feature wiring (lib/deep has no version constant; bump when extract/preprocess change). */
// 2: the encoders are built as the "tap-sum" graph (lib/deep/onnx/build-encoder.ts); features differ from 1 by ~1e-7.
export const DEEP_ENGINE_VERSION = "2";

export interface CaseFeatureSpec {
  specVersion: 1;
  roles: CaseRole[];
  regions: CaseRegion[];
  /** Peritumoral shell thickness (mm): non-tumour voxels within this distance of the tumour (see periShellMode). */
  periMarginMm: number;
  /**
   * What the shell distance is measured from (lib/imaging/peritumoral.ts): "centres" = the nearest tumour voxel centre
   * (dilation by a ball; thinner than the margin by about half a voxel, most on thick slices), "surface" = a sub-voxel
   * estimate of the tumour surface (within 2 % of the analytic shell volume on 93 of 128 held-out spheres),
   * "surface-volume-matched" = that estimate corrected between and beyond thick slices and matched to the tumour volume
   * (122 of 128; the default of new specs). Absent = "centres": specs (and bundles) written before this field measured
   * from centres, and must keep recomputing the same features; bundles keep whichever mode they name.
   */
  periShellMode?: PeriShellMode;
  /** Handcrafted radiomics: complete (resolved) settings, or null for none. */
  handcrafted: RadiomicsSettings | null;
  /** Deep features: encoder and preprocessing, or null for none. */
  /** Deep features: encoder, preprocessing, and the roles/regions it runs on (a subset keeps bundles small). */
  deep: { backbone: Backbone; preprocess: PreprocessOptions; pooling: DeepPooling; roles: CaseRole[]; regions: CaseRegion[] } | null;
  clinical: ClinicalVariable[];
}

/** The paper's handcrafted set: pyradiomics defaults, original image only = 107 features (14 shape, 18 first order, 75 texture). */
export function paperHandcraftedSettings(): RadiomicsSettings {
  return resolveSettings({ mode: "pyradiomics" });
}

type DeepSpec = NonNullable<CaseFeatureSpec["deep"]>;

export function makeCaseFeatureSpec(
  o: Partial<Omit<CaseFeatureSpec, "deep" | "specVersion">> & { deep?: (Partial<Omit<DeepSpec, "preprocess">> & { preprocess?: Partial<PreprocessOptions> }) | null } = {},
): CaseFeatureSpec {
  const spec: CaseFeatureSpec = {
    specVersion: 1,
    roles: o.roles ?? [...CASE_ROLES],
    regions: o.regions ?? ["intra", "peri"],
    periMarginMm: o.periMarginMm ?? 5,
    periShellMode: o.periShellMode ?? DEFAULT_PERI_SHELL_MODE,
    handcrafted: o.handcrafted === undefined ? paperHandcraftedSettings() : o.handcrafted,
    deep:
      o.deep === null
        ? null
        : {
            backbone: o.deep?.backbone ?? "resnet10",
            preprocess: { ...DEFAULT_PREPROCESS, ...(o.deep?.preprocess ?? {}) },
            pooling: o.deep?.pooling ?? "global",
            roles: o.deep?.roles ?? o.roles ?? [...CASE_ROLES],
            regions: o.deep?.regions ?? o.regions ?? ["intra", "peri"],
          },
    clinical: o.clinical ?? CLINICAL_VARIABLES.map((v) => v.name),
  };
  return validateCaseFeatureSpec(spec);
}

export function validateCaseFeatureSpec(spec: CaseFeatureSpec): CaseFeatureSpec {
  const bad = (m: string): never => {
    throw new NacError("SETTINGS_INVALID", `case feature spec: ${m}`);
  };
  if (spec.specVersion !== 1) bad(`unknown specVersion ${String(spec.specVersion)}`);
  for (const r of spec.roles) if (!CASE_ROLES.includes(r)) bad(`unknown role ${r}`);
  for (const r of spec.regions) if (r !== "intra" && r !== "peri") bad(`unknown region ${r}`);
  if (spec.regions.includes("peri") && !(spec.periMarginMm > 0 && Number.isFinite(spec.periMarginMm))) bad("periMarginMm must be > 0");
  if (spec.periShellMode !== undefined && !PERI_SHELL_MODES.includes(spec.periShellMode)) bad(`unknown periShellMode ${String(spec.periShellMode)}`);
  // Resolved, so a spec stored before a setting existed (e.g. a bundle from before the image filters) carries its
  // default; settingsHash leaves such defaults out, so the stored hashes still match. Throws SETTINGS_INVALID.
  const handcrafted = spec.handcrafted ? resolveSettings(spec.handcrafted) : spec.handcrafted;
  if (spec.deep && !BACKBONES.includes(spec.deep.backbone)) bad(`unknown backbone ${spec.deep.backbone}`);
  if (spec.deep && spec.deep.roles.some((r) => !spec.roles.includes(r))) bad("deep roles must be among the spec's roles");
  if (spec.deep && spec.deep.regions.some((r) => !spec.regions.includes(r))) bad("deep regions must be among the spec's regions");
  const known = new Set(CLINICAL_VARIABLES.map((v) => v.name));
  for (const c of spec.clinical) if (!known.has(c)) bad(`unknown clinical variable ${c}`);
  if (new Set(spec.clinical).size !== spec.clinical.length) bad("duplicate clinical variables");
  return handcrafted === spec.handcrafted ? spec : { ...spec, handcrafted };
}

export function caseFeatureSpecHash(spec: CaseFeatureSpec): string {
  return sha256Hex(canonicalJson(spec));
}

/** One unit of extraction work (and of caching). */
export interface FeatureBlock {
  role: CaseRole;
  region: CaseRegion;
  extractor: Extractor;
}

export function caseBlocks(spec: CaseFeatureSpec): FeatureBlock[] {
  const out: FeatureBlock[] = [];
  for (const role of spec.roles) {
    for (const region of spec.regions) {
      if (spec.handcrafted) out.push({ role, region, extractor: "radiomics" });
      if (spec.deep && spec.deep.roles.includes(role) && spec.deep.regions.includes(region)) out.push({ role, region, extractor: "deep" });
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
  return b.extractor === "radiomics" ? `${RADIOMICS_ENGINE}@${RADIOMICS_VERSION}+case@${CASE_FEATURES_VERSION}` : `nacpredict-deep@${DEEP_ENGINE_VERSION}+case@${CASE_FEATURES_VERSION}`;
}

/**
 * Everything that determines a block's values besides the image and mask content. For deep features this includes the
 * encoder file's sha256, so imported MedicalNet weights never reuse features of the untrained encoder.
 */
export function blockParameters(b: FeatureBlock, spec: CaseFeatureSpec, modelSha256?: string): Record<string, unknown> {
  const region = b.region === "peri" ? { region: "peri", marginMm: spec.periMarginMm, shell: periShellModeOf(spec) } : { region: "intra" };
  if (b.extractor === "radiomics") return { ...region, settings: hashedSettings(spec.handcrafted!), settingsHash: settingsHash(spec.handcrafted!) };
  return { ...region, backbone: spec.deep!.backbone, preprocess: spec.deep!.preprocess, pooling: spec.deep!.pooling, modelSha256: modelSha256 ?? null };
}

export function blockParametersHash(b: FeatureBlock, spec: CaseFeatureSpec, modelSha256?: string): string {
  return sha256Hex(canonicalJson(blockParameters(b, spec, modelSha256)));
}

export function deepFeatureName(backbone: Backbone, i: number): string {
  return `${backbone}_${String(i).padStart(3, "0")}`;
}

export interface DeepSessionRef {
  session: EncoderSession;
  entry?: ModelEntry;
}

export interface CaseFeatureContext {
  /** Encoder sessions by backbone (server: lib/deep/node/encoder openEncoder). Required when the spec has deep features. */
  deepSessions?: Partial<Record<Backbone, DeepSessionRef>>;
  /** Work shared by the blocks of one image and tumour mask (see SeriesBlockWork); absent = each block builds its own. */
  shared?: SeriesBlockWork;
}

/**
 * What the blocks of one series and tumour ROI have in common, built once: the region masks (the peritumoral shell
 * costs more than a ResNet10 inference) and the encoder input of each region and preprocessing, which does not depend
 * on the backbone. One instance per (volume, tumour) pair; the values are those each block would build on its own.
 */
export class SeriesBlockWork {
  private readonly regions = new Map<string, Mask>();
  private readonly inputs = new Map<string, PreparedInput>();

  constructor(readonly volume: Volume, readonly tumour: Mask) {}

  region(region: CaseRegion, spec: CaseFeatureSpec): Mask {
    const key = region === "intra" ? "intra" : canonicalJson({ region, marginMm: spec.periMarginMm, shell: periShellModeOf(spec) });
    let m = this.regions.get(key);
    if (!m) this.regions.set(key, (m = regionMaskFor(this.tumour, region, spec)));
    return m;
  }

  deepInput(region: CaseRegion, spec: CaseFeatureSpec, preprocess: PreprocessOptions): PreparedInput {
    const key = canonicalJson({ region, marginMm: spec.periMarginMm, shell: periShellModeOf(spec), preprocess });
    let p = this.inputs.get(key);
    if (!p) this.inputs.set(key, (p = prepareDeepInput(this.volume, this.region(region, spec), { region: "intra", preprocess })));
    return p;
  }
}

/** A block's result: values by unprefixed feature name; failures by name (or "*" for the whole block). */
export interface BlockResult {
  values: Record<string, number>;
  failures: Record<string, string>;
  provenance: Record<string, unknown>;
}

function regionMaskFor(tumour: Mask, region: CaseRegion, spec: CaseFeatureSpec): Mask {
  if (region === "intra") {
    const data = new Uint8Array(tumour.data.length);
    for (let i = 0; i < data.length; i++) data[i] = tumour.data[i] ? 1 : 0;
    return { ...tumour, data };
  }
  // A tumour that fills the whole grid leaves no room for a shell: say so, as the centres shell does (MASK_EMPTY),
  // rather than as the surface estimate's error about its distance field.
  if (countMask(tumour) === tumour.data.length) throw new NacError("MASK_EMPTY", "peritumoral shell is empty: the tumour ROI fills the whole image");
  return peritumoralShell(tumour, spec.periMarginMm, { measureFrom: periShellModeOf(spec), label: 1 });
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
export async function extractBlock(volume: Volume, tumour: Mask, block: FeatureBlock, spec: CaseFeatureSpec, ctx: CaseFeatureContext = {}): Promise<BlockResult> {
  const t0 = performance.now();
  const base = { extractor: extractorId(block, spec), extractorVersion: extractorVersion(block), role: block.role, region: block.region };
  try {
    const shared = ctx.shared && ctx.shared.volume === volume && ctx.shared.tumour === tumour ? ctx.shared : null;
    if (block.extractor === "radiomics") {
      const mask = shared ? shared.region(block.region, spec) : regionMaskFor(tumour, block.region, spec);
      const r = extractFeatures(volume, mask, spec.handcrafted!);
      return {
        values: r.features,
        failures: r.failures,
        provenance: { ...base, settingsHash: r.settingsHash, engine: r.engine, regionVoxels: countMask(mask), ms: Math.round(performance.now() - t0) },
      };
    }
    const deep = spec.deep!;
    const ref = ctx.deepSessions?.[deep.backbone];
    if (!ref) throw new NacError("SETTINGS_INVALID", `no encoder session for ${deep.backbone}: deep features were requested`);
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
      provenance: { ...base, modelSha256: ref.entry?.sha256 ?? null, modelLabel: d.model?.label ?? null, regionVoxels: d.stats.voxels, crop: d.crop, ms: Math.round(performance.now() - t0) },
    };
  } catch (e) {
    if (isNacError(e) && (e.code === "MASK_EMPTY" || e.code === "FEATURE_NOT_COMPUTABLE" || e.code === "GEOMETRY_MISMATCH")) {
      return { values: {}, failures: { "*": `${e.code}: ${e.message}` }, provenance: { ...base, ms: Math.round(performance.now() - t0) } };
    }
    throw e;
  }
}

export interface CaseSeriesInput {
  role: CaseRole;
  volume: Volume;
  tumour: Mask | null;
}

export interface CaseInput {
  series: CaseSeriesInput[];
  clinical: Record<string, unknown> | null;
}

export interface MissingFeature {
  /** A feature name, or a group pattern such as `T2.*` (no T2 series) or `CT.peri.*` (no value in that block). */
  name: string;
  reason: string;
}

export interface CaseFeatures {
  values: Record<string, number>;
  missing: MissingFeature[];
  provenance: {
    caseFeaturesVersion: string;
    specHash: string;
    blocks: Record<string, unknown>[];
    clinical: { present: boolean; encoded: string[] };
  };
}

/** Block outcome as given to assembleCaseFeatures: a result, or why there is none. */
export type BlockOutcome = { block: FeatureBlock; result: BlockResult } | { block: FeatureBlock; absent: string };

/** Prefixes block results into the named row and lists every missing feature or group with its reason. */
export function assembleCaseFeatures(spec: CaseFeatureSpec, blocks: BlockOutcome[], clinical: Record<string, unknown> | null): CaseFeatures {
  const values: Record<string, number> = {};
  const missing: MissingFeature[] = [];
  const prov: Record<string, unknown>[] = [];
  const absentRoles = new Map<CaseRole, string>();
  for (const o of blocks) {
    const prefix = blockPrefix(o.block);
    if ("absent" in o) {
      // One entry per role when the whole series (or its ROI) is absent, rather than one per block.
      if (absentRoles.get(o.block.role) !== o.absent) {
        absentRoles.set(o.block.role, o.absent);
        missing.push({ name: `${o.block.role}.*`, reason: o.absent });
      }
      continue;
    }
    const tag = o.block.extractor === "deep" ? `${prefix}${spec.deep!.backbone}_*` : `${prefix}${spec.handcrafted!.imageTypePrefix}_*`;
    for (const [k, v] of Object.entries(o.result.values)) {
      if (!Number.isFinite(v)) missing.push({ name: prefix + k, reason: "not a finite number" });
      else values[prefix + k] = v;
    }
    for (const [k, reason] of Object.entries(o.result.failures)) missing.push({ name: k === "*" ? tag : prefix + k, reason });
    prov.push(o.result.provenance);
  }
  const enc = encodeClinical(clinical, spec.clinical);
  Object.assign(values, enc.values);
  missing.push(...enc.missing);
  return {
    values,
    missing,
    provenance: { caseFeaturesVersion: CASE_FEATURES_VERSION, specHash: caseFeatureSpecHash(spec), blocks: prov, clinical: { present: clinical !== null, encoded: Object.keys(enc.values) } },
  };
}

/** All blocks of the spec for one case, computed in order (no cache). */
export async function extractCaseFeatures(input: CaseInput, spec: CaseFeatureSpec, ctx: CaseFeatureContext = {}): Promise<CaseFeatures> {
  validateCaseFeatureSpec(spec);
  const outcomes: BlockOutcome[] = [];
  for (const block of caseBlocks(spec)) {
    const s = input.series.find((x) => x.role === block.role);
    if (!s) outcomes.push({ block, absent: `no ${block.role.replace("_", "-")} series` });
    else if (!s.tumour) outcomes.push({ block, absent: `no tumour ROI on the ${block.role.replace("_", "-")} series` });
    else outcomes.push({ block, result: await extractBlock(s.volume, s.tumour, block, spec, ctx) });
  }
  return assembleCaseFeatures(spec, outcomes, input.clinical);
}
