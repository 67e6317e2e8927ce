/**
 * Maximum distances between mesh vertices: in 3D, and within planes of constant z (pyradiomics "Slice"), constant y
 * ("Column") and constant x ("Row"). Vertices come as doubled voxel indices, so plane membership is exact.
 * A pair realising a maximum in 3D or in a plane lies on the convex hull of the set (of the plane's points), so a
 * vertex that is strictly between two others on an axis-parallel line inside that plane can be dropped first.
 */
import type { Vec3 } from "@/lib/imaging/volume";
import { planeHullVertices } from "./convex-hull";

export interface Diameters {
  max3d: number;
  slice: number; // constant z
  column: number; // constant y
  row: number; // constant x
}

/** Keep the points that are the extremes along axis `a` among points sharing the other two coordinates. */
function lineExtremes(h: Int32Array, a: number): Int32Array {
  const b = (a + 1) % 3,
    c = (a + 2) % 3;
  const best = new Map<number, [number, number]>(); // key -> [index of min, index of max]
  const n = h.length / 3;
  for (let i = 0; i < n; i++) {
    const key = h[3 * i + b] * 1048576 + h[3 * i + c];
    const cur = best.get(key);
    if (!cur) best.set(key, [i, i]);
    else {
      if (h[3 * i + a] < h[3 * cur[0] + a]) cur[0] = i;
      if (h[3 * i + a] > h[3 * cur[1] + a]) cur[1] = i;
    }
  }
  const keep: number[] = [];
  for (const [lo, hi] of best.values()) {
    keep.push(h[3 * lo], h[3 * lo + 1], h[3 * lo + 2]);
    if (hi !== lo) keep.push(h[3 * hi], h[3 * hi + 1], h[3 * hi + 2]);
  }
  return Int32Array.from(keep);
}

/** Largest distance between two points, optionally only between points sharing coordinate `samePlaneAxis`. */
function maxPair(h: Int32Array, spacing: Vec3, samePlaneAxis: number | null): number {
  const groups = new Map<number, number[]>();
  const n = h.length / 3;
  for (let i = 0; i < n; i++) {
    const key = samePlaneAxis === null ? 0 : h[3 * i + samePlaneAxis];
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  const hx = spacing[0] / 2,
    hy = spacing[1] / 2,
    hz = spacing[2] / 2;
  let best = 0;
  for (const g of groups.values()) {
    const m = g.length;
    const xs = new Float64Array(m),
      ys = new Float64Array(m),
      zs = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      xs[k] = h[3 * g[k]] * hx;
      ys[k] = h[3 * g[k] + 1] * hy;
      zs[k] = h[3 * g[k] + 2] * hz;
    }
    for (let i = 0; i < m; i++) {
      const xi = xs[i],
        yi = ys[i],
        zi = zs[i];
      for (let j = i + 1; j < m; j++) {
        const dx = xi - xs[j],
          dy = yi - ys[j],
          dz = zi - zs[j];
        const d = dx * dx + dy * dy + dz * dz;
        if (d > best) best = d;
      }
    }
  }
  return Math.sqrt(best);
}

/**
 * `hullVertices` (optional): the convex hull's vertices as doubled indices; the 3D diameter is realised between two
 * of them, which makes the 3D search quadratic in hull vertices rather than mesh vertices.
 */
export function meshDiameters(vertexHalfIndex: Int32Array, spacing: Vec3, hullVertices?: Int32Array): Diameters {
  // 3D: hull points are extremes on lines along every axis.
  const c3 = hullVertices ?? lineExtremes(lineExtremes(lineExtremes(vertexHalfIndex, 0), 1), 2);
  // In a plane of constant axis p, the largest distance is between two vertices of that plane's 2D hull.
  const inPlane = (p: number) => planeHullVertices(vertexHalfIndex, p);
  return {
    max3d: maxPair(c3, spacing, null),
    slice: maxPair(inPlane(2), spacing, 2),
    column: maxPair(inPlane(1), spacing, 1),
    row: maxPair(inPlane(0), spacing, 0),
  };
}
