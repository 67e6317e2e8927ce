/**
 * Peritumoral region: the 3D shell of non-tumour voxels within `marginMm` of the tumour: 0 < d <= margin, with d the
 * exact Euclidean distance (mm, anisotropic grid) from the voxel centre to
 *   - "centres" (default): the nearest tumour voxel centre (= dilation of the mask by a ball of radius margin, the
 *     convention of the peritumoral radiomics literature);
 *   - "faces": the tumour as the union of its voxel boxes;
 *   - "surface": a sub-voxel surface estimate (surface-distance.ts);
 *   - "surface-volume-matched": that estimate corrected between and beyond thick slices and matched to the tumour's
 *     voxel volume (surface-volume-matched.ts); the default of new case feature specs.
 * How close each comes to the true shell, and why: docs/PERITUMORAL.md. Bundles keep whichever mode they were trained
 * with. Optionally restricted to the body (a body mask, and/or image intensity >= an air threshold).
 *
 * The distance transform runs only on the tumour's bounding box grown by the margin (every voxel outside it is
 * farther than the margin along one axis alone), so cost scales with the tumour, not the image.
 */
import { NacError } from "../errors";
import { squaredDistanceToVoxelRegion, squaredEdt } from "./distance-transform";
import { signedCentreDistance, smoothSignedDistance, surfaceSquaredDistance } from "./surface-distance";
import { volumeMatchedSurfaceDistance } from "./surface-volume-matched";
import { sameGeometry } from "./geometry";
import { cropBinary, maskBoundingBox } from "./mask-bbox";
import { makeVolume, type Mask, type Vec3, type Volume } from "./volume";

export type PeritumoralMeasure = "centres" | "faces" | "surface" | "surface-volume-matched";
export const PERITUMORAL_MEASURES: readonly PeritumoralMeasure[] = [
  "centres",
  "faces",
  "surface",
  "surface-volume-matched",
];

export interface PeritumoralOptions {
  /** Voxels where bodyMask is 0 are excluded (must be on the tumour grid). */
  bodyMask?: Mask | null;
  /** Voxels whose image value is below `threshold` are excluded (air), e.g. -500 HU on CT. Image on the tumour grid. */
  excludeAirBelow?: { image: Volume; threshold: number } | null;
  /** What the distance is measured to (see above); default "centres". */
  measureFrom?: PeritumoralMeasure;
  /** sub-voxel modes only: fine sampling step (mm) of the wireframe the sub-voxel surface is sampled on; default 0.5. */
  surfaceStepMm?: number;
  /** sub-voxel modes only: smooth the signed distance along the fine axes first (smoothSignedDistance); default true. */
  surfaceSmoothing?: boolean;
  /** Label written into the shell (default 1). */
  label?: number;
}

/** Relative slack so a voxel exactly at the margin (d^2 == m^2 in exact arithmetic) is included despite rounding. */
const MARGIN_TIE = 1e-12;
const DEFAULT_SURFACE_STEP_MM = 0.5;

export function peritumoralShell(tumour: Mask, marginMm: number, opts: PeritumoralOptions = {}): Mask {
  if (!(marginMm > 0) || !Number.isFinite(marginMm)) {
    throw new NacError("SETTINGS_INVALID", `peritumoral margin must be a positive number of mm, got ${marginMm}`);
  }
  const label = opts.label ?? 1;
  if (!Number.isInteger(label) || label < 1 || label > 255) {
    throw new NacError("SETTINGS_INVALID", `shell label must be an integer 1..255, got ${label}`);
  }
  for (const [what, g] of [
    ["body mask", opts.bodyMask],
    ["air-exclusion image", opts.excludeAirBelow?.image],
  ] as const) {
    if (g && !sameGeometry(g, tumour)) {
      throw new NacError("GEOMETRY_MISMATCH", `${what} is not on the tumour mask's grid; resample it first`);
    }
  }
  const [nx, ny] = tumour.dims;
  const t = tumour.data;
  const box = maskBoundingBox(tumour);
  if (!box) throw new NacError("MASK_EMPTY", "tumour mask is empty: no peritumoral region can be built");

  const mode = opts.measureFrom ?? "centres";
  if (!PERITUMORAL_MEASURES.includes(mode)) {
    throw new NacError(
      "SETTINGS_INVALID",
      `measureFrom must be one of ${PERITUMORAL_MEASURES.join(", ")}, got ${String(mode)}`,
    );
  }
  const subVoxel = mode !== "centres" && mode !== "faces";
  // Crop: bounding box grown by ceil(margin / spacing) voxels per axis (anything beyond is > margin away); for
  // "surface" 3 more, so the smoothing kernel (radius 2) never reaches the crop edge near the surface and the result
  // does not depend on the crop; "surface-volume-matched" 5 (smoothing radius 4, and its caps reach one slice out).
  const c0: Vec3 = [0, 0, 0],
    cd: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const grow =
      Math.ceil(marginMm / tumour.spacing[a]) + (mode === "surface" ? 3 : mode === "surface-volume-matched" ? 5 : 0);
    c0[a] = Math.max(0, box.lo[a] - grow);
    cd[a] = Math.min(tumour.dims[a] - 1, box.hi[a] + grow) - c0[a] + 1;
  }
  const crop = cropBinary(tumour, c0, cd);
  const d2 =
    mode === "faces"
      ? squaredDistanceToVoxelRegion(crop, cd, tumour.spacing)
      : mode === "surface"
        ? surfaceSquaredDistance(
            opts.surfaceSmoothing === false
              ? signedCentreDistance(crop, cd, tumour.spacing)
              : smoothSignedDistance(signedCentreDistance(crop, cd, tumour.spacing), cd, tumour.spacing),
            cd,
            tumour.spacing,
            opts.surfaceStepMm ?? DEFAULT_SURFACE_STEP_MM,
          )
        : subVoxel
          ? volumeMatchedSurfaceDistance(
              crop,
              cd,
              tumour.spacing,
              opts.surfaceStepMm ?? DEFAULT_SURFACE_STEP_MM,
              opts.surfaceSmoothing !== false,
            ).d2
          : squaredEdt(crop, cd, tumour.spacing);
  const limit = marginMm * marginMm * (1 + MARGIN_TIE);
  const out = new Uint8Array(t.length);
  const body = opts.bodyMask?.data;
  const air = opts.excludeAirBelow;
  for (let k = 0; k < cd[2]; k++)
    for (let j = 0; j < cd[1]; j++) {
      const src = ((k + c0[2]) * ny + (j + c0[1])) * nx + c0[0];
      const row = (k * cd[1] + j) * cd[0];
      for (let x = 0; x < cd[0]; x++) {
        const dd = d2[row + x];
        // Tumour voxels are excluded explicitly: with smoothing, d is not always 0 on them.
        if (dd === 0 || dd > limit || crop[row + x] !== 0) continue;
        const i = src + x;
        if (body && body[i] === 0) continue;
        if (air && !(air.image.data[i] >= air.threshold)) continue;
        out[i] = label;
      }
    }
  return makeVolume(out, tumour);
}
