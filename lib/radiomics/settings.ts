/**
 * Extraction settings: one zod schema for both modes, with mode-specific defaults. `resolveSettings` turns a partial
 * input into the complete settings object that is stored (and hashed) with every result, so a result always says
 * exactly how it was computed.
 */
import { z } from "zod";
import { NacError } from "@/lib/errors/nac-error";
import { canonicalJson } from "../hash/canonical-json";
import { sha256Hex } from "../hash/sha256";
import { IbsiFilterSchema } from "./filters/ibsi";
import { ImageTypeSchema } from "./filters/pyradiomics-image-types";

export const FAMILIES = [
  "morphology",
  "local_intensity",
  "intensity_statistics",
  "intensity_histogram",
  "intensity_volume_histogram",
  "glcm",
  "glrlm",
  "glszm",
  "gldzm",
  "ngtdm",
  "ngldm",
] as const;
export type Family = (typeof FAMILIES)[number];

/** Families available per mode (pyradiomics has no local intensity, IVH, IH-as-family or GLDZM). */
export const MODE_FAMILIES: Record<"ibsi" | "pyradiomics", readonly Family[]> = {
  ibsi: FAMILIES,
  pyradiomics: ["morphology", "intensity_statistics", "glcm", "glrlm", "glszm", "ngtdm", "ngldm"],
};

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().min(0);
const bound = z.number().finite().nullable();

const DiscretisationSchema = z.discriminatedUnion("method", [
  z.object({
    method: z.literal("fixedBinSize"),
    binWidth: positive,
    /** IBSI: lower edge of bin 1; null = re-segmentation lower bound if set, else ROI minimum. Ignored in pyradiomics mode. */
    lowerBound: bound.default(null),
  }),
  z.object({ method: z.literal("fixedBinNumber"), binCount: z.number().int().min(1) }),
]);

const IvhDiscretisationSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("none") }),
  z.object({ method: z.literal("fbs"), binWidth: positive }),
  z.object({ method: z.literal("fbn"), binCount: z.number().int().min(1) }),
]);

export const RadiomicsSettingsSchema = z
  .object({
    mode: z.enum(["ibsi", "pyradiomics"]),
    label: z.number().int().min(1).max(255),
    families: z.array(z.enum(FAMILIES)).min(1),
    /** pyradiomics featureClass filter: class -> enabled feature names (null = all). Only used in pyradiomics mode. */
    featureClass: z.record(z.string(), z.array(z.string()).nullable()).nullable(),
    /** pyradiomics feature-name prefix (image type). */
    imageTypePrefix: z.string().min(1),

    // Interpolation (IBSI grid in ibsi mode, pyradiomics' bounding-box grid in pyradiomics mode).
    /** Target spacing (mm, x y z); 0 on an axis keeps that axis' spacing (as pyradiomics). */
    resampledSpacing: z.tuple([nonNegative, nonNegative, nonNegative]).nullable(),
    interpolator: z.enum(["nearest", "linear", "bspline"]),
    /** Interpolate in-plane only (IBSI 2D configurations). */
    inPlaneOnly: z.boolean(),
    maskInterpolator: z.enum(["nearest", "linear"]),
    maskThreshold: z.number().gt(0).max(1),
    /** Round interpolated intensities to integers (IBSI, for calibrated integer data such as CT). */
    roundIntensities: z.boolean(),
    /** pyradiomics padDistance (voxels around the ROI kept when resampling). */
    padDistance: z.number().int().min(0),

    // pyradiomics normalisation of the whole image (before resampling).
    normalize: z.boolean(),
    normalizeScale: positive,
    removeOutliers: positive.nullable(),

    // Re-segmentation of the intensity mask.
    resegmentRange: z.tuple([bound, bound]).nullable(),
    /** pyradiomics' resegmentMode; IBSI uses "absolute". */
    resegmentMode: z.enum(["absolute", "relative", "sigma"]),
    /** IBSI outlier filtering: keep mean +- k SD (k = 3 in IBSI); null = off. */
    outlierSigma: positive.nullable(),

    discretisation: DiscretisationSchema,
    ivhDiscretisation: IvhDiscretisationSchema,

    // Texture.
    aggregation: z.array(z.enum(["2D", "2.5D", "3D"])).min(1),
    distance: z.number().int().min(1),
    ngldmAlpha: z.number().min(0),
    symmetricalGLCM: z.boolean(),
    weightingNorm: z.enum(["manhattan", "euclidean", "infinity", "no_weighting"]).nullable(),
    force2D: z.boolean(),

    /** pyradiomics: added to intensities for Energy, TotalEnergy and RootMeanSquared. */
    voxelArrayShift: z.number().finite(),
    /** Moran's I / Geary's C (exact, FFT-based for large ROIs) are computed only up to this many intensity-mask voxels. */
    maxAutocorrelationVoxels: z.number().int().min(2),
    /**
     * IBSI mode: an IBSI 2 convolutional filter applied to the (interpolated) image after re-segmentation, as IBSI 2
     * phase 2 defines it: the ROI and re-segmentation come from the unfiltered image, the features are the
     * intensity-based statistics of the response map in that ROI. null = the unfiltered image.
     */
    filter: IbsiFilterSchema.nullable(),
    /**
     * pyradiomics mode: the image types features are computed on (parameter file `imageType`), in order. Shape is
     * computed once (original_shape_*); every other class per derived image, named `<image>_<class>_<feature>`.
     */
    imageTypes: z.array(ImageTypeSchema).min(1),
    /** pyradiomics preCrop: without resampling, filter the image cropped to the ROI box plus padDistance. */
    preCrop: z.boolean(),
  })
  .strict();

