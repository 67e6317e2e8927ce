/**
 * Freehand contour → labelmap slice (framework-free so it is unit-tested).
 *
 * Why our own fill rather than Cornerstone's LabelMapEditWithContourTool: in 5.14 that tool adds a temporary Contour
 * representation to the segmentation and decides from the stroke's start voxel whether to fill or erase (a contour
 * started inside the tumour erases), and its fill is not recorded in the undo history (its createMemo is empty).
 * On our stack labelmaps (two per viewport: tumour and read-only shell) we want a plain, predictable "fill the closed
 * outline into the tumour on this slice" that is one undo step, so the outline is captured in the pane and filled here.
 */

/** Points in image pixel coordinates where pixel (c, r) covers [c, c+1) x [r, r+1) (Cornerstone's worldToImageCoords). */
export type PixelPoint = readonly [number, number];

/**
 * Pixels of a cols x rows slice whose centre lies inside the closed polygon (even-odd rule; the outline is closed by
 * joining the last point to the first). Returns a 0/1 mask, row-major (index = r * cols + c).
 */
export function fillPolygon(points: readonly PixelPoint[], cols: number, rows: number): Uint8Array {
  if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols <= 0 || rows <= 0)
    throw new Error(`fillPolygon: bad slice size ${cols}x${rows}`);
  for (const [x, y] of points)
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error("fillPolygon: non-finite outline point");
  const out = new Uint8Array(cols * rows);
  if (points.length < 3) return out;
  const n = points.length;
  let yMin = Infinity,
    yMax = -Infinity;
  for (const [, y] of points) {
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
  }
  const rFrom = Math.max(0, Math.ceil(yMin - 0.5)),
    rTo = Math.min(rows - 1, Math.floor(yMax - 0.5));
  const xs: number[] = [];
  for (let r = rFrom; r <= rTo; r++) {
    const yc = r + 0.5;
    xs.length = 0;
    for (let a = 0; a < n; a++) {
      const [x0, y0] = points[a];
      const [x1, y1] = points[(a + 1) % n];
      // half-open in y so a vertex exactly on the scanline is counted once
      if ((y0 <= yc && y1 > yc) || (y1 <= yc && y0 > yc)) xs.push(x0 + ((yc - y0) / (y1 - y0)) * (x1 - x0));
    }
    xs.sort((p, q) => p - q);
    for (let m = 0; m + 1 < xs.length; m += 2) {
      const cFrom = Math.max(0, Math.ceil(xs[m] - 0.5)),
        cTo = Math.min(cols - 1, Math.floor(xs[m + 1] - 0.5));
      for (let c = cFrom; c <= cTo; c++) out[r * cols + c] = 1;
    }
  }
  return out;
}

/** Count of set voxels (for messages and tests). */
export function countSet(mask: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  return n;
}
