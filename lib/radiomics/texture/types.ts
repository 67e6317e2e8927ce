/**
 * Shared types of the texture engine (GLCM, GLRLM, GLSZM, GLDZM, NGTDM, NGLDM).
 *
 * Grid layout follows lib/imaging/volume.ts: voxel (x, y, z) is at index x + y*nx + z*nx*ny; "slices" for 2D and 2.5D
 * aggregation are the planes of constant z.
 */

/**
 * A discretised region of interest: the only input the texture families need. Derived data (bounding box, padded
 * grid, zones) is cached per `levels` array, so treat `levels` as immutable once passed to the texture engine.
 */
export interface DiscretisedRoi {
  dims: [number, number, number];
  spacing: [number, number, number];
  /** Discretised grey level per voxel: 1..nLevels inside the ROI (intensity mask), 0 outside. */
  levels: Int32Array;
  /** Number of grey levels of the discretisation (IBSI N_g). Levels present in the ROI are a subset of 1..nLevels. */
  nLevels: number;
  /** Morphological mask (IBSI): used for GLDZM distances to the ROI border. Defaults to levels > 0. */
  morphMask?: Uint8Array;
}

export type TextureFamily = "glcm" | "glrlm" | "glszm" | "gldzm" | "ngtdm" | "ngldm";

/** IBSI aggregation methods. GLCM/GLRLM take the first six; zone and neighbourhood families take "2D" | "2.5D" | "3D". */
export type MatrixAggregation = "2D_avg" | "2D_smrg" | "2.5D_dmrg" | "2.5D_mrg" | "3D_avg" | "3D_mrg";
export type ZoneAggregation = "2D" | "2.5D" | "3D";
export type Aggregation = MatrixAggregation | ZoneAggregation;

/** pyradiomics' weightingNorm: merge the per-angle matrices (weighted) before computing features. */
export type WeightingNorm = "manhattan" | "euclidean" | "infinity" | "no_weighting";

export interface TextureOptions {
  /** "ibsi": IBSI chapter 1 definitions and names; "pyradiomics": pyradiomics' definitions and names. */
  mode: "ibsi" | "pyradiomics";
  /** IBSI mode only: one or more aggregation methods. Default "3D_avg" (GLCM/GLRLM) or "3D" (other families). */
  aggregation?: Aggregation | Aggregation[];
  /**
   * Chebyshev neighbourhood distance for GLCM, NGTDM, NGLDM/GLDM. Default 1. pyradiomics mode also takes a list (its
   * `distances` setting: angles of every listed infinity-norm distance).
   */
  distance?: number | number[];
  /** NGLDM/GLDM coarseness parameter alpha (pyradiomics gldm_a). Default 0. */
  ngldmAlpha?: number;
  /** GLCM symmetry. Default true (IBSI and pyradiomics). */
  symmetricalGLCM?: boolean;
  /** pyradiomics mode: merge angles with this weighting instead of averaging features over angles. */
  weightingNorm?: WeightingNorm;
  /** pyradiomics mode: force2D (in-plane angles only, i.e. dimension z excluded; matrices still span all slices). */
  force2D?: boolean;
  /** pyradiomics mode: image type prefix of the feature names. Default "original" (original_glcm_Contrast). */
  imageTypePrefix?: string;
}

/** Feature values by name plus explicit failures by name (reason); a name is in exactly one of the two. */
export interface TextureResult {
  values: Record<string, number>;
  failures: Record<string, string>;
}
