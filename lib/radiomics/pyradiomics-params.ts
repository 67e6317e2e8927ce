/**
 * pyradiomics parameter files (YAML: imageType, featureClass, setting) -> our settings. Settings that do not change
 * feature values (additionalInfo, enableCExtensions, ...) are accepted and ignored; anything we cannot honour
 * exactly (LBP image types, shape2D, several distances, ...) is refused with SETTINGS_INVALID rather than silently
 * computing something else. Image types (Original, LoG, Wavelet, Square, SquareRoot, Logarithm, Exponential,
 * Gradient) take their filter parameters from their own block or from `setting` (sigma, wavelet, level, start_level,
 * gradientUseSpacing), and may override binWidth / binCount / voxelArrayShift for their own features.
 */
import { load as loadYaml, parseEvents } from "js-yaml";
import { NacError } from "@/lib/errors/nac-error";
import type { Family, SettingsInput } from "./settings";
import {
  pythonFloatString,
  unsupportedImageType,
  type FeatureOverrides,
  type ImageType,
} from "./filters/pyradiomics-image-types";

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
  if (typeof v !== "number" || !Number.isFinite(v))
    invalid(`pyradiomics setting ${key} must be a number, got ${JSON.stringify(v)}`);
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
      if (!m)
        invalid(
          `interpolator ${JSON.stringify(value)} is not supported (sitkNearestNeighbor, sitkLinear, sitkBSpline)`,
        );
      out.interpolator = m;
      return true;
    }
    case "resampledPixelSpacing": {
      if (value === null) {
        out.resampledSpacing = null;
        return true;
      }
      if (!Array.isArray(value) || value.length !== 3 || value.some((v) => typeof v !== "number" || !(v >= 0))) {
        invalid(
          `resampledPixelSpacing must be three numbers >= 0 (0 keeps that axis' spacing), got ${JSON.stringify(value)}`,
        );
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
      if (!Array.isArray(value) || value.length < 1 || value.length > 2)
        invalid(`resegmentRange must be [lower] or [lower, upper]`);
      out.resegmentRange = [num(key, value[0]), value.length === 2 ? num(key, value[1]) : null];
      return true;
    }
    case "resegmentMode":
      if (value !== "absolute" && value !== "relative" && value !== "sigma")
        invalid(`resegmentMode must be absolute, relative or sigma`);
      out.resegmentMode = value;
      return true;
    case "resegmentShape":
      if (value) invalid("resegmentShape (re-segmenting the shape mask) is not supported");
      return true;
    case "voxelArrayShift":
      out.voxelArrayShift = num(key, value);
      return true;
    case "preCrop":
      out.preCrop = value === true;
      return true;
    case "force2D":
      out.force2D = value === true;
      return true;
    case "force2Ddimension":
      if (value !== 0) invalid("force2Ddimension other than 0 (axial) is not supported");
      return true;
    case "distances":
      if (!Array.isArray(value) || value.length !== 1)
        invalid(`distances must hold exactly one distance, got ${JSON.stringify(value)}`);
      out.distance = num(key, value[0]);
      return true;
    case "weightingNorm":
      if (value !== null && !["manhattan", "euclidean", "infinity", "no_weighting"].includes(String(value)))
        invalid(`unknown weightingNorm ${JSON.stringify(value)}`);
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

/** A parameter file before translation: what `--setting` edits (pyradiomics names). */
export interface PyradiomicsDoc {
  imageType: Record<string, Record<string, unknown>>;
  featureClass: Record<string, unknown> | null;
  setting: Record<string, unknown>;
  /** sigma values written as integers in the YAML (pyradiomics names them "3", not "3.0"). */
  integerSigmas: Set<number>;
}

/** Filter parameters pyradiomics reads from an image type's block or from `setting`. */
const FILTER_KEYS = new Set(["sigma", "wavelet", "level", "start_level", "gradientUseSpacing"]);
const OVERRIDE_KEYS = new Set(["binWidth", "binCount", "voxelArrayShift"]);

/** Numbers written as plain integers inside any `sigma:` sequence (js-yaml loads 3 and 3.0 alike). */
function integerSigmas(text: string): Set<number> {
  const out = new Set<number>();
  const stack: { seq: boolean; key: string | null; expectKey: boolean; sigma: boolean }[] = [];
  for (const ev of parseEvents(text, {}) as unknown as Iterable<{
    type: number;
    valueStart?: number;
    valueEnd?: number;
  }>) {
    const top = stack[stack.length - 1];
    if (ev.type === 3 || ev.type === 2) {
      const sigma = !!top && !top.seq && top.key === "sigma";
      if (top && !top.seq) top.expectKey = true;
      stack.push({ seq: ev.type === 2, key: null, expectKey: true, sigma: sigma || (!!top && top.sigma && top.seq) });
    } else if (ev.type === 4 && top) {
      const raw = text.slice(ev.valueStart, ev.valueEnd).trim();
      if (top.seq) {
        if (top.sigma && /^[-+]?\d+$/.test(raw)) out.add(Number(raw));
      } else if (top.expectKey) {
        top.key = raw;
        top.expectKey = false;
      } else {
        if (top.key === "sigma" && /^[-+]?\d+$/.test(raw)) out.add(Number(raw));
        top.expectKey = true;
      }
    } else if (ev.type === 6) {
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent && !parent.seq) parent.expectKey = true;
    }
  }
  return out;
}

