/**
 * Volume-matched sub-voxel surface (peritumoral shell, measureFrom "surface-volume-matched"): the "surface" field of
 * surface-distance.ts with three changes, distances then to T* = { phi <= delta } as for "surface":
 * 1. between and beyond thick slices, each slice's section is scaled to the area interpolated (and, past the last
 *    slice, extrapolated) by quadratics through neighbouring section areas, instead of linear shape interpolation and
 *    a flat end cap;
 * 2. phi and the sections are blurred twice by [1, 2, 1] / 4 along the fine axes, so a dilation does not reach the
 *    outermost bumps of a corrugated surface;
 * 3. the level delta is chosen so that the volume of T* equals the tumour mask's voxel volume.
 * Why each step, and the accuracy it buys: docs/PERITUMORAL.md.
 */
import { NacError } from "../errors";
import {
  refineCoarseAxes,
  signedCentreDistance,
  smoothSignedDistance,
  squaredDistanceToZeroSet,
} from "./surface-distance";
import type { Vec3 } from "./volume";

export interface VolumeMatchedSurface {
  /** Squared distance (mm^2) from each voxel centre to T* (0 inside T*), on the input grid. */
  d2: Float64Array;
  /** The level offset delta (mm of phi) that matched the volumes. */
  delta: number;
  /** Ends along the slice axis that were extrapolated (0-2). */
  cappedEnds: number;
}

/**
 * Squared distance from each voxel centre of the grid `dims` to the volume-matched surface estimate of the binary
 * `mask` (see above). `smoothing: false` (surfaceSmoothing of peritumoralShell) skips both smoothing steps.
 */
export function volumeMatchedSurfaceDistance(
  mask: ArrayLike<number>,
  dims: Vec3,
  spacing: Vec3,
  stepMm: number,
  smoothing = true,
): VolumeMatchedSurface {
  const smooth = (x: Float64Array, d: Vec3, s: Vec3) =>
    binomialBlur(binomialBlur(smoothSignedDistance(x, d, s), d, s), d, s);
  const n = dims[0] * dims[1] * dims[2];
  if (mask.length !== n) throw new NacError("DATA_INVALID", `mask has ${mask.length} voxels, dims give ${n}`);
  let count = 0;
  const lo: Vec3 = [dims[0], dims[1], dims[2]],
    hi: Vec3 = [-1, -1, -1];
  for (let z = 0, i = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++, i++) {
        if (!mask[i]) continue;
        count++;
        const p = [x, y, z];
        for (let a = 0; a < 3; a++) {
          if (p[a] < lo[a]) lo[a] = p[a];
          if (p[a] > hi[a]) hi[a] = p[a];
        }
      }
  if (count === 0) throw new NacError("MASK_EMPTY", "volume-matched surface of an empty mask");

  const raw = signedCentreDistance(mask, dims, spacing);
  const phi = smoothing ? smooth(raw, dims, spacing) : raw;
  // Refinement exactly as surfaceSquaredDistance: cubic along every coarse axis, fine factors on the others.
  const { field, fd, sp, f, keep, coarse, factors } = refineCoarseAxes(phi, dims, spacing, stepMm);
  let cappedEnds = 0;
  if (coarse.length === 1 && hi[coarse[0]] - lo[coarse[0]] >= 2) {
    const a = coarse[0];
    cappedEnds = modelSlab(
      field,
      fd,
      mask,
      dims,
      spacing,
      factors,
      a,
      keep[a],
      lo[a],
      hi[a],
      smoothing ? smooth : null,
    );
  }
  const delta = matchVolumeLevel(field, fd, sp, f, keep, lo, hi, count * spacing[0] * spacing[1] * spacing[2]);
  if (delta !== 0) for (let i = 0; i < field.length; i++) field[i] -= delta;
  return { d2: squaredDistanceToZeroSet(field, fd, sp, f, keep), delta, cappedEnds };
}

/** One tumour slice across the coarse axis: smoothed in-plane signed distance, centroid, pixel count. */
interface Section {
  phi: Float64Array;
  cb: number;
  cc: number;
  area: number;
  /** Area (pixels) enclosed by the zero set of phi, counted on the fine in-plane points. */
  zeroArea: number;
  /** Smoothing erased it (a few pixels): its area and centroid are used, with a neighbouring section's shape. */
  shapeless: boolean;
}

