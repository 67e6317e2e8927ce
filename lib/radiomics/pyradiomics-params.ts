/**
 * pyradiomics parameter files (YAML: imageType, featureClass, setting) -> our settings. Settings that do not change
 * feature values (additionalInfo, enableCExtensions, ...) are accepted and ignored; anything we cannot honour
 * exactly (filters other than Original, shape2D, several distances, ...) is refused with SETTINGS_INVALID rather than
 * silently computing something else.
 */
import { load as loadYaml } from "js-yaml";
import { NacError } from "@/lib/errors/nac-error";
import type { Family, SettingsInput } from "./settings";

const CLASS_TO_FAMILY: Record<string, Family> = {
  shape: "morphology",
  firstorder: "intensity_statistics",
  glcm: "glcm",
  glrlm: "glrlm",
  glszm: "glszm",
  gldm: "ngldm",
  ngtdm: "ngtdm",
};

const IGNORED_SETTINGS = new Set([
  "additionalInfo",
  "enableCExtensions",
  "minimumROIDimensions",
  "minimumROISize",
  "preCrop",
  "correctMask",
  "geometryTolerance",
  "resampledPixelSpacingTolerance",
]);

const INTERPOLATORS: Record<string, "nearest" | "linear" | "bspline"> = {
  sitkNearestNeighbor: "nearest",
  sitkLinear: "linear",
  sitkBSpline: "bspline",
};

function invalid(msg: string): never {
  throw new NacError("SETTINGS_INVALID", msg);
}

function num(key: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) invalid(`pyradiomics setting ${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** Translate one pyradiomics `setting` entry into our settings (mutates `out`). Returns false for unknown keys. */
export function applyPyradiomicsSetting(out: SettingsInput, key: string, value: unknown): boolean {
  if (IGNORED_SETTINGS.has(key)) return true;
  switch (key) {
    case "binWidth":
      out.discretisation = { method: "fixedBinSize", binWidth: num(key, value), lowerBound: null };
      return true;
    case "binCount":
      out.discretisation = { method: "fixedBinNumber", binCount: num(key, value) };
      return true;
    case "label":
      out.label = num(key, value);
      return true;
    case "interpolator": {
      if (value === null) return true;
      const m = typeof value === "string" ? INTERPOLATORS[value] : undefined;
      if (!m) invalid(`interpolator ${JSON.stringify(value)} is not supported (sitkNearestNeighbor, sitkLinear, sitkBSpline)`);
      out.interpolator = m;
      return true;
    }
    case "resampledPixelSpacing": {
      if (value === null) {
        out.resampledSpacing = null;
        return true;
      }
      if (!Array.isArray(value) || value.length !== 3 || value.some((v) => typeof v !== "number" || !(v >= 0))) {
        invalid(`resampledPixelSpacing must be three numbers >= 0 (0 keeps that axis' spacing), got ${JSON.stringify(value)}`);
      }
      out.resampledSpacing = [value[0], value[1], value[2]];
      return true;
    }
    case "padDistance":
      out.padDistance = num(key, value);
      return true;
    case "normalize":
      out.normalize = value === true;
      return true;
    case "normalizeScale":
      out.normalizeScale = num(key, value);
      return true;
    case "removeOutliers":
      out.removeOutliers = value === null ? null : num(key, value);
      return true;
    case "resegmentRange": {
      if (value === null) {
        out.resegmentRange = null;
        return true;
      }
      if (!Array.isArray(value) || value.length < 1 || value.length > 2) invalid(`resegmentRange must be [lower] or [lower, upper]`);
      out.resegmentRange = [num(key, value[0]), value.length === 2 ? num(key, value[1]) : null];
      return true;
    }
    case "resegmentMode":
      if (value !== "absolute" && value !== "relative" && value !== "sigma") invalid(`resegmentMode must be absolute, relative or sigma`);
      out.resegmentMode = value;
      return true;
    case "resegmentShape":
      if (value) invalid("resegmentShape (re-segmenting the shape mask) is not supported");
      return true;
    case "voxelArrayShift":
      out.voxelArrayShift = num(key, value);
      return true;
    case "force2D":
      out.force2D = value === true;
      return true;
    case "force2Ddimension":
      if (value !== 0) invalid("force2Ddimension other than 0 (axial) is not supported");
      return true;
    case "distances":
      if (!Array.isArray(value) || value.length !== 1) invalid(`distances must hold exactly one distance, got ${JSON.stringify(value)}`);
      out.distance = num(key, value[0]);
      return true;
    case "weightingNorm":
      if (value !== null && !["manhattan", "euclidean", "infinity", "no_weighting"].includes(String(value))) invalid(`unknown weightingNorm ${JSON.stringify(value)}`);
      out.weightingNorm = value as SettingsInput["weightingNorm"];
      return true;
    case "gldm_a":
      out.ngldmAlpha = num(key, value);
      return true;
    case "symmetricalGLCM":
      out.symmetricalGLCM = value !== false;
      return true;
    default:
      return false;
  }
}

/** Parse a pyradiomics YAML parameter file into a settings input in pyradiomics mode. */
export function parsePyradiomicsParams(text: string): SettingsInput {
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch (e) {
    invalid(`parameter file is not valid YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out: SettingsInput = { mode: "pyradiomics" };
  if (doc === null || doc === undefined) return out;
  if (typeof doc !== "object" || Array.isArray(doc)) invalid("parameter file must be a mapping");
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!["imageType", "featureClass", "setting", "voxelSetting"].includes(k)) invalid(`unknown top-level key ${k}`);
  if (d.voxelSetting !== undefined) invalid("voxel-based extraction (voxelSetting) is not supported");
  if (d.imageType !== undefined && d.imageType !== null) {
    const types = d.imageType as Record<string, unknown>;
    for (const [t, cfg] of Object.entries(types)) {
      if (t !== "Original") invalid(`image type ${t} is not supported (only Original)`);
      if (cfg && typeof cfg === "object" && Object.keys(cfg).length > 0) {
        for (const [k, v] of Object.entries(cfg)) if (!applyPyradiomicsSetting(out, k, v)) invalid(`unknown pyradiomics setting ${k}`);
      }
    }
  }
  if (d.featureClass !== undefined && d.featureClass !== null) {
    const classes = d.featureClass as Record<string, unknown>;
    const families: Family[] = [];
    const filter: Record<string, string[] | null> = {};
    for (const [cls, feats] of Object.entries(classes)) {
      const fam = CLASS_TO_FAMILY[cls];
      if (!fam) invalid(`feature class ${cls} is not supported (${Object.keys(CLASS_TO_FAMILY).join(", ")})`);
      families.push(fam);
      // pyradiomics: nothing or an empty list enables every (non-deprecated) feature of the class.
      if (feats === null || feats === undefined || (Array.isArray(feats) && feats.length === 0)) filter[cls] = null;
      else if (Array.isArray(feats) && feats.every((x) => typeof x === "string")) filter[cls] = feats as string[];
      else invalid(`featureClass.${cls} must be null or a list of feature names`);
    }
    out.families = families;
    out.featureClass = filter;
  }
  if (d.setting !== undefined && d.setting !== null) {
    for (const [k, v] of Object.entries(d.setting as Record<string, unknown>)) {
      if (!applyPyradiomicsSetting(out, k, v)) invalid(`unknown pyradiomics setting ${k}`);
    }
  }
  return out;
}