export type RadiomicsSettings = z.infer<typeof RadiomicsSettingsSchema>;
export type SettingsInput = Partial<RadiomicsSettings> & { mode?: "ibsi" | "pyradiomics" };

export function defaultSettings(mode: "ibsi" | "pyradiomics"): RadiomicsSettings {
  const common = {
    label: 1,
    featureClass: null,
    imageTypePrefix: "original",
    resampledSpacing: null,
    inPlaneOnly: false,
    maskThreshold: 0.5,
    padDistance: 5,
    normalize: false,
    normalizeScale: 1,
    removeOutliers: null,
    resegmentRange: null,
    resegmentMode: "absolute" as const,
    outlierSigma: null,
    distance: 1,
    ngldmAlpha: 0,
    symmetricalGLCM: true,
    weightingNorm: null,
    force2D: false,
    maxAutocorrelationVoxels: 2_000_000,
    filter: null,
    imageTypes: [{ type: "Original" as const, overrides: {} }],
    preCrop: false,
  };
  if (mode === "pyradiomics") {
    return {
      ...common,
      mode,
      families: [...MODE_FAMILIES.pyradiomics],
      interpolator: "bspline",
      maskInterpolator: "nearest",
      roundIntensities: false,
      discretisation: { method: "fixedBinSize", binWidth: 25, lowerBound: null },
      ivhDiscretisation: { method: "none" },
      aggregation: ["3D"],
      voxelArrayShift: 0,
    };
  }
  return {
    ...common,
    mode,
    families: [...MODE_FAMILIES.ibsi],
    interpolator: "linear",
    maskInterpolator: "linear",
    roundIntensities: false,
    discretisation: { method: "fixedBinNumber", binCount: 32 },
    ivhDiscretisation: { method: "none" },
    aggregation: ["3D"],
    voxelArrayShift: 0,
  };
}

/** Complete and validate settings; unknown keys and invalid values throw SETTINGS_INVALID. */
export function resolveSettings(input: unknown = {}): RadiomicsSettings {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new NacError("SETTINGS_INVALID", "settings must be an object");
  }
  const mode = (input as { mode?: unknown }).mode ?? "ibsi";
  if (mode !== "ibsi" && mode !== "pyradiomics")
    throw new NacError("SETTINGS_INVALID", `mode must be "ibsi" or "pyradiomics", got ${String(mode)}`);
  // An explicit `undefined` means "not given": keep the default.
  const given = Object.fromEntries(Object.entries(input as object).filter(([, v]) => v !== undefined));
  const merged = { ...defaultSettings(mode), ...given, mode };
  const parsed = RadiomicsSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new NacError("SETTINGS_INVALID", `invalid radiomics settings: ${msg}`);
  }
  const s = parsed.data;
  const allowed = MODE_FAMILIES[s.mode];
  for (const f of s.families) {
    if (!allowed.includes(f)) throw new NacError("SETTINGS_INVALID", `family ${f} is not available in ${s.mode} mode`);
  }
  if (s.mode === "ibsi" && (s.weightingNorm !== null || s.force2D)) {
    throw new NacError(
      "SETTINGS_INVALID",
      "weightingNorm and force2D are pyradiomics settings; IBSI mode uses `aggregation`",
    );
  }
  if (s.mode === "ibsi" && (s.normalize || s.resegmentMode !== "absolute")) {
    throw new NacError("SETTINGS_INVALID", "normalize and resegmentMode are pyradiomics settings");
  }
  if (s.mode === "ibsi" && (s.imageTypes.length !== 1 || s.imageTypes[0].type !== "Original" || s.preCrop)) {
    throw new NacError(
      "SETTINGS_INVALID",
      "imageTypes and preCrop are pyradiomics settings; IBSI mode filters with `filter`",
    );
  }
  if (s.filter !== null) {
    if (s.mode !== "ibsi")
      throw new NacError(
        "SETTINGS_INVALID",
        "`filter` is an IBSI mode setting; pyradiomics mode takes image types (imageType) instead",
      );
    const other = s.families.filter((f) => f !== "intensity_statistics");
    if (other.length > 0) {
      throw new NacError(
        "SETTINGS_INVALID",
        `IBSI 2 defines features of filtered images for intensity_statistics only; remove ${other.join(", ")} from families`,
      );
    }
  }
  return s;
}

/** sha256 of the canonical JSON of complete settings. */
/**
 * Settings added after hashes were first stored (feature caches, model bundles) enter the hash only when they differ
 * from their default, so the settings every earlier hash was made from keep that hash.
 */
const LATER_SETTING_DEFAULTS: Partial<Record<keyof RadiomicsSettings, unknown>> = {
  filter: null,
  imageTypes: [{ type: "Original", overrides: {} }],
  preCrop: false,
};

/** The settings as hashed: those later settings left out while at their default. */
export function hashedSettings(s: RadiomicsSettings): Record<string, unknown> {
  const hashed: Record<string, unknown> = { ...s };
  for (const [k, d] of Object.entries(LATER_SETTING_DEFAULTS))
    if (canonicalJson(hashed[k]) === canonicalJson(d)) delete hashed[k];
  return hashed;
}

export function settingsHash(s: RadiomicsSettings): string {
  return sha256Hex(canonicalJson(hashedSettings(s)));
}
