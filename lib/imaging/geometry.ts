/**
 * Voxel index <-> patient (LPS, mm) mapping and grid comparison for `Volume`/`Geometry`.
 *
 * Grid comparison tolerance (documented, used by mask loading and every "same grid?" check):
 *   two grids match when the dims are equal and the centres of voxel (0,0,0) and of the last voxel along each axis
 *   ((n-1,0,0), (0,n-1,0), (0,0,n-1)) coincide within `relTol` x the smallest voxel spacing (default 1e-3, i.e.
 *   0.7 um for 0.7 mm voxels); in addition, each axis's spacing agrees to `relTol` relative and its unit direction to
 *   `relTol` per component (so single-slice axes are checked too). This absorbs float32 storage (NIfTI) and
 *   DICOM decimal-string rounding, and rejects any shift or tilt a person could see.
 */
import { NacError } from "../errors";
import type { Direction, Geometry, Vec3 } from "./volume";

export const DEFAULT_GEOMETRY_REL_TOL = 1e-3;

/** Patient position (LPS mm) of a (possibly fractional) voxel index. */
export function indexToLps(g: Geometry, idx: Vec3): Vec3 {
  const { origin: o, spacing: s, direction: d } = g;
  const a = idx[0] * s[0],
    b = idx[1] * s[1],
    c = idx[2] * s[2];
  return [
    o[0] + a * d[0] + b * d[3] + c * d[6],
    o[1] + a * d[1] + b * d[4] + c * d[7],
    o[2] + a * d[2] + b * d[5] + c * d[8],
  ];
}

/** 3x3 matrix (row-major) mapping index offsets to LPS offsets: column a = spacing[a] * direction axis a. */
export function indexToLpsMatrix(g: Geometry): number[] {
  const { spacing: s, direction: d } = g;
  return [
    d[0] * s[0],
    d[3] * s[1],
    d[6] * s[2],
    d[1] * s[0],
    d[4] * s[1],
    d[7] * s[2],
    d[2] * s[0],
    d[5] * s[1],
    d[8] * s[2],
  ];
}

export function invert3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h,
    B = -(d * i - f * g),
    C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!(Math.abs(det) > 1e-300)) {
    throw new NacError("GEOMETRY_MISMATCH", "image direction matrix is singular (axes are not independent)");
  }
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/** Continuous voxel index of a patient position (inverse of indexToLps). */
export function lpsToIndex(g: Geometry, p: Vec3): Vec3 {
  const inv = invert3(indexToLpsMatrix(g));
  const x = p[0] - g.origin[0],
    y = p[1] - g.origin[1],
    z = p[2] - g.origin[2];
  return [
    inv[0] * x + inv[1] * y + inv[2] * z,
    inv[3] * x + inv[4] * y + inv[5] * z,
    inv[6] * x + inv[7] * y + inv[8] * z,
  ];
}

const fmt = (v: readonly number[]) => `(${v.map((x) => +x.toFixed(6)).join(", ")})`;

/**
 * Human-readable list of what differs between two grids under the documented tolerance; empty when they match.
 * `a` is usually the mask, `b` the reference image.
 */
export function geometryDifferences(a: Geometry, b: Geometry, relTol = DEFAULT_GEOMETRY_REL_TOL): string[] {
  const out: string[] = [];
  if (a.dims.some((d, i) => d !== b.dims[i])) {
    out.push(`dims ${a.dims.join("x")} vs ${b.dims.join("x")}`);
    return out; // positions of "last voxels" are meaningless across different dims
  }
  const tolMm = relTol * Math.min(...a.spacing, ...b.spacing);
  for (let ax = 0; ax < 3; ax++) {
    if (Math.abs(a.spacing[ax] - b.spacing[ax]) > relTol * Math.max(a.spacing[ax], b.spacing[ax])) {
      out.push(`spacing ${fmt(a.spacing)} vs ${fmt(b.spacing)} mm`);
      break;
    }
  }
  const axes = ["i", "j", "k"];
  for (let ax = 0; ax < 3; ax++) {
    const da = a.direction.slice(ax * 3, ax * 3 + 3),
      db = b.direction.slice(ax * 3, ax * 3 + 3);
    if (da.some((x, c) => Math.abs(x - db[c]) > relTol)) {
      out.push(`direction of axis ${axes[ax]} ${fmt(da)} vs ${fmt(db)}`);
    }
  }
  const dist = (p: Vec3, q: Vec3) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
  const d0 = dist(a.origin, b.origin);
  if (d0 > tolMm) out.push(`origin ${fmt(a.origin)} vs ${fmt(b.origin)} mm (${+d0.toPrecision(3)} mm apart)`);
  for (let ax = 0; ax < 3; ax++) {
    const idx: Vec3 = [0, 0, 0];
    idx[ax] = a.dims[ax] - 1;
    if (idx[ax] === 0) continue;
    const d = dist(indexToLps(a, idx), indexToLps(b, idx));
    if (d > tolMm) out.push(`last voxel along ${axes[ax]} is ${+d.toPrecision(3)} mm apart`);
  }
  return out;
}

export function sameGeometry(a: Geometry, b: Geometry, relTol = DEFAULT_GEOMETRY_REL_TOL): boolean {
  return geometryDifferences(a, b, relTol).length === 0;
}

/** Throws GEOMETRY_MISMATCH naming every difference. */
export function assertSameGeometry(
  a: Geometry,
  b: Geometry,
  what = "mask and image",
  relTol = DEFAULT_GEOMETRY_REL_TOL,
): void {
  const diffs = geometryDifferences(a, b, relTol);
  if (diffs.length > 0) {
    throw new NacError(
      "GEOMETRY_MISMATCH",
      `${what} are not on the same voxel grid (tolerance ${relTol} x voxel spacing): ${diffs.join("; ")}`,
      { differences: diffs },
    );
  }
}

export function copyGeometry(g: Geometry): Geometry {
  return {
    dims: [...g.dims] as Vec3,
    spacing: [...g.spacing] as Vec3,
    origin: [...g.origin] as Vec3,
    direction: [...g.direction] as Direction,
  };
}
