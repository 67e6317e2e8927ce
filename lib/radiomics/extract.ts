/**
 * The radiomics orchestrator: image + mask + settings -> every feature of the enabled families, with full settings,
 * settings hash and engine version. Same core for both modes; only preprocessing details, definitions where the two
 * differ, and names change with `settings.mode`.
 */
import type { Mask, Vec3, Volume } from "@/lib/imaging/volume";
import { makeVolume, voxelSummary } from "@/lib/imaging/volume";
import { assertSameGeometry } from "@/lib/imaging/geometry";
import { resampleMask, resampleToGeometry, resampleVolume } from "@/lib/imaging/resample";
import { computeTextureFamily } from "./texture";
import type { Aggregation, TextureFamily, TextureOptions } from "./texture/types";
import { discretiseIbsi, discretisePyradiomics } from "./discretise";
import { boundingBox, cropToRoi, maskedValues, type RoiBox } from "./roi";
import {
  castLikeItk,
  cropForGrid,
  nearestMaskOnGrid,
  pyradiomicsNormalize,
  pyradiomicsResampleGrid,
  resegment,
} from "./preprocess";
import { resolveSettings, settingsHash, type Family, type RadiomicsSettings } from "./settings";
import { ENGINE_NAME, ENGINE_VERSION } from "./version";
import { FeatureSet } from "./features/feature-set";
import { ibsiMorphology, pyradiomicsShape, shapeCore } from "./features/morphology";
import { localIntensity } from "./features/local-intensity";
import { intensityStatistics } from "./features/intensity-statistics";
import { intensityHistogram } from "./features/intensity-histogram";
import { intensityVolumeHistogram } from "./features/intensity-volume-histogram";
import { pyradiomicsFirstorder } from "./features/pyradiomics-firstorder";
import { applyIbsiFilter } from "./filters/ibsi";
import { derivedImages } from "./filters/pyradiomics-image-types";
import { cropToBlock, type SourceGrid, type VoxelBlock } from "./filters/grid";

export interface RadiomicsResult {
  engine: { name: string; version: string };
  mode: "ibsi" | "pyradiomics";
  settings: RadiomicsSettings;
  /** sha256 of the canonical JSON of `settings`. */
  settingsHash: string;
  /** Computed features by name (finite numbers only). */
  features: Record<string, number>;
  /** Features that could not be computed, by name, with the reason. Disjoint from `features`. */
  failures: Record<string, string>;
  /** Processing diagnostics (IBSI diagnostic tags: image/ROI sizes, voxel counts, intensities per step). */
  diagnostics: Record<string, number>;
}

const TEXTURE_FAMILIES: readonly TextureFamily[] = ["glcm", "glrlm", "glszm", "gldzm", "ngtdm", "ngldm"];
const PYRAD_CLASS: Partial<Record<Family, string>> = {
  morphology: "shape",
  intensity_statistics: "firstorder",
  glcm: "glcm",
  glrlm: "glrlm",
  glszm: "glszm",
  ngldm: "gldm",
  ngtdm: "ngtdm",
};

function binaryMask(mask: Mask, label: number): Uint8Array {
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] === label ? 1 : 0;
  return out;
}

function imageDiagnostics(d: Record<string, number>, v: Volume, stage: string): void {
  const axes = ["x", "y", "z"];
  const { sum, min, max } = voxelSummary(v.data);
  for (let a = 0; a < 3; a++) {
    d[`img_dim_${axes[a]}_${stage}_img`] = v.dims[a];
    d[`vox_dim_${axes[a]}_${stage}_img`] = v.spacing[a];
  }
  d[`mean_int_${stage}_img`] = sum / v.data.length;
  d[`min_int_${stage}_img`] = min;
  d[`max_int_${stage}_img`] = max;
}

/** IBSI ROI diagnostics of one processing stage, computed on the ROI box (the masks are empty outside it). */
function boxDiagnostics(d: Record<string, number>, roi: RoiBox, gridDims: Vec3, stage: string): void {
  const axes = ["x", "y", "z"];
  for (const [name, m] of [
    ["int_mask", roi.intensity],
    ["morph_mask", roi.morph],
  ] as const) {
    let count = 0;
    for (let i = 0; i < m.length; i++) if (m[i]) count++;
    for (let a = 0; a < 3; a++) d[`${name}_dim_${axes[a]}_${stage}_roi`] = gridDims[a];
    d[`${name}_vox_count_${stage}_roi`] = count;
    if (count === 0) continue;
    const bb = boundingBox(m, roi.dims);
    for (let a = 0; a < 3; a++) d[`${name}_bb_dim_${axes[a]}_${stage}_roi`] = bb.hi[a] - bb.lo[a] + 1;
  }
  let n = 0,
    sum = 0,
    min = Infinity,
    max = -Infinity;
  for (let i = 0; i < roi.intensity.length; i++) {
    if (!roi.intensity[i]) continue;
    const v = roi.values[i];
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n > 0) {
    d[`int_mask_mean_int_${stage}_roi`] = sum / n;
    d[`int_mask_min_int_${stage}_roi`] = min;
    d[`int_mask_max_int_${stage}_roi`] = max;
  }
}

