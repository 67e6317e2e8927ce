/**
 * Texture engine entry point: one call per family, in IBSI or pyradiomics mode.
 *
 *   computeTextureFamily("glcm", roi, { mode: "ibsi", aggregation: ["3D_avg", "3D_mrg"] })
 *     -> { values: { cm_joint_max_3D_avg: ..., ... }, failures: { cm_corr_3D_comb: "undefined: ..." } }
 *   computeTextureFamily("ngldm", roi, { mode: "pyradiomics" })   // pyradiomics' GLDM
 *     -> { values: { original_gldm_SmallDependenceEmphasis: ..., ... }, failures: {} }
 *
 * Every requested feature name is either in `values` (a finite number) or in `failures` (a reason), never NaN.
 * pyradiomics mode has no GLDZM (pyradiomics has none) and uses pyradiomics' 3D (or force2D) neighbourhoods.
 */
import { NacError } from "@/lib/errors/nac-error";
import { computeGldzmIbsi } from "./gldzm";
import { computeGlcmIbsi, computeGlcmPyradiomics, glcmCounts, pyradGlcmMatrices } from "./glcm";
import { identityRows } from "./levels";
import { computeGlrlmIbsi, computeGlrlmPyradiomics, glrlmCounts, pyradGlrlmMatrices } from "./glrlm";
import { computeGlszmIbsi, computeGlszmPyradiomics, pyradGlszmMatrix } from "./glszm";
import { chebyshevNeighbourhood, ibsiDirections, roiBox } from "./neighbourhood";
import { computeNgldmIbsi, computeGldmPyradiomics, ngldmCounts, pyradGldmMatrix } from "./ngldm";
import { computeNgtdmIbsi, computeNgtdmPyradiomics, ngtdmCounts, pyradNgtdmMatrix } from "./ngtdm";
import type {
  Aggregation,
  DiscretisedRoi,
  MatrixAggregation,
  TextureFamily,
  TextureOptions,
  TextureResult,
  ZoneAggregation,
} from "./types";
import { zoneMatrices } from "./zone-matrix";
import { borderDistancePadded, labelZones, zoneMinDistance } from "./zones";

export type * from "./types";

export const TEXTURE_FAMILIES: readonly TextureFamily[] = ["glcm", "glrlm", "glszm", "gldzm", "ngtdm", "ngldm"];
const MATRIX_AGGREGATIONS: readonly MatrixAggregation[] = [
  "2D_avg",
  "2D_smrg",
  "2.5D_dmrg",
  "2.5D_mrg",
  "3D_avg",
  "3D_mrg",
];
const ZONE_AGGREGATIONS: readonly ZoneAggregation[] = ["2D", "2.5D", "3D"];

function isMatrixFamily(f: TextureFamily): boolean {
  return f === "glcm" || f === "glrlm";
}

/** The aggregation methods a family accepts in IBSI mode. */
export function aggregationsFor(family: TextureFamily): readonly Aggregation[] {
  return isMatrixFamily(family) ? MATRIX_AGGREGATIONS : ZONE_AGGREGATIONS;
}

interface Resolved {
  /** IBSI: the single distance. */
  distance: number;
  /** pyradiomics: its `distances` list. */
  distances: number[];
  alpha: number;
  symmetric: boolean;
  prefix: string;
  force2D: boolean;
}

