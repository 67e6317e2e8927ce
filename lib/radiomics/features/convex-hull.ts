/**
 * Volume and area of the convex hull of mesh vertices. The hull is built incrementally on the vertices' doubled
 * voxel indices, where orientation tests are exact integer arithmetic (no epsilon decisions); a diagonal scaling is
 * affine, so that hull's faces are the hull of the scaled points, whose volume and area are then measured in mm.
 */
import type { Vec3 } from "@/lib/imaging/volume";

function orient(p: Int32Array, a: number, b: number, c: number, d: number): number {
  const ax = p[3 * a],
    ay = p[3 * a + 1],
    az = p[3 * a + 2];
  const bx = p[3 * b] - ax,
    by = p[3 * b + 1] - ay,
    bz = p[3 * b + 2] - az;
  const cx = p[3 * c] - ax,
    cy = p[3 * c + 1] - ay,
    cz = p[3 * c + 2] - az;
  const dx = p[3 * d] - ax,
    dy = p[3 * d + 1] - ay,
    dz = p[3 * d + 2] - az;
  return dx * (by * cz - bz * cy) + dy * (bz * cx - bx * cz) + dz * (bx * cy - by * cx);
}

/**
 * Vertices of the 2D convex hull of each plane of constant coordinate `axis` (Andrew's monotone chain, exact
 * integers, collinear points dropped). A vertex of the 3D hull is a vertex of its plane's hull, so this filter keeps
 * every 3D hull vertex while discarding almost all surface points.
 */
export function planeHullVertices(h: Int32Array, axis: number): Int32Array {
  const u = (axis + 1) % 3,
    v = (axis + 2) % 3;
  const groups = new Map<number, number[]>();
  const n = h.length / 3;
  for (let i = 0; i < n; i++) {
    const key = h[3 * i + axis];
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  const keep: number[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => h[3 * a + u] - h[3 * b + u] || h[3 * a + v] - h[3 * b + v]);
    const pts: number[] = [];
    for (const i of g) {
      // Drop exact duplicates.
      const last = pts[pts.length - 1];
      if (last !== undefined && h[3 * last + u] === h[3 * i + u] && h[3 * last + v] === h[3 * i + v]) continue;
      pts.push(i);
    }
    if (pts.length <= 2) {
      for (const i of pts) keep.push(h[3 * i], h[3 * i + 1], h[3 * i + 2]);
      continue;
    }
    const cross = (o: number, a: number, b: number) =>
      (h[3 * a + u] - h[3 * o + u]) * (h[3 * b + v] - h[3 * o + v]) -
      (h[3 * a + v] - h[3 * o + v]) * (h[3 * b + u] - h[3 * o + u]);
    const hull: number[] = [];
    for (const i of pts) {
      while (hull.length >= 2 && cross(hull[hull.length - 2], hull[hull.length - 1], i) <= 0) hull.pop();
      hull.push(i);
    }
    const lower = hull.length + 1;
    for (let k = pts.length - 2; k >= 0; k--) {
      const i = pts[k];
      while (hull.length >= lower && cross(hull[hull.length - 2], hull[hull.length - 1], i) <= 0) hull.pop();
      hull.push(i);
    }
    hull.pop();
    for (const i of hull) keep.push(h[3 * i], h[3 * i + 1], h[3 * i + 2]);
  }
  return Int32Array.from(keep);
}

function hullCandidates(h: Int32Array): Int32Array {
  return planeHullVertices(planeHullVertices(planeHullVertices(h, 2), 1), 0);
}