function matrixAggregations(family: TextureFamily, dims: RadiomicsSettings["aggregation"]): Aggregation[] {
  const matrix = family === "glcm" || family === "glrlm";
  const out: Aggregation[] = [];
  for (const d of dims) {
    if (!matrix) out.push(d);
    else if (d === "2D") out.push("2D_avg", "2D_smrg");
    else if (d === "2.5D") out.push("2.5D_dmrg", "2.5D_mrg");
    else out.push("3D_avg", "3D_mrg");
  }
  return out;
}

/** pyradiomics features that exist but are disabled unless named explicitly in featureClass. */
export const PYRADIOMICS_DEPRECATED: Record<string, readonly string[]> = {
  shape: ["Compactness1", "Compactness2", "SphericalDisproportion"],
  firstorder: ["StandardDeviation"],
};

/** Keep only the pyradiomics features enabled by a featureClass filter (default: all but the deprecated ones). */
function applyFeatureFilter(
  f: FeatureSet,
  s: RadiomicsSettings,
  family: Family,
  imagePrefix = s.imageTypePrefix,
): FeatureSet {
  const cls = PYRAD_CLASS[family];
  const wanted = cls && s.featureClass ? s.featureClass[cls] : null;
  const prefix = `${imagePrefix}_${cls}_`;
  const out = new FeatureSet();
  if (!wanted) {
    const hidden = new Set((PYRADIOMICS_DEPRECATED[cls ?? ""] ?? []).map((n) => prefix + n));
    for (const [k, v] of Object.entries(f.values)) if (!hidden.has(k)) out.set(k, v);
    for (const [k, r] of Object.entries(f.failures)) if (!hidden.has(k)) out.fail(k, r);
    return out;
  }
  for (const name of wanted) {
    const full = prefix + name;
    if (full in f.values) out.set(full, f.values[full]);
    else if (full in f.failures) out.fail(full, f.failures[full]);
    else out.fail(full, `unknown ${cls} feature ${name}`);
  }
  return out;
}