function resolve(family: TextureFamily, roi: DiscretisedRoi, opts: TextureOptions): Resolved {
  if (opts.mode !== "ibsi" && opts.mode !== "pyradiomics") {
    throw new NacError("SETTINGS_INVALID", `unknown texture mode ${String(opts.mode)} (ibsi | pyradiomics)`);
  }
  if (!TEXTURE_FAMILIES.includes(family))
    throw new NacError("SETTINGS_INVALID", `unknown texture family ${String(family)}`);
  const distances = Array.isArray(opts.distance) ? [...opts.distance] : [opts.distance ?? 1];
  if (distances.length === 0 || distances.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new NacError(
      "SETTINGS_INVALID",
      `distance must be an integer >= 1 (or a list of them), got ${distances.join(", ")}`,
    );
  }
  if (opts.mode === "ibsi" && distances.length !== 1) {
    throw new NacError("SETTINGS_INVALID", "IBSI mode takes one distance, not a list");
  }
  const distance = distances[0];
  const alpha = opts.ngldmAlpha ?? 0;
  if (!(alpha >= 0) || !Number.isFinite(alpha))
    throw new NacError("SETTINGS_INVALID", `ngldmAlpha must be >= 0, got ${alpha}`);
  if (!Number.isInteger(roi.nLevels) || roi.nLevels < 1)
    throw new NacError("DATA_INVALID", `nLevels must be an integer >= 1, got ${roi.nLevels}`);
  if (roi.morphMask && roi.morphMask.length !== roi.levels.length) {
    throw new NacError("GEOMETRY_MISMATCH", "morphMask and levels have different lengths");
  }
  if (opts.mode === "ibsi" && (opts.weightingNorm || opts.force2D)) {
    throw new NacError(
      "SETTINGS_INVALID",
      "weightingNorm and force2D are pyradiomics settings; IBSI mode uses `aggregation`",
    );
  }
  if (opts.mode === "pyradiomics" && opts.aggregation !== undefined) {
    throw new NacError("SETTINGS_INVALID", "pyradiomics mode takes weightingNorm/force2D, not IBSI `aggregation`");
  }
  if (opts.mode === "pyradiomics" && family === "glrlm" && (distances.length !== 1 || distance !== 1)) {
    throw new NacError("SETTINGS_INVALID", "pyradiomics' GLRLM has no distance setting");
  }
  return {
    distance,
    distances,
    alpha,
    symmetric: opts.symmetricalGLCM ?? true,
    prefix: opts.imageTypePrefix ?? "original",
    force2D: opts.force2D ?? false,
  };
}

function aggregationList(family: TextureFamily, opts: TextureOptions): Aggregation[] {
  const raw = opts.aggregation ?? (isMatrixFamily(family) ? "3D_avg" : "3D");
  const list = Array.isArray(raw) ? raw : [raw];
  const allowed = aggregationsFor(family);
  for (const a of list) {
    if (!allowed.includes(a)) {
      throw new NacError(
        "SETTINGS_INVALID",
        `aggregation ${a} is not defined for ${family} (use ${allowed.join(", ")})`,
      );
    }
  }
  return [...new Set(list)];
}

/** Features of one texture family on a discretised ROI. */
export function computeTextureFamily(family: TextureFamily, roi: DiscretisedRoi, opts: TextureOptions): TextureResult {
  const r = resolve(family, roi, opts);
  roiBox(roi); // validates the ROI (non-empty, levels within 1..nLevels)
  if (opts.mode === "ibsi") {
    const aggs = aggregationList(family, opts);
    switch (family) {
      case "glcm":
        return computeGlcmIbsi(roi, aggs as MatrixAggregation[], r.distance, r.symmetric);
      case "glrlm":
        return computeGlrlmIbsi(roi, aggs as MatrixAggregation[]);
      case "glszm":
        return computeGlszmIbsi(roi, aggs as ZoneAggregation[]);
      case "gldzm":
        return computeGldzmIbsi(roi, aggs as ZoneAggregation[]);
      case "ngtdm":
        return computeNgtdmIbsi(roi, aggs as ZoneAggregation[], r.distance);
      case "ngldm":
        return computeNgldmIbsi(roi, aggs as ZoneAggregation[], r.distance, r.alpha);
    }
  }
  switch (family) {
    case "glcm":
      return computeGlcmPyradiomics(roi, { ...r, distance: r.distances, weightingNorm: opts.weightingNorm });
    case "glrlm":
      return computeGlrlmPyradiomics(roi, { ...r, weightingNorm: opts.weightingNorm });
    case "glszm":
      return computeGlszmPyradiomics(roi, r);
    case "ngtdm":
      return computeNgtdmPyradiomics(roi, { ...r, distance: r.distances });
    case "ngldm":
      return computeGldmPyradiomics(roi, { ...r, distance: r.distances });
    case "gldzm":
      throw new NacError("SETTINGS_INVALID", "pyradiomics has no GLDZM; compute it in IBSI mode");
  }
}

/** A texture matrix as an n-dimensional C-order array (the layout numpy's .npy uses). */
export interface TextureMatrix {
  shape: number[];
  data: Float64Array;
}