export function convexHull(
  halfIndex: Int32Array,
  spacing: Vec3,
): { volume: number; area: number; vertices: Int32Array } {
  const p = hullCandidates(halfIndex);
  const n = p.length / 3;
  if (n < 4) throw new Error("fewer than 4 points");
  // Initial tetrahedron: extreme x, farthest from it, off the line, off the plane.
  let i0 = 0;
  for (let i = 1; i < n; i++) if (p[3 * i] < p[3 * i0]) i0 = i;
  let i1 = -1,
    best = -1;
  for (let i = 0; i < n; i++) {
    const d = (p[3 * i] - p[3 * i0]) ** 2 + (p[3 * i + 1] - p[3 * i0 + 1]) ** 2 + (p[3 * i + 2] - p[3 * i0 + 2]) ** 2;
    if (d > best) {
      best = d;
      i1 = i;
    }
  }
  let i2 = -1;
  best = 0;
  for (let i = 0; i < n; i++) {
    const ux = p[3 * i1] - p[3 * i0],
      uy = p[3 * i1 + 1] - p[3 * i0 + 1],
      uz = p[3 * i1 + 2] - p[3 * i0 + 2];
    const vx = p[3 * i] - p[3 * i0],
      vy = p[3 * i + 1] - p[3 * i0 + 1],
      vz = p[3 * i + 2] - p[3 * i0 + 2];
    const d = (uy * vz - uz * vy) ** 2 + (uz * vx - ux * vz) ** 2 + (ux * vy - uy * vx) ** 2;
    if (d > best) {
      best = d;
      i2 = i;
    }
  }
  if (i2 < 0) throw new Error("all points collinear");
  let i3 = -1;
  best = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(orient(p, i0, i1, i2, i));
    if (d > best) {
      best = d;
      i3 = i;
    }
  }
  if (i3 < 0) throw new Error("all points coplanar");

  // Faces as triples with outward orientation: orient(face, q) > 0 means q is outside (visible).
  const faces: number[] = [];
  const alive: boolean[] = [];
  const addFace = (a: number, b: number, c: number) => {
    faces.push(a, b, c);
    alive.push(true);
  };
  if (orient(p, i0, i1, i2, i3) > 0) {
    // i3 is on the positive side of (i0,i1,i2): flip that face so i3 is inside.
    addFace(i0, i2, i1);
    addFace(i0, i1, i3);
    addFace(i1, i2, i3);
    addFace(i2, i0, i3);
  } else {
    addFace(i0, i1, i2);
    addFace(i0, i3, i1);
    addFace(i1, i3, i2);
    addFace(i2, i3, i0);
  }
  const used = new Set([i0, i1, i2, i3]);
  // Deterministic pseudo-random insertion order keeps the expected face count low.
  const order = Array.from({ length: n }, (_, i) => i);
  let seed = 12345;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (const q of order) {
    if (used.has(q)) continue;
    const visibleEdges = new Map<number, [number, number]>();
    let any = false;
    for (let f = 0; f < alive.length; f++) {
      if (!alive[f]) continue;
      const a = faces[3 * f],
        b = faces[3 * f + 1],
        c = faces[3 * f + 2];
      if (orient(p, a, b, c, q) > 0) {
        any = true;
        alive[f] = false;
        for (const [u, v] of [
          [a, b],
          [b, c],
          [c, a],
        ]) {
          const rev = v * n + u;
          if (visibleEdges.has(rev)) visibleEdges.delete(rev);
          else visibleEdges.set(u * n + v, [u, v]);
        }
      }
    }
    if (!any) continue;
    for (const [u, v] of visibleEdges.values()) addFace(u, v, q);
  }
  // Measure in mm.
  const onHull = new Set<number>();
  const hx = spacing[0] / 2,
    hy = spacing[1] / 2,
    hz = spacing[2] / 2;
  let vol = 0,
    area = 0;
  for (let f = 0; f < alive.length; f++) {
    if (!alive[f]) continue;
    const a = faces[3 * f],
      b = faces[3 * f + 1],
      c = faces[3 * f + 2];
    onHull.add(a).add(b).add(c);
    const ax = p[3 * a] * hx,
      ay = p[3 * a + 1] * hy,
      az = p[3 * a + 2] * hz;
    const bx = p[3 * b] * hx - ax,
      by = p[3 * b + 1] * hy - ay,
      bz = p[3 * b + 2] * hz - az;
    const cx = p[3 * c] * hx - ax,
      cy = p[3 * c + 1] * hy - ay,
      cz = p[3 * c + 2] * hz - az;
    const nx = by * cz - bz * cy,
      ny = bz * cx - bx * cz,
      nz = bx * cy - by * cx;
    area += 0.5 * Math.hypot(nx, ny, nz);
    vol += ax * nx + ay * ny + az * nz;
  }
  const vertices = new Int32Array(onHull.size * 3);
  let k = 0;
  for (const i of onHull) {
    vertices[k++] = p[3 * i];
    vertices[k++] = p[3 * i + 1];
    vertices[k++] = p[3 * i + 2];
  }
  return { volume: Math.abs(vol) / 6, area, vertices };
}