/** Every enabled family except morphology, on one (possibly filtered) image of the ROI box, names prefixed `prefix`. */
function intensityFamilies(
  roi: RoiBox,
  s: RadiomicsSettings,
  prefix: string,
  reseg: ReturnType<typeof resegment>,
  out: FeatureSet,
): void {
  const values = maskedValues(roi.values, roi.intensity);
  const families = new Set(s.families);
  if (values.length === 0) {
    // Re-segmentation removed every voxel: only morphology (on the morphological mask) remains computable.
    for (const fam of s.families)
      if (fam !== "morphology") out.fail(`family:${fam}`, "the intensity mask is empty after re-segmentation");
    return;
  }
  const needsLevels = [...families].some(
    (f) => f === "intensity_histogram" || f === "intensity_statistics" || TEXTURE_FAMILIES.includes(f as TextureFamily),
  );
  const d = roi.dims;
  const discInput = {
    dims: [d[0], d[1], d[2]] as [number, number, number],
    spacing: [...roi.spacing] as [number, number, number],
    values: roi.values,
    mask: roi.intensity,
    morphMask: roi.morph,
  };
  const disc = !needsLevels
    ? null
    : s.mode === "pyradiomics"
      ? discretisePyradiomics(
          discInput,
          s.discretisation.method === "fixedBinSize"
            ? { binWidth: s.discretisation.binWidth }
            : { binCount: s.discretisation.binCount },
        )
      : discretiseIbsi(
          discInput,
          s.discretisation.method === "fixedBinSize"
            ? {
                method: "FBS",
                binWidth: s.discretisation.binWidth,
                lowerBound:
                  s.discretisation.lowerBound ??
                  (reseg.range && Number.isFinite(reseg.range[0]) ? reseg.range[0] : undefined),
              }
            : { method: "FBN", nBins: s.discretisation.binCount },
        );

  if (families.has("local_intensity")) out.merge(localIntensity(roi));
  if (families.has("intensity_statistics")) {
    if (s.mode === "ibsi") out.merge(intensityStatistics(values));
    else {
      const levels = new Int32Array(values.length);
      for (let i = 0, k = 0; i < roi.intensity.length; i++) if (roi.intensity[i]) levels[k++] = disc!.levels[i];
      const voxelVolume = roi.spacing[0] * roi.spacing[1] * roi.spacing[2];
      out.merge(
        applyFeatureFilter(
          pyradiomicsFirstorder(values, levels, voxelVolume, s.voxelArrayShift, prefix),
          s,
          "intensity_statistics",
          prefix,
        ),
      );
    }
  }
  if (families.has("intensity_histogram")) {
    const lv = new Float64Array(values.length);
    for (let i = 0, k = 0; i < roi.intensity.length; i++) if (roi.intensity[i]) lv[k++] = disc!.levels[i];
    out.merge(intensityHistogram(lv, disc!.nLevels));
  }
  if (families.has("intensity_volume_histogram"))
    out.merge(intensityVolumeHistogram(values, s.ivhDiscretisation, reseg.range));
  for (const fam of TEXTURE_FAMILIES) {
    if (!families.has(fam)) continue;
    const opts: TextureOptions =
      s.mode === "ibsi"
        ? {
            mode: "ibsi",
            aggregation: matrixAggregations(fam, s.aggregation),
            distance: s.distance,
            ngldmAlpha: s.ngldmAlpha,
            symmetricalGLCM: s.symmetricalGLCM,
          }
        : {
            mode: "pyradiomics",
            distance: fam === "glrlm" ? undefined : s.distance,
            ngldmAlpha: s.ngldmAlpha,
            symmetricalGLCM: s.symmetricalGLCM,
            weightingNorm: s.weightingNorm ?? undefined,
            force2D: s.force2D,
            imageTypePrefix: prefix,
          };
    const r = computeTextureFamily(fam, disc!, opts);
    const fs = new FeatureSet();
    fs.merge(r);
    out.merge(s.mode === "pyradiomics" ? applyFeatureFilter(fs, s, fam, prefix) : fs);
  }
}

/**
 * The grid pyradiomics filters: the processed image (the resampled crop when resampling, else the whole image, read
 * in place), or with preCrop and no resampling the ROI box plus padDistance voxels (pyradiomics cropToTumorMask); and
 * the ROI box in its coordinates.
 */
function filterBase(img: Volume, roi: RoiBox, s: RadiomicsSettings): { grid: SourceGrid; box: VoxelBlock } {
  const box = (offset: Vec3): VoxelBlock => ({
    lo: [0, 1, 2].map((a) => roi.offset[a] - offset[a]) as Vec3,
    hi: [0, 1, 2].map((a) => roi.offset[a] - offset[a] + roi.dims[a] - 1) as Vec3,
  });
  if (!s.preCrop || s.resampledSpacing)
    return { grid: { data: img.data, dims: img.dims, spacing: img.spacing }, box: box([0, 0, 0]) };
  const lo = roi.offset.map((o) => Math.max(0, o - s.padDistance)) as Vec3;
  const hi = roi.offset.map((o, a) => Math.min(img.dims[a] - 1, o + roi.dims[a] - 1 + s.padDistance)) as Vec3;
  return { grid: cropToBlock(img, { lo, hi }), box: box(lo) };
}

/** IBSI 2 phase 2: the response map of the whole processed image, read on the ROI box. */
function filteredBox(img: Volume, roi: RoiBox, filter: NonNullable<RadiomicsSettings["filter"]>): Float64Array {
  const response = applyIbsiFilter(
    { data: Float64Array.from(img.data), dims: img.dims, spacing: img.spacing },
    filter,
  ).data;
  const [nx, ny] = img.dims;
  const out = new Float64Array(roi.values.length);
  for (let z = 0, o = 0; z < roi.dims[2]; z++) {
    for (let y = 0; y < roi.dims[1]; y++) {
      const src = roi.offset[0] + nx * (roi.offset[1] + y + ny * (roi.offset[2] + z));
      out.set(response.subarray(src, src + roi.dims[0]), o);
      o += roi.dims[0];
    }
  }
  return out;
}

