/**
 * Deep features of one region of one image: region mask -> preprocessing -> encoder -> pooled vector.
 * Runtime-neutral (the session decides onnxruntime-node or -web), so server, CLI and browser share it.
 */
import { NacError } from "../errors";
import type { Mask, Volume } from "../imaging/volume";
import type { Backbone } from "./architecture";
import { modelLabel, type ModelEntry } from "./models";
import { maskedPool, preprocessRegion, type PreparedInput, type PreprocessOptions } from "./preprocess";
import { regionMask, type DeepRegion } from "./regions";
import type { EncoderSession } from "./runtime";

export type DeepPooling = "global" | "masked";

export interface DeepFeatureOptions {
  region: DeepRegion;
  /** peritumoral shell thickness in mm (region "peri"); default 5 */
  marginMm?: number;
  backbone: Backbone;
  session: EncoderSession;
  preprocess?: Partial<PreprocessOptions>;
  /** "global" (default): mean over the whole layer4 map, as MedicalNet-based studies pool; "masked": region only */
  pooling?: DeepPooling;
  /** manifest entry of the model behind `session`, to carry its origin label */
  model?: ModelEntry;
  /**
   * The encoder input of this image, mask, region and preprocessing, already made by prepareDeepInput (it does not
   * depend on the backbone: a batch extraction prepares it once for the four encoders).
   */
  prepared?: PreparedInput;
}

/** Region mask -> cropped, resampled, masked, z-scored encoder input: the backbone-independent part of extraction. */
export function prepareDeepInput(
  image: Volume,
  mask: Mask,
  opts: Pick<DeepFeatureOptions, "region" | "marginMm" | "preprocess">,
): PreparedInput {
  const region = regionMask(mask, opts.region, opts.marginMm ?? DEFAULT_PERI_MARGIN_MM);
  return preprocessRegion(image, region, opts.preprocess);
}

export interface DeepFeatures {
  backbone: Backbone;
  region: DeepRegion;
  marginMm: number | null;
  pooling: DeepPooling;
  features: number[];
  preprocess: PreprocessOptions;
  stats: { mean: number; std: number; voxels: number };
  crop: { from: [number, number, number]; to: [number, number, number] };
  runtime: EncoderSession["runtime"];
  model?: { origin: ModelEntry["origin"]; label: string; sha256: string };
}

export const DEFAULT_PERI_MARGIN_MM = 5;

export async function extractDeepFeatures(image: Volume, mask: Mask, opts: DeepFeatureOptions): Promise<DeepFeatures> {
  const marginMm = opts.marginMm ?? DEFAULT_PERI_MARGIN_MM;
  const pooling = opts.pooling ?? "global";
  if (pooling !== "global" && pooling !== "masked")
    throw new NacError("SETTINGS_INVALID", `pooling must be global or masked`);
  if (opts.model && opts.model.backbone !== opts.backbone) {
    throw new NacError("SETTINGS_INVALID", `model ${opts.model.backbone} given for backbone ${opts.backbone}`);
  }
  const prep = opts.prepared ?? prepareDeepInput(image, mask, opts);
  const out = await opts.session.run(prep.input, prep.dims, { map: pooling === "masked" });
  const vec = pooling === "masked" ? maskedPool(out.map!, prep.region, prep.dims) : out.features;
  for (let i = 0; i < vec.length; i++) {
    if (!Number.isFinite(vec[i])) throw new NacError("FEATURE_NOT_COMPUTABLE", `deep feature ${i} is not finite`);
  }
  return {
    backbone: opts.backbone,
    region: opts.region,
    marginMm: opts.region === "peri" ? marginMm : null,
    pooling,
    features: Array.from(vec),
    preprocess: prep.options,
    stats: prep.stats,
    crop: prep.crop,
    runtime: opts.session.runtime,
    model: opts.model
      ? { origin: opts.model.origin, label: modelLabel(opts.model), sha256: opts.model.sha256 }
      : undefined,
  };
}
