/**
 * Slice correspondence between two series in one frame of reference: the slice of B nearest (along B's slice normal)
 * to slice k of A, or null when A's slice lies outside B's extent by more than half a slice. Position-based, so series
 * with different slice counts, spacing or start still line up. (Cornerstone's image-slice synchronizer did not move
 * stack viewports of different lengths here; this is a plain geometric rule we can test.)
 */
export interface StackGeometry {
  dims: number[];
  spacing: number[];
  origin: number[];
  direction: number[];
}

export function correspondingSlice(a: StackGeometry, kA: number, b: StackGeometry): number | null {
  const p = [0, 1, 2].map((c) => a.origin[c] + kA * a.spacing[2] * a.direction[6 + c]);
  const nB = [b.direction[6], b.direction[7], b.direction[8]];
  const along = (p[0] - b.origin[0]) * nB[0] + (p[1] - b.origin[1]) * nB[1] + (p[2] - b.origin[2]) * nB[2];
  const k = Math.round(along / b.spacing[2]);
  if (k < -0.5 || k > b.dims[2] - 0.5) return null;
  return Math.max(0, Math.min(b.dims[2] - 1, k));
}
