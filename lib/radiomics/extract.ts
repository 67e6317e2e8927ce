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
import { waveletSupport } from "./filters/pywt-swt";
import { logSizeProblem } from "./filters/itk-recursive-gaussian";
import type { FilterGrid } from "./filters/grid";

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
 * The grid pyradiomics filters: the processed image (the resampled crop when resampling, else the whole image), or
 * with preCrop and no resampling the ROI box plus padDistance voxels (pyradiomics cropToTumorMask).
 */
function filterBase(img: Volume, roi: RoiBox, s: RadiomicsSettings): { grid: FilterGrid; offset: Vec3 } {
  if (!s.preCrop || s.resampledSpacing)
    return { grid: { data: Float64Array.from(img.data), dims: img.dims, spacing: img.spacing }, offset: [0, 0, 0] };
  const lo = roi.offset.map((o) => Math.max(0, o - s.padDistance)) as Vec3;
  const hi = roi.offset.map((o, a) => Math.min(img.dims[a] - 1, o + roi.dims[a] - 1 + s.padDistance)) as Vec3;
  const dims: Vec3 = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  const [nx, ny] = img.dims;
  for (let z = 0, o = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      const src = lo[0] + nx * (lo[1] + y + ny * (lo[2] + z));
      for (let x = 0; x < dims[0]; x++) data[o++] = img.data[src + x];
    }
  }
  return { grid: { data, dims, spacing: img.spacing }, offset: lo };
}

/**
 * The part of the filter grid a wavelet image type needs for the ROI box: pyradiomics' stationary wavelets are FIR
 * (circular only across the whole image), so along an axis where the box +- `margin` voxels stays inside the image the
 * box's values depend on that window only and are computed identically there; an axis the window would leave is kept
 * whole (wrap-around and odd-size padding as pyradiomics). Exact, and far less work for a small ROI in a large image.
 */
function waveletWindow(
  base: { grid: FilterGrid; offset: Vec3 },
  roi: RoiBox,
  margin: number,
): { grid: FilterGrid; offset: Vec3 } {
  return roiWindow(base, roi, [margin, margin, margin], false);
}

/**
 * The part of the filter grid a LoG image type needs for the ROI box. ITK's recursive Gaussian is IIR: a voxel r voxels
 * away weighs in with about e^(-1.37 r / (sigma / spacing)) (Deriche's poles), so the box +- 20 sigma per axis,
 * clamped to the image (whose faces keep ITK's edge condition, as on the whole image), gives the box's values to about
 * e^-27 of the image's scale: measured 3e-14 of the LoG range at sigma 1 and 3 mm on the 207k-voxel bench case, i.e.
 * rounding. At least 4 voxels of margin, so the window passes pyradiomics' size check exactly when the image does.
 */
function logWindow(
  base: { grid: FilterGrid; offset: Vec3 },
  roi: RoiBox,
  sigma: number,
): { grid: FilterGrid; offset: Vec3 } {
  const margin = base.grid.spacing.map((h) => Math.max(4, Math.ceil((LOG_WINDOW_SIGMAS * sigma) / h))) as Vec3;
  return roiWindow(base, roi, margin, true);
}
const LOG_WINDOW_SIGMAS = 20;

/** The box +- margin (voxels per axis) of the filter grid; an axis the window leaves is clamped or kept whole. */
function roiWindow(
  base: { grid: FilterGrid; offset: Vec3 },
  roi: RoiBox,
  margin: Vec3,
  clamp: boolean,
): { grid: FilterGrid; offset: Vec3 } {
  const g = base.grid;
  const lo: Vec3 = [0, 0, 0],
    hi: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const l = roi.offset[a] - base.offset[a] - margin[a],
      h = roi.offset[a] - base.offset[a] + roi.dims[a] - 1 + margin[a];
    if (clamp) [lo[a], hi[a]] = [Math.max(0, l), Math.min(g.dims[a] - 1, h)];
    else [lo[a], hi[a]] = l < 0 || h > g.dims[a] - 1 ? [0, g.dims[a] - 1] : [l, h];
  }
  if (lo.every((l) => l === 0) && hi.every((h, a) => h === g.dims[a] - 1)) return base;
  const dims: Vec3 = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  for (let z = 0, o = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      const src = lo[0] + g.dims[0] * (lo[1] + y + g.dims[1] * (lo[2] + z));
      data.set(g.data.subarray(src, src + dims[0]), o);
      o += dims[0];
    }
  }
  return {
    grid: { data, dims, spacing: g.spacing },
    offset: [base.offset[0] + lo[0], base.offset[1] + lo[1], base.offset[2] + lo[2]],
  };
}

/** Values of a filtered grid (whose voxel 0 is at `offset` in the processed image) on the ROI box. */
function boxValues(data: Float64Array, dims: Vec3, roi: RoiBox, offset: Vec3): Float64Array {
  const out = new Float64Array(roi.values.length);
  const o0 = roi.offset.map((o, a) => o - offset[a]);
  for (let z = 0, o = 0; z < roi.dims[2]; z++) {
    for (let y = 0; y < roi.dims[1]; y++) {
      const src = o0[0] + dims[0] * (o0[1] + y + dims[1] * (o0[2] + z));
      out.set(data.subarray(src, src + roi.dims[0]), o);
      o += roi.dims[0];
    }
  }
  return out;
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
    // The filter grid (a copy of the image) only when a derived image needs it.
    let baseGrid: ReturnType<typeof filterBase> | null = null;
    const base = (): ReturnType<typeof filterBase> => (baseGrid ??= filterBase(img, roi, s));
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
      // Each filter runs on the part of the image the ROI box's values depend on (LoG: one window per sigma).
      const jobs =
        t.type === "LoG"
          ? t.sigma.map((sg) => ({
              type: { ...t, sigma: [sg] },
              src: logSizeProblem(base().grid, sg.value) ? base() : logWindow(base(), roi, sg.value),
            }))
          : [
              {
                type: t,
                src:
                  t.type === "Wavelet"
                    ? waveletWindow(base(), roi, waveletSupport(t.wavelet) * (t.startLevel + t.level))
                    : base(),
              },
            ];
      for (const { type, src } of jobs) {
        for (const d of derivedImages(src.grid, type, s.force2D)) {
          if (!d.image) out.fail(`image:${d.name}`, d.failure ?? "not computable");
          else
            intensityFamilies(
              { ...roi, values: boxValues(d.image.data, src.grid.dims, roi, src.offset) },
              ts,
              d.name,
              reseg,
              out,
            );
        }
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