/** The shape used for a slice: section S scaled about its centroid, centred at (cb, cc). */
interface Shape {
  S: Section;
  cb: number;
  cc: number;
}

/**
 * Rewrites the refined field on the slices lo..hi along the coarse axis a and in the gaps between and beyond them
 * (see the module comment): in a gap between non-empty slices k and k + 1 each section is scaled about its centroid
 * to the interpolated area A(t) and their signed distances blended linearly (shape-based interpolation of
 * area-corrected sections); beyond an end, slice L's section scaled to the extrapolated area. Values are in-plane
 * distances times g = 1 / sqrt(1 + (dR/dz)^2) (R the equivalent radius), i.e. distances to the modelled surface to
 * first order, so the linear interpolation between samples places crossings right along every axis. Returns the
 * number of ends extrapolated; gaps next to an empty slice inside the range keep the cubic field.
 */
function modelSlab(
  field: Float64Array,
  fd: Vec3,
  mask: ArrayLike<number>,
  dims: Vec3,
  spacing: Vec3,
  factors: Vec3,
  a: number,
  F: number,
  lo: number,
  hi: number,
  smooth: ((x: Float64Array, d: Vec3, s: Vec3) => Float64Array) | null,
): number {
  const [b, c] = [0, 1, 2].filter((x) => x !== a);
  const nb = dims[b],
    nc = dims[c],
    sb = spacing[b],
    sc = spacing[c],
    h = spacing[a];
  const ms: Vec3 = [1, dims[0], dims[0] * dims[1]];
  const fs: Vec3 = [1, fd[0], fd[0] * fd[1]];
  const sp2: Vec3 = [sb, sc, Math.max(sb, sc)]; // third spacing only keeps both in-plane axes "fine" for smoothing
  const sections: (Section | null)[] = [];
  for (let k = lo; k <= hi; k++) {
    const slice = new Uint8Array(nb * nc);
    let cb = 0,
      cc = 0,
      area = 0;
    for (let ic = 0; ic < nc; ic++)
      for (let ib = 0; ib < nb; ib++) {
        if (!mask[k * ms[a] + ib * ms[b] + ic * ms[c]]) continue;
        slice[ib + nb * ic] = 1;
        cb += ib;
        cc += ic;
        area++;
      }
    // Empty, or several separate pieces (scaling them about their common centroid would move them): no model.
    if (area === 0 || componentCount(slice, nb, nc) > 1) {
      sections.push(null);
      continue;
    }
    const raw = signedCentreDistance(slice, [nb, nc, 1], sp2);
    // Smoothing shrinks small sections: each is scaled to its pixel-count area below. One it erased (a few pixels) has
    // no usable shape of its own.
    const phi = smooth ? smooth(raw, [nb, nc, 1], sp2) : raw;
    const zeroArea = zeroSetArea(phi, nb, nc, factors[b], factors[c]);
    sections.push({ phi, cb: cb / area, cc: cc / area, area, zeroArea, shapeless: zeroArea === 0 });
  }
  const sec = (k: number) => (k >= lo && k <= hi ? sections[k - lo] : null);
  const A = (k: number) => sec(k)?.area ?? 0;
  if (sections.every((x) => !x)) return 0;
  // Section k's signed distance at fractional index (qb, qc): bilinear inside the grid plus the distance beyond it.
  const sample = (S: Section, qb: number, qc: number) => {
    const xb = Math.min(nb - 1, Math.max(0, qb)),
      xc = Math.min(nc - 1, Math.max(0, qc));
    let v: number;
    if (nb < 2 || nc < 2) v = S.phi[Math.round(xb) + nb * Math.round(xc)];
    else {
      const ib = Math.min(nb - 2, Math.floor(xb)),
        ic = Math.min(nc - 2, Math.floor(xc));
      const rb = xb - ib,
        rc = xc - ic,
        i = ib + nb * ic,
        p = S.phi;
      v = (1 - rb) * (1 - rc) * p[i] + rb * (1 - rc) * p[i + 1] + (1 - rb) * rc * p[i + nb] + rb * rc * p[i + nb + 1];
    }
    return v + Math.hypot((qb - xb) * sb, (qc - xc) * sc);
  };
  // Signed distance to the shape scaled to `area` (pixels) about its centroid, at pixel (ib, ic).
  const scaled = (sh: Shape, area: number, ib: number, ic: number) => {
    const s = Math.sqrt(area / sh.S.zeroArea);
    return s * sample(sh.S, sh.S.cb + (ib - sh.cb) / s, sh.S.cc + (ic - sh.cc) / s);
  };
  // Slice k's shape: its own section, or for a shapeless one the larger shaped neighbour moved to its centroid.
  const shapeOf = (k: number): Shape | null => {
    const S = sec(k);
    if (!S) return null;
    if (!S.shapeless) return { S, cb: S.cb, cc: S.cc };
    const n = [sec(k - 1), sec(k + 1)]
      .filter((x): x is Section => !!x && !x.shapeless)
      .sort((x, y) => y.area - x.area)[0];
    return n ? { S: n, cb: S.cb, cc: S.cc } : null;
  };
  // Lagrange quadratic of the areas through slices k0, k0 + 1, k0 + 2 (all non-empty), at x = index offset from k0.
  const quad = (k0: number) => {
    const y0 = A(k0),
      y1 = A(k0 + 1),
      y2 = A(k0 + 2);
    return {
      v: (x: number) => (y0 * (x - 1) * (x - 2)) / 2 - y1 * x * (x - 2) + (y2 * x * (x - 1)) / 2,
      d: (x: number) => (y0 * (2 * x - 3)) / 2 - y1 * (2 * x - 2) + (y2 * (2 * x - 1)) / 2,
    };
  };
  const full = (k: number) => A(k) > 0 && A(k + 1) > 0 && A(k + 2) > 0;
  const pxArea = sb * sc;
  // g from the area and its derivative (per slice index): R = sqrt(A px / pi), dR/dz = dA/dk * sqrt(px / pi) / (2 sqrt(A) h).
  const gOf = (area: number, dArea: number) => {
    const slope = (dArea * Math.sqrt(pxArea / Math.PI)) / (2 * Math.sqrt(area) * h);
    return 1 / Math.sqrt(1 + slope * slope);
  };
  const write = (K: number, value: (ib: number, ic: number) => number) => {
    const base = K * fs[a];
    for (let ic = 0; ic < nc; ic++)
      for (let ib = 0; ib < nb; ib++) field[base + ib * fs[b] + ic * fs[c]] = value(ib, ic);
  };
  // Interpolated area at k + t and its derivative: mean of the quadratics through (k-1, k, k+1) and (k, k+1, k+2).
  const areaAt = (k: number, t: number): [number, number] | null => {
    const qs = [full(k - 1) ? [quad(k - 1), 1 + t] : null, full(k) ? [quad(k), t] : null].filter((x) => x !== null) as [
      ReturnType<typeof quad>,
      number,
    ][];
    if (qs.length === 0) return null;
    let v = 0,
      d = 0;
    for (const [q, x] of qs) {
      v += q.v(x);
      d += q.d(x);
    }
    return [v / qs.length, d / qs.length];
  };
  // Knots: each slice's shape scaled to its own pixel count, times g.
  for (let k = lo; k <= hi; k++) {
    const sh = shapeOf(k),
      ad = areaAt(k, 0) ?? areaAt(k - 1, 1);
    if (!sh || !ad) continue;
    const area = A(k),
      g = gOf(area, ad[1]);
    write(k * F, (ib, ic) => g * scaled(sh, area, ib, ic));
  }
  // Interior gaps (a shapeless end of a gap borrows the other end's shape, so the blend moves it between centroids).
  for (let k = lo; k < hi; k++) {
    const sh0 = shapeOf(k),
      sh1 = shapeOf(k + 1);
    if (!sh0 || !sh1) continue;
    for (let j = 1; j < F; j++) {
      const t = j / F;
      const ad = areaAt(k, t);
      if (!ad) continue;
      const At = Math.max(ad[0], 1e-3 * Math.min(A(k), A(k + 1))),
        g = gOf(At, ad[1]);
      write(k * F + j, (ib, ic) => g * ((1 - t) * scaled(sh0, At, ib, ic) + t * scaled(sh1, At, ib, ic)));
    }
  }
  let capped = 0;
  for (const [L, dir] of [
    [hi, 1],
    [lo, -1],
  ] as const) {
    if (L + dir < 0 || L + dir >= dims[a]) continue;
    const k0 = dir === 1 ? L - 2 : L;
    if (!full(k0)) continue;
    const q = quad(k0);
    // Offset t beyond L (in slices) -> index offset from k0.
    const x = (t: number) => (dir === 1 ? 2 + t : -t);
    const area = (t: number) => q.v(x(t));
    const dArea = (t: number) => dir * q.d(x(t));
    if (area(1) > 0) continue; // the trend does not close the object before the next (empty) slice: keep the flat cap
    const sh = shapeOf(L);
    if (!sh) continue;
    let t0 = 0,
      t1 = 1;
    for (let it = 0; it < 60; it++) {
      const tm = (t0 + t1) / 2;
      if (area(tm) > 0) t0 = tm;
      else t1 = tm;
    }
    const tEnd = (t0 + t1) / 2;
    const inside = (ib: number, ic: number, t: number) => {
      const At = area(t);
      return t < tEnd && At > 0 && scaled(sh, At, ib, ic) <= 0;
    };
    let tLast = 0,
      jLast = 0; // last sample (slice L itself at first) where the section is not empty
    for (let j = 1; j < F; j++) {
      const t = j / F,
        At = area(t),
        K = L * F + dir * j;
      if (t < tEnd && At > 0) {
        const g = gOf(At, -dArea(t));
        write(K, (ib, ic) => g * scaled(sh, At, ib, ic));
        tLast = t;
        jLast = j;
        continue;
      }
      // Past the end nothing is inside, so these samples matter only for where the columns still inside at the last
      // sample end: the first one gets, per column, the value that puts the linear crossing at the model's end of
      // that column (bisection on the inside test); the others the distance to the tip.
      const prevBase = (L * F + dir * jLast) * fs[a],
        dz = (t - tEnd) * h;
      const first = jLast === j - 1;
      write(K, (ib, ic) => {
        const prev = field[prevBase + ib * fs[b] + ic * fs[c]];
        if (!first || !(prev < 0)) return Math.max(Math.hypot((ib - sh.cb) * sb, (ic - sh.cc) * sc, dz), 1e-6);
        let l = tLast,
          u = t;
        for (let it = 0; it < 40; it++) {
          const tm = (l + u) / 2;
          if (inside(ib, ic, tm)) l = tm;
          else u = tm;
        }
        const z = Math.min(t - 1e-6, Math.max(tLast + 1e-3 / F, (l + u) / 2));
        return (-prev * (t - z)) / (z - tLast);
      });
    }
    capped++;
  }
  return capped;
}

