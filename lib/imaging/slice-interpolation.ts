/**
 * Slice interpolation for ROI drawing: fills the axial slices between slices a person has drawn on, by shape-based
 * interpolation (Raya & Udupa 1990). For two consecutive drawn slices ka < kb, each slice's in-plane signed distance
 * phi (mm, from pixel centres: - distance to the nearest outside pixel inside the shape, + distance to the nearest
 * inside pixel outside it) is interpolated linearly along z, and slice k (ka < k < kb) gets the pixels where
 * (1 - t) phi_ka + t phi_kb <= 0, t = (k - ka) / (kb - ka). Identical shapes are copied, growing/shrinking shapes
 * change size linearly, shifted shapes move; shapes that do not overlap shrink towards their own slice and can vanish
 * in between (the known behaviour of the method, not an error).
 * Pixels beyond the slice's edge count as outside, so a shape filling a whole slice has finite distances (no
 * Infinity or NaN in the arithmetic). Framework-free and browser-safe (the viewer calls it while drawing).
 */
import { NacError } from "../errors";
import { squaredEdt } from "./distance-transform";
import type { Vec3 } from "./volume";

export interface SliceInterpolationOptions {
  /** Value written into filled pixels (1..255); default 1. Drawn slices keep their own values. */
  label?: number;
}

export interface SliceInterpolationResult {
  /** A new mask (the input is not modified): drawn slices unchanged, gaps filled. */
  mask: Uint8Array;
  /** Slices with at least one pixel set in the input, ascending. */
  drawnSlices: number[];
  /** Every slice strictly between two consecutive drawn slices, with its filled pixel count (0 is possible). */
  filled: { slice: number; voxels: number }[];
  /**
   * Set when nothing could be interpolated: fewer than two drawn slices (a no-op, not an error, because the viewer
   * calls this while a person is still drawing), or drawn slices that are all adjacent.
   */
  reason?: string;
}

export function interpolateSlices(
  mask: ArrayLike<number>,
  dims: Vec3,
  spacing: Vec3,
  opts: SliceInterpolationOptions = {},
): SliceInterpolationResult {
  const [nx, ny, nz] = dims;
  if (!dims.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new NacError("DATA_INVALID", `slice interpolation: dims must be positive integers, got ${dims.join(", ")}`);
  }
  if (mask.length !== nx * ny * nz) {
    throw new NacError(
      "DATA_INVALID",
      `slice interpolation: mask has ${mask.length} voxels, dims give ${nx * ny * nz}`,
    );
  }
  if (!spacing.every((s) => s > 0 && Number.isFinite(s))) {
    throw new NacError(
      "DATA_INVALID",
      `slice interpolation: spacing must be positive and finite, got ${spacing.join(", ")}`,
    );
  }
  const label = opts.label ?? 1;
  if (!Number.isInteger(label) || label < 1 || label > 255) {
    throw new NacError("SETTINGS_INVALID", `slice interpolation: label must be an integer 1..255, got ${label}`);
  }
  const plane = nx * ny;
  const out = Uint8Array.from(mask as ArrayLike<number>, (v) => (v ? Math.min(255, Math.max(1, Math.round(v))) : 0));
  const drawnSlices: number[] = [];
  for (let k = 0; k < nz; k++) {
    for (let i = k * plane; i < (k + 1) * plane; i++) {
      if (out[i]) {
        drawnSlices.push(k);
        break;
      }
    }
  }
  if (drawnSlices.length < 2) {
    return {
      mask: out,
      drawnSlices,
      filled: [],
      reason: `need at least two drawn slices to interpolate between, found ${drawnSlices.length}`,
    };
  }
  const filled: { slice: number; voxels: number }[] = [];
  let prev = signedSliceDistance(out, drawnSlices[0], nx, ny, spacing);
  for (let p = 1; p < drawnSlices.length; p++) {
    const ka = drawnSlices[p - 1],
      kb = drawnSlices[p];
    const next = signedSliceDistance(out, kb, nx, ny, spacing);
    for (let k = ka + 1; k < kb; k++) {
      const t = (k - ka) / (kb - ka);
      let voxels = 0;
      for (let i = 0; i < plane; i++) {
        if ((1 - t) * prev[i] + t * next[i] <= 0) {
          out[k * plane + i] = label;
          voxels++;
        }
      }
      filled.push({ slice: k, voxels });
    }
    prev = next;
  }
  return filled.length
    ? { mask: out, drawnSlices, filled }
    : { mask: out, drawnSlices, filled, reason: "the drawn slices are adjacent: no slice lies between them" };
}

/**
 * In-plane signed distance (mm) of slice k: inside pixels -distance to the nearest outside pixel centre, outside
 * pixels +distance to the nearest inside one. The slice is padded by one outside pixel on each side, so the edge of
 * the grid acts as outside and every distance is finite (the slice has at least one inside pixel).
 */
function signedSliceDistance(mask: Uint8Array, k: number, nx: number, ny: number, spacing: Vec3): Float64Array {
  const px = nx + 2,
    py = ny + 2;
  const inside = new Uint8Array(px * py),
    outside = new Uint8Array(px * py).fill(1);
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      if (mask[k * nx * ny + y * nx + x]) {
        inside[(y + 1) * px + x + 1] = 1;
        outside[(y + 1) * px + x + 1] = 0;
      }
    }
  const sp: Vec3 = [spacing[0], spacing[1], 1];
  const toIn = squaredEdt(inside, [px, py, 1], sp);
  const toOut = squaredEdt(outside, [px, py, 1], sp);
  const phi = new Float64Array(nx * ny);
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      const j = (y + 1) * px + x + 1;
      phi[y * nx + x] = inside[j] ? -Math.sqrt(toOut[j]) : Math.sqrt(toIn[j]);
    }
  return phi;
}