/**
 * The texture matrices, for tests and inspection.
 * pyradiomics mode: exactly pyradiomics' post-processed P matrices (as saved in its baseline .npy files):
 *   glcm (Ng, Ng, angles) normalised per angle; glrlm (Ng, run lengths, angles); glszm (Ng, sizes);
 *   ngldm = GLDM (Ng, dependences); ngtdm (Ng, 3) with columns n_i, s_i, i.
 * IBSI mode: the 3D count matrices over all levels 1..nLevels: glcm (Ng, Ng, 13) raw asymmetric counts;
 *   glrlm (Ng, max run, 13); glszm/gldzm (Ng, max j); ngldm (Ng, 27); ngtdm (Ng, 2) with n_i, s_i.
 */
export function computeTextureMatrices(
  family: TextureFamily,
  roi: DiscretisedRoi,
  opts: TextureOptions,
): TextureMatrix {
  const r = resolve(family, roi, opts);
  const Ng = roi.nLevels;
  if (opts.mode === "pyradiomics") {
    switch (family) {
      case "glcm":
      case "glrlm": {
        const m =
          family === "glcm"
            ? pyradGlcmMatrices(roi, { ...r, distance: r.distances, weightingNorm: opts.weightingNorm })
            : pyradGlrlmMatrices(roi, { ...r, weightingNorm: opts.weightingNorm });
        const nG = m.grayLevels.length;
        const nA = m.matrices.length;
        const nJ = nA ? m.matrices[0].length / nG : 0;
        const data = new Float64Array(nG * nJ * nA);
        m.matrices.forEach((mat, a) => {
          for (let k = 0; k < nG * nJ; k++) data[k * nA + a] = mat[k];
        });
        return { shape: [nG, nJ, nA], data };
      }
      case "glszm": {
        const m = pyradGlszmMatrix(roi, r.force2D);
        return { shape: [m.grayLevels.length, m.sizes.length], data: m.matrix };
      }
      case "ngldm": {
        const m = pyradGldmMatrix(roi, { ...r, distance: r.distances });
        return { shape: [m.grayLevels.length, m.sizes.length], data: m.matrix };
      }
      case "ngtdm": {
        const m = pyradNgtdmMatrix(roi, { ...r, distance: r.distances });
        return { shape: [m.rows, 3], data: m.matrix };
      }
      case "gldzm":
        throw new NacError("SETTINGS_INVALID", "pyradiomics has no GLDZM");
    }
  }
  switch (family) {
    case "glcm": {
      const dirs = ibsiDirections(false, r.distance);
      const c = glcmCounts(roi, dirs, identityRows(Ng), Ng);
      const nA = dirs.length / 3;
      const data = new Float64Array(Ng * Ng * nA);
      for (let a = 0; a < nA; a++) for (let k = 0; k < Ng * Ng; k++) data[k * nA + a] = c[a * Ng * Ng + k];
      return { shape: [Ng, Ng, nA], data };
    }
    case "glrlm": {
      const dirs = ibsiDirections(false, 1);
      const { counts, maxRun } = glrlmCounts(roi, dirs, identityRows(Ng), Ng);
      const nA = dirs.length / 3;
      const cells = Ng * maxRun;
      const data = new Float64Array(cells * nA);
      for (let a = 0; a < nA; a++) for (let k = 0; k < cells; k++) data[k * nA + a] = counts[a * cells + k];
      return { shape: [Ng, maxRun, nA], data };
    }
    case "glszm":
    case "gldzm": {
      const zones = labelZones(roi, false);
      const j = family === "gldzm" ? zoneMinDistance(roi, zones, borderDistancePadded(roi, false)) : zones.size;
      // Dense columns j = 1..max j, as the IBSI manual prints these matrices.
      const [m] = zoneMatrices(zones, identityRows(Ng), Ng, 1, j);
      const nJ = m.nJ ? m.jv[m.nJ - 1] : 0;
      const data = new Float64Array(Ng * nJ);
      for (let r = 0; r < Ng; r++) for (let c = 0; c < m.nJ; c++) data[r * nJ + m.jv[c] - 1] = m.matrix[r * m.nJ + c];
      return { shape: [Ng, nJ], data };
    }
    case "ngldm": {
      const { counts, nJ } = ngldmCounts(roi, chebyshevNeighbourhood(false, r.distance), r.alpha);
      return { shape: [Ng, nJ], data: counts };
    }
    case "ngtdm": {
      const { n, s } = ngtdmCounts(roi, chebyshevNeighbourhood(false, r.distance), false, false);
      const data = new Float64Array(Ng * 2);
      for (let k = 0; k < Ng; k++) {
        data[2 * k] = n[k];
        data[2 * k + 1] = s[k];
      }
      return { shape: [Ng, 2], data };
    }
  }
}