/** Area (pixels) of { bilinear phi <= 0 } on an nb x nc grid, counted at fb x fc points per pixel. */
function zeroSetArea(phi: Float64Array, nb: number, nc: number, fb: number, fc: number): number {
  let n = 0;
  for (let JC = 0; JC <= (nc - 1) * fc; JC++) {
    const ic = Math.min(Math.floor(JC / fc), Math.max(0, nc - 2)),
      rc = nc < 2 ? 0 : (JC - ic * fc) / fc;
    for (let JB = 0; JB <= (nb - 1) * fb; JB++) {
      const ib = Math.min(Math.floor(JB / fb), Math.max(0, nb - 2)),
        rb = nb < 2 ? 0 : (JB - ib * fb) / fb;
      const i = ib + nb * ic,
        db = nb < 2 ? 0 : 1,
        dc = nc < 2 ? 0 : nb;
      const v =
        (1 - rc) * ((1 - rb) * phi[i] + rb * phi[i + db]) + rc * ((1 - rb) * phi[i + dc] + rb * phi[i + dc + db]);
      if (v <= 0) n++;
    }
  }
  return n / (fb * fc);
}

/** Number of 8-connected components of a 2D binary image (nb fastest). */
function componentCount(img: Uint8Array, nb: number, nc: number): number {
  const seen = new Uint8Array(img.length);
  const stack: number[] = [];
  let n = 0;
  for (let start = 0; start < img.length; start++) {
    if (!img[start] || seen[start]) continue;
    n++;
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop() as number;
      const x = i % nb,
        y = (i - x) / nb;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const X = x + dx,
            Y = y + dy;
          if (X < 0 || Y < 0 || X >= nb || Y >= nc) continue;
          const j = X + nb * Y;
          if (img[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
    }
  }
  return n;
}

/**
 * The level delta such that the volume of { trilinear field <= delta }, counted on the fine sampling points (factors
 * f per axis of the refined grid, each point a cell of prod(sp / f)), equals `target` mm^3. Only points in the
 * tumour's bounding box grown by 2 voxels are counted (farther out phi is larger than any plausible delta).
 */
function matchVolumeLevel(
  field: Float64Array,
  fd: Vec3,
  sp: Vec3,
  f: Vec3,
  keep: Vec3,
  lo: Vec3,
  hi: Vec3,
  target: number,
): number {
  const idx: Int32Array[] = [],
    frac: Float64Array[] = [];
  for (let a = 0; a < 3; a++) {
    const J0 = Math.max(0, (lo[a] - 2) * keep[a]) * f[a],
      J1 = Math.min(fd[a] - 1, (hi[a] + 2) * keep[a]) * f[a];
    const ia = new Int32Array(J1 - J0 + 1),
      ra = new Float64Array(J1 - J0 + 1);
    for (let J = J0; J <= J1; J++) {
      const i = Math.min(Math.floor(J / f[a]), Math.max(0, fd[a] - 2));
      ia[J - J0] = i;
      ra[J - J0] = fd[a] < 2 ? 0 : (J - i * f[a]) / f[a];
    }
    idx.push(ia);
    frac.push(ra);
  }
  const cell = (sp[0] / f[0]) * (sp[1] / f[1]) * (sp[2] / f[2]);
  const want = target / cell; // points that should be inside
  const s1 = fd[0],
    s2 = fd[0] * fd[1];
  const dx = fd[0] > 1 ? 1 : 0,
    dy = fd[1] > 1 ? s1 : 0,
    dz = fd[2] > 1 ? s2 : 0;
  const values = (band: number): { below: number; inBand: Float64Array } => {
    let below = 0,
      k = 0;
    const buf: number[] = [];
    for (let z = 0; z < idx[2].length; z++) {
      const iz = idx[2][z] * s2,
        rz = frac[2][z];
      for (let y = 0; y < idx[1].length; y++) {
        const iy = iz + idx[1][y] * s1,
          ry = frac[1][y];
        for (let x = 0; x < idx[0].length; x++) {
          const i = iy + idx[0][x],
            rx = frac[0][x];
          const v00 = field[i] + rx * (field[i + dx] - field[i]);
          const v10 = field[i + dy] + rx * (field[i + dy + dx] - field[i + dy]);
          const v01 = field[i + dz] + rx * (field[i + dz + dx] - field[i + dz]);
          const v11 = field[i + dz + dy] + rx * (field[i + dz + dy + dx] - field[i + dz + dy]);
          const v0 = v00 + ry * (v10 - v00),
            v1 = v01 + ry * (v11 - v01);
          const v = v0 + rz * (v1 - v0);
          if (v <= -band) below++;
          else if (v <= band) buf[k++] = v;
        }
      }
    }
    return { below, inBand: Float64Array.from(buf).sort() };
  };
  let band = Math.max(...sp.map((s, a) => s * keep[a]));
  for (;;) {
    const { below, inBand } = values(band);
    const k = Math.round(want - below); // the k smallest band values are inside
    if (k >= 1 && k < inBand.length) return (inBand[k - 1] + inBand[k]) / 2;
    if (band === Infinity) return k < 1 ? inBand[0] - 1e-9 : inBand[inBand.length - 1];
    band = band > 100 ? Infinity : band * 4;
  }
}

/** [1, 2, 1] / 4 along every fine axis (as smoothSignedDistance chooses them), edges clamped. */
export function binomialBlur(phi: Float64Array, dims: Vec3, spacing: Vec3): Float64Array {
  const finest = Math.min(...spacing);
  const stride: Vec3 = [1, dims[0], dims[0] * dims[1]];
  let cur = phi;
  for (let ax = 0; ax < 3; ax++) {
    const n = dims[ax],
      st = stride[ax];
    if (spacing[ax] > 2 * finest || n < 2) continue;
    const out = new Float64Array(cur.length);
    for (let i = 0; i < cur.length; i++) {
      const k = Math.floor(i / st) % n;
      const lo = k > 0 ? cur[i - st] : cur[i],
        hi = k < n - 1 ? cur[i + st] : cur[i];
      out[i] = (lo + 2 * cur[i] + hi) / 4;
    }
    cur = out;
  }
  return cur;
}