/** Compute all enabled features. Throws NacError for invalid input (geometry, empty mask, settings). */
export function extractFeatures(image: Volume, mask: Mask, settingsInput: unknown = {}): RadiomicsResult {
  const s = resolveSettings(settingsInput);
  assertSameGeometry(image, mask, "mask and image");
  const diag: Record<string, number> = {};
  let img: Volume = image;
  let roi: RoiBox = cropToRoi(img, mask.data, s.label); // throws MASK_EMPTY
  const initBox = { lo: roi.offset, hi: roi.offset.map((o, k) => o + roi.dims[k] - 1) as Vec3, count: 0 };
  imageDiagnostics(diag, img, "init");
  boxDiagnostics(diag, roi, img.dims, "init");

  if (s.mode === "pyradiomics" && s.normalize) {
    img = pyradiomicsNormalize(img, s.normalizeScale, s.removeOutliers);
    roi = cropToRoi(img, mask.data, s.label);
  }

  if (s.resampledSpacing) {
    const spacing = s.resampledSpacing.map((v, a) => (v === 0 ? img.spacing[a] : v)) as Vec3;
    // The full-grid binary mask is only materialised when resampling needs it.
    const maskVol = makeVolume(binaryMask(mask, s.label), mask);
    let bin: Uint8Array;
    if (s.mode === "ibsi") {
      img = resampleVolume(img, {
        spacing,
        method: s.interpolator,
        inPlaneOnly: s.inPlaneOnly,
        roundIntensities: s.roundIntensities,
      });
      const m = resampleMask(maskVol, {
        spacing,
        method: s.maskInterpolator,
        threshold: s.maskThreshold,
        inPlaneOnly: s.inPlaneOnly,
      });
      bin = m.data;
    } else {
      const grid = pyradiomicsResampleGrid(img, initBox, spacing, s.padDistance);
      // SimpleITK keeps the input pixel type: an integer image comes back truncated.
      img = castLikeItk(resampleToGeometry(cropForGrid(img, grid), grid, s.interpolator, s.roundIntensities), img.data);
      bin = nearestMaskOnGrid(maskVol.data, maskVol, grid);
    }
    roi = cropToRoi(img, bin); // throws MASK_EMPTY if interpolation lost the ROI
    imageDiagnostics(diag, img, "interp");
  } else if (img === image) {
    // No interpolation and no normalisation: the interpolated image is the initial one.
    for (const k of Object.keys(diag))
      if (k.endsWith("_init_img")) diag[k.replace("_init_img", "_interp_img")] = diag[k];
  } else {
    imageDiagnostics(diag, img, "interp");
  }
  boxDiagnostics(diag, roi, img.dims, "interp");

  const reseg = resegment(roi.values, roi.intensity, s);
  boxDiagnostics(diag, roi, img.dims, "reseg");
  if (s.filter) roi = { ...roi, values: filteredBox(img, roi, s.filter) };

  const out = new FeatureSet();
  const families = new Set(s.families);
  if (families.has("morphology")) {
    const core = shapeCore(roi);
    out.merge(
      s.mode === "ibsi"
        ? ibsiMorphology(roi, core, s.maxAutocorrelationVoxels)
        : applyFeatureFilter(pyradiomicsShape(core, s.imageTypePrefix), s, "morphology"),
    );
  }
  if (s.mode === "ibsi") {
    intensityFamilies(roi, s, s.imageTypePrefix, reseg, out);
  } else {
    let baseGrid: ReturnType<typeof filterBase> | null = null;
    for (const t of s.imageTypes) {
      const ts: RadiomicsSettings = { ...s };
      if (t.overrides.binWidth !== undefined)
        ts.discretisation = { method: "fixedBinSize", binWidth: t.overrides.binWidth, lowerBound: null };
      if (t.overrides.binCount !== undefined)
        ts.discretisation = { method: "fixedBinNumber", binCount: t.overrides.binCount };
      if (t.overrides.voxelArrayShift !== undefined) ts.voxelArrayShift = t.overrides.voxelArrayShift;
      if (t.type === "Original") {
        intensityFamilies(roi, ts, s.imageTypePrefix, reseg, out);
        continue;
      }
      // Derived images come on the ROI box only: the features read nothing else.
      const base = (baseGrid ??= filterBase(img, roi, s));
      for (const d of derivedImages(base.grid, t, s.force2D, base.box)) {
        if (!d.image) out.fail(`image:${d.name}`, d.failure ?? "not computable");
        else intensityFamilies({ ...roi, values: d.image.data }, ts, d.name, reseg, out);
      }
    }
  }
  return {
    engine: { name: ENGINE_NAME, version: ENGINE_VERSION },
    mode: s.mode,
    settings: s,
    settingsHash: settingsHash(s),
    features: out.values,
    failures: out.failures,
    diagnostics: diag,
  };
}
