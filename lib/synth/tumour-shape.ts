/**
 * A lobulated, star-shaped tumour: the surface in direction u (unit vector) is at radius
 *   r(u) = R0 * exp( 0.5 * u^T diag(ln elongation) u  +  sum_k a_k (exp(kappa_k (u . v_k - 1)) - m_k) )
 * i.e. a mildly elongated sphere carrying von Mises-Fisher "lobes" (a smooth sum-of-blobs on the sphere; m_k removes
 * each lobe's mean so that lobes redistribute rather than inflate the volume). R0 is solved so that the volume equals a
 * requested volume-equivalent diameter exactly (up to quadrature error), which is the size variable of the planted model.
 */
import type { Rng } from "./prng";

export interface Lobe {
  dir: [number, number, number];
  amplitude: number;
  kappa: number;
}

export interface TumourShapeParams {
  /** ln of the axis scale factors along x, y, z (before the rotation below is applied to u). */
  logElongation: [number, number, number];
  /** Rotation matrix (row-major 3x3) taking patient-space directions into the shape frame. */
  rotation: number[];
  lobes: Lobe[];
  /** Radius scale (mm) chosen to meet the requested volume. */
  r0: number;
}

const N_THETA = 64;
const N_PHI = 128;

/** Deterministic, evenly spread unit vectors (Fibonacci lattice). */
export function fibonacciSphere(n: number): Float64Array {
  const out = new Float64Array(n * 3);
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const z = 1 - (2 * (i + 0.5)) / n;
    const r = Math.sqrt(1 - z * z);
    const t = golden * i;
    out[i * 3] = r * Math.cos(t);
    out[i * 3 + 1] = r * Math.sin(t);
    out[i * 3 + 2] = z;
  }
  return out;
}

function unitLogRadius(p: Omit<TumourShapeParams, "r0">, x: number, y: number, z: number): number {
  const R = p.rotation;
  const sx = R[0] * x + R[1] * y + R[2] * z;
  const sy = R[3] * x + R[4] * y + R[5] * z;
  const sz = R[6] * x + R[7] * y + R[8] * z;
  let s = 0.5 * (p.logElongation[0] * sx * sx + p.logElongation[1] * sy * sy + p.logElongation[2] * sz * sz);
  for (const l of p.lobes) {
    const c = x * l.dir[0] + y * l.dir[1] + z * l.dir[2];
    // Mean of exp(kappa (c - 1)) over the sphere is (1 - exp(-2 kappa)) / (2 kappa).
    s += l.amplitude * (Math.exp(l.kappa * (c - 1)) - (1 - Math.exp(-2 * l.kappa)) / (2 * l.kappa));
  }
  return s;
}

const QUAD = fibonacciSphere(1024);
const DIAM = fibonacciSphere(256);

/** Draws a shape with lobulation 0..1 and scales it to the given volume-equivalent diameter. */
export function sampleTumourShape(rng: Rng, lobulation: number, equivalentDiameterMm: number): TumourShapeParams {
  const el: [number, number, number] = [rng.normal(0, 0.12), rng.normal(0, 0.12), rng.normal(0, 0.12)];
  // Random rotation from a random unit quaternion.
  const q = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
  const qn = Math.hypot(q[0], q[1], q[2], q[3]);
  const [w, x, y, z] = q.map((v) => v / qn);
  const rotation = [
    1 - 2 * (y * y + z * z),
    2 * (x * y - w * z),
    2 * (x * z + w * y),
    2 * (x * y + w * z),
    1 - 2 * (x * x + z * z),
    2 * (y * z - w * x),
    2 * (x * z - w * y),
    2 * (y * z + w * x),
    1 - 2 * (x * x + y * y),
  ];
  const lobes: Lobe[] = [];
  const nLobes = 3 + Math.floor(rng.uniform() * (3 + 4 * lobulation));
  for (let k = 0; k < nLobes; k++) {
    const v = [rng.normal(), rng.normal(), rng.normal()];
    const vn = Math.hypot(v[0], v[1], v[2]);
    lobes.push({
      dir: [v[0] / vn, v[1] / vn, v[2] / vn],
      amplitude: (0.08 + 0.42 * lobulation) * rng.range(0.5, 1),
      kappa: rng.range(3, 10),
    });
  }
  // A few small sharp bumps give an irregular margin in the more lobulated tumours.
  const nSharp = Math.floor(lobulation * 6 * rng.uniform());
  for (let k = 0; k < nSharp; k++) {
    const v = [rng.normal(), rng.normal(), rng.normal()];
    const vn = Math.hypot(v[0], v[1], v[2]);
    lobes.push({ dir: [v[0] / vn, v[1] / vn, v[2] / vn], amplitude: rng.range(0.08, 0.2), kappa: rng.range(25, 60) });
  }
  let shape: TumourShapeParams = { logElongation: el, rotation, lobes, r0: 1 };
  // Tame the irregularity (never the volume) until the tumour fits the ~100 mm imaging slab with margin.
  for (let iter = 0; iter < 30; iter++) {
    shape = { ...shape, r0: scaleForVolume(shape, equivalentDiameterMm) };
    if (maxRadiusMm(shape) <= MAX_RADIUS_MM) break;
    shape = {
      ...shape,
      logElongation: shape.logElongation.map((e) => e * 0.8) as [number, number, number],
      lobes: shape.lobes.map((l) => ({ ...l, amplitude: l.amplitude * 0.8 })),
    };
  }
  return shape;
}

