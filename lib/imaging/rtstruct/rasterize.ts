/**
 * rasterizeRoi: RTSTRUCT closed planar contours -> a Mask on an image grid.
 *
 * Inclusion rule: a voxel is inside when its CENTRE is inside the contours of its slice under the EVEN-ODD rule (so a
 * contour nested in another is a hole, and overlapping contours cancel where they overlap). Scan-line form: on row j,
 * the crossings of the polygon edges with the line through the voxel centres are computed with the half-open edge
 * rule (an edge counts when y0 <= j < y1), and voxel i is inside when an odd number of crossings x satisfy x <= i.
 * Contours are mapped to continuous voxel indices with the grid's geometry; each contour must lie in one slice
 * plane: all its points within 0.25 slice of the same integer k (else GEOMETRY_MISMATCH: the RTSTRUCT was drawn on
 * another grid; resample first). Contours on slices outside the grid are GEOMETRY_MISMATCH as well. POINT and OPEN
 * contours carry no area and are ignored; an ROI with no closed contour is MASK_EMPTY. When the grid names its
 * FrameOfReferenceUID and the ROI has one, they must be equal.
 */
import { NacError } from "../../errors/nac-error";
import { indexToLpsMatrix, invert3 } from "../geometry";
import { makeVolume, type Geometry, type Mask } from "../volume";
import type { RtRoi } from "./read-rtstruct";

const PLANE_TOL = 0.25;

export function rasterizeRoi(roi: RtRoi, grid: Geometry & { frameOfReferenceUid?: string }): Mask {
  if (grid.frameOfReferenceUid && roi.frameOfReferenceUid && grid.frameOfReferenceUid !== roi.frameOfReferenceUid) {
    throw new NacError(
      "GEOMETRY_MISMATCH",
      `ROI "${roi.name}" is in frame of reference ${roi.frameOfReferenceUid}, the image in ${grid.frameOfReferenceUid}`,
    );
  }
  const [nx, ny, nz] = grid.dims;
  const inv = invert3(indexToLpsMatrix(grid));
  const o = grid.origin;
  // Polygons per slice, in (i, j) index coordinates.
  const bySlice = new Map<number, Float64Array[]>();
  let closed = 0;
  for (const c of roi.contours) {
    if (c.geometricType !== "CLOSED_PLANAR") continue;
    if (c.points.length < 3) continue;
    closed++;
    const poly = new Float64Array(c.points.length * 2);
    let kSum = 0;
    const ks: number[] = [];
    c.points.forEach((p, n) => {
      const x = p[0] - o[0],
        y = p[1] - o[1],
        z = p[2] - o[2];
      poly[2 * n] = inv[0] * x + inv[1] * y + inv[2] * z;
      poly[2 * n + 1] = inv[3] * x + inv[4] * y + inv[5] * z;
      const k = inv[6] * x + inv[7] * y + inv[8] * z;
      ks.push(k);
      kSum += k;
    });
    const k = Math.round(kSum / ks.length);
    const off = ks.reduce((m, v) => Math.max(m, Math.abs(v - k)), 0);
    if (off > PLANE_TOL) {
      throw new NacError(
        "GEOMETRY_MISMATCH",
        `ROI "${roi.name}": a contour lies ${off.toFixed(2)} slices off the image's slice planes (contour drawn on another grid?)`,
      );
    }
    if (k < 0 || k >= nz)
      throw new NacError(
        "GEOMETRY_MISMATCH",
        `ROI "${roi.name}": a contour lies on slice ${k + 1}, outside the image's ${nz} slices`,
      );
    const list = bySlice.get(k) ?? [];
    list.push(poly);
    bySlice.set(k, list);
  }
  if (!closed) throw new NacError("MASK_EMPTY", `ROI "${roi.name}" has no closed planar contour`);
  const data = new Uint8Array(nx * ny * nz);
  const xs: number[] = [];
  for (const [k, polys] of bySlice) {
    const base = k * nx * ny;
    for (let j = 0; j < ny; j++) {
      xs.length = 0;
      for (const poly of polys) {
        const n = poly.length / 2;
        for (let a = 0, b = n - 1; a < n; b = a++) {
          const ya = poly[2 * a + 1],
            yb = poly[2 * b + 1];
          if ((ya <= j && j < yb) || (yb <= j && j < ya)) {
            const xa = poly[2 * a],
              xb = poly[2 * b];
            xs.push(xa + ((j - ya) * (xb - xa)) / (yb - ya));
          }
        }
      }
      if (xs.length < 2) continue;
      xs.sort((p, q) => p - q);
      const row = base + j * nx;
      for (let m = 0; m + 1 < xs.length; m += 2) {
        const from = Math.max(0, Math.ceil(xs[m]));
        const to = Math.min(nx - 1, Math.ceil(xs[m + 1]) - 1);
        for (let i = from; i <= to; i++) data[row + i] = 1;
      }
    }
  }
  return makeVolume(data, { dims: grid.dims, spacing: grid.spacing, origin: grid.origin, direction: grid.direction });
}

export function countVoxels(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) n += mask.data[i] ? 1 : 0;
  return n;
}