/** A parameter file enabling only Original with default settings (pyradiomics mode without --params). */
export function emptyPyradiomicsDoc(): PyradiomicsDoc {
  return { imageType: { Original: {} }, featureClass: null, setting: {}, integerSigmas: new Set() };
}

export function parsePyradiomicsDoc(text: string): PyradiomicsDoc {
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch (e) {
    invalid(`parameter file is not valid YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out: PyradiomicsDoc = {
    imageType: { Original: {} },
    featureClass: null,
    setting: {},
    integerSigmas: new Set(),
  };
  if (doc === null || doc === undefined) return out;
  if (typeof doc !== "object" || Array.isArray(doc)) invalid("parameter file must be a mapping");
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d))
    if (!["imageType", "featureClass", "setting", "voxelSetting"].includes(k)) invalid(`unknown top-level key ${k}`);
  if (d.voxelSetting !== undefined) invalid("voxel-based extraction (voxelSetting) is not supported");
  try {
    out.integerSigmas = integerSigmas(text);
  } catch {
    // The YAML loaded above; an event-level surprise only costs the int/float distinction of sigma names.
  }
  if (d.imageType !== undefined && d.imageType !== null) {
    if (typeof d.imageType !== "object" || Array.isArray(d.imageType)) invalid("imageType must be a mapping");
    out.imageType = {};
    for (const [t, cfg] of Object.entries(d.imageType as Record<string, unknown>)) {
      if (cfg !== null && cfg !== undefined && (typeof cfg !== "object" || Array.isArray(cfg)))
        invalid(`imageType.${t} must be a mapping`);
      out.imageType[t] = { ...((cfg as Record<string, unknown>) ?? {}) };
    }
  }
  if (d.featureClass !== undefined && d.featureClass !== null)
    out.featureClass = d.featureClass as Record<string, unknown>;
  if (d.setting !== undefined && d.setting !== null) {
    if (typeof d.setting !== "object" || Array.isArray(d.setting)) invalid("setting must be a mapping");
    out.setting = { ...(d.setting as Record<string, unknown>) };
  }
  return out;
}

function intOf(key: string, v: unknown, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min)
    invalid(`${key} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function imageTypeOf(
  name: string,
  cfg: Record<string, unknown>,
  global: Record<string, unknown>,
  integerSigma: Set<number>,
): ImageType {
  const get = (k: string) => (k in cfg ? cfg[k] : global[k]);
  const overrides: FeatureOverrides = {};
  for (const [k, v] of Object.entries(cfg)) {
    if (OVERRIDE_KEYS.has(k)) (overrides as Record<string, number>)[k] = num(`imageType.${name}.${k}`, v);
    else if (!FILTER_KEYS.has(k))
      invalid(
        `imageType.${name}.${k}: only the filter's parameters and binWidth, binCount, voxelArrayShift can be set per image type`,
      );
  }
  switch (name) {
    case "Original":
    case "Square":
    case "SquareRoot":
    case "Logarithm":
    case "Exponential":
      return { type: name, overrides };
    case "Gradient": {
      const u = get("gradientUseSpacing") ?? true;
      if (typeof u !== "boolean") invalid("gradientUseSpacing must be true or false");
      return { type: "Gradient", useSpacing: u, overrides };
    }
    case "LoG": {
      const sigma = get("sigma");
      // pyradiomics computes no LoG image without sigma (a warning); refusing says so instead of dropping features.
      if (!Array.isArray(sigma) || sigma.length === 0)
        invalid("image type LoG needs sigma: a list of values in mm (e.g. [1.0, 3.0, 5.0])");
      return {
        type: "LoG",
        sigma: sigma.map((v) => {
          const x = num("sigma", v);
          if (!(x > 0)) invalid(`LoG sigma must be greater than 0, got ${x}`);
          return { value: x, name: Number.isInteger(x) && integerSigma.has(x) ? String(x) : pythonFloatString(x) };
        }),
        overrides,
      };
    }
    case "Wavelet": {
      const w = get("wavelet") ?? "coif1";
      if (typeof w !== "string") invalid("wavelet must be a wavelet name such as coif1");
      return {
        type: "Wavelet",
        wavelet: w,
        level: intOf("level", get("level") ?? 1, 1),
        startLevel: intOf("start_level", get("start_level") ?? 0, 0),
        overrides,
      };
    }
  }
  return unsupportedImageType(name);
}

/** Translate a parameter file (possibly edited by --setting) into a settings input in pyradiomics mode. */
export function pyradiomicsDocToSettings(doc: PyradiomicsDoc): SettingsInput {
  const out: SettingsInput = { mode: "pyradiomics" };
  const types = Object.entries(doc.imageType);
  if (types.length === 0) invalid("imageType enables no image type");
  out.imageTypes = types.map(([t, cfg]) => imageTypeOf(t, cfg, doc.setting, doc.integerSigmas));
  if (doc.featureClass) {
    const families: Family[] = [];
    const filter: Record<string, string[] | null> = {};
    for (const [cls, feats] of Object.entries(doc.featureClass)) {
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
  for (const [k, v] of Object.entries(doc.setting)) {
    if (FILTER_KEYS.has(k)) continue;
    if (!applyPyradiomicsSetting(out, k, v)) invalid(`unknown pyradiomics setting ${k}`);
  }
  return out;
}

/** Parse a pyradiomics YAML parameter file into a settings input in pyradiomics mode. */
export function parsePyradiomicsParams(text: string): SettingsInput {
  return pyradiomicsDocToSettings(parsePyradiomicsDoc(text));
}

/**
 * Apply one `--setting key=value` to a parameter file: `imageType.<Type>=<mapping>` enables (or reconfigures) an image
 * type, `imageType.<Type>=null` disables it; every other key is a pyradiomics setting. Returns false for keys that are
 * neither (the caller may treat them as our own settings).
 */
export function applyPyradiomicsDocSetting(doc: PyradiomicsDoc, key: string, value: unknown): boolean {
  const m = /^imageType\.(\w+)$/.exec(key);
  if (m) {
    if (value === null) delete doc.imageType[m[1]];
    else if (typeof value === "object" && !Array.isArray(value))
      doc.imageType[m[1]] = { ...(value as Record<string, unknown>) };
    else invalid(`${key} must be a JSON mapping of the image type's settings (e.g. {"sigma": [1, 3]}) or null`);
    return true;
  }
  const probe: SettingsInput = {};
  if (FILTER_KEYS.has(key) || applyPyradiomicsSetting(probe, key, value)) {
    doc.setting[key] = value;
    return true;
  }
  return false;
}