/** Upper bound on the centre-to-surface distance, so the whole tumour fits the imaged slab. */
export const MAX_RADIUS_MM = 40;

function scaleForVolume(shape: Omit<TumourShapeParams, "r0">, equivalentDiameterMm: number): number {
  let m3 = 0;
  const n = QUAD.length / 3;
  for (let i = 0; i < n; i++) m3 += Math.exp(3 * unitLogRadius(shape, QUAD[i * 3], QUAD[i * 3 + 1], QUAD[i * 3 + 2]));
  // V = (1/3) * integral r^3 dOmega = (4 pi / 3) R0^3 * mean(exp(3 s)); match (pi / 6) d^3.
  return equivalentDiameterMm / 2 / Math.cbrt(m3 / n);
}

/** A fast r(u) lookup: the radius tabulated on a theta/phi grid, bilinearly interpolated. */
export class TumourRadiusTable {
  readonly table: Float32Array;
  readonly maxRadius: number;

  constructor(readonly params: TumourShapeParams) {
    this.table = new Float32Array((N_THETA + 1) * (N_PHI + 1));
    let maxR = 0;
    for (let it = 0; it <= N_THETA; it++) {
      const th = (Math.PI * it) / N_THETA;
      for (let ip = 0; ip <= N_PHI; ip++) {
        const ph = -Math.PI + (2 * Math.PI * ip) / N_PHI;
        const r =
          params.r0 *
          Math.exp(unitLogRadius(params, Math.sin(th) * Math.cos(ph), Math.sin(th) * Math.sin(ph), Math.cos(th)));
        this.table[it * (N_PHI + 1) + ip] = r;
        if (r > maxR) maxR = r;
      }
    }
    this.maxRadius = maxR;
  }

  /** Radius (mm) of the surface in the direction of the offset (dx, dy, dz) from the centre; d = its length (> 0). */
  radius(dx: number, dy: number, dz: number, d: number): number {
    const ft = (Math.acos(Math.max(-1, Math.min(1, dz / d))) / Math.PI) * N_THETA;
    const fp = ((Math.atan2(dy, dx) + Math.PI) / (2 * Math.PI)) * N_PHI;
    let it = Math.floor(ft);
    let ip = Math.floor(fp);
    if (it >= N_THETA) it = N_THETA - 1;
    if (ip >= N_PHI) ip = N_PHI - 1;
    const a = ft - it;
    const b = fp - ip;
    const t = this.table;
    const r0 = it * (N_PHI + 1) + ip;
    const r1 = r0 + N_PHI + 1;
    return (1 - a) * ((1 - b) * t[r0] + b * t[r0 + 1]) + a * ((1 - b) * t[r1] + b * t[r1 + 1]);
  }
}

const MAXR = fibonacciSphere(1024);

/** Largest centre-to-surface distance (mm), over a 1024-point Fibonacci sampling of directions. */
export function maxRadiusMm(p: TumourShapeParams): number {
  let best = 0;
  for (let i = 0; i < MAXR.length / 3; i++) {
    const r = p.r0 * Math.exp(unitLogRadius(p, MAXR[i * 3], MAXR[i * 3 + 1], MAXR[i * 3 + 2]));
    if (r > best) best = r;
  }
  return best;
}

/** Longest diameter (mm): the largest distance between two surface points, over a 256-point Fibonacci sampling. */
export function longestDiameterMm(p: TumourShapeParams): number {
  const n = DIAM.length / 3;
  const pts = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const x = DIAM[i * 3],
      y = DIAM[i * 3 + 1],
      z = DIAM[i * 3 + 2];
    const r = p.r0 * Math.exp(unitLogRadius(p, x, y, z));
    pts[i * 3] = r * x;
    pts[i * 3 + 1] = r * y;
    pts[i * 3 + 2] = r * z;
  }
  let best = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = pts[i * 3] - pts[j * 3],
        dy = pts[i * 3 + 1] - pts[j * 3 + 1],
        dz = pts[i * 3 + 2] - pts[j * 3 + 2];
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 > best) best = d2;
    }
  }
  return Math.sqrt(best);
}
