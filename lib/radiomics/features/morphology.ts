/**
 * Morphological quantities of the ROI (IBSI chapter 3.1; pyradiomics shape). `shapeCore` measures once; the two
 * namers below present the values as IBSI features (morph_*) or pyradiomics shape features.
 */
import type { Vec3 } from "@/lib/imaging/volume";
import type { RoiBox } from "../roi";
import { FeatureSet } from "./feature-set";
import { meshSummary } from "./mesh";
import { meshDiameters, type Diameters } from "./diameters";
import { symmetricEigenvalues3 } from "./eigen3";
import { convexHull } from "./convex-hull";
import { fft3d, nextSmooth } from "./fft";

export interface ShapeCore {
  meshVolume: number;
  meshArea: number;
  voxelCount: number;
  voxelVolume: number;
  /** Eigenvalues of the (population) covariance of morphological-mask voxel centres, ascending, mm^2. */
  eigen: [number, number, number];
  diameters: Diameters;
  /** Axis-aligned bounding box of the mesh vertices, mm. */
  aabb: Vec3;
  hull: { volume: number; area: number } | null;
  hullError: string | null;
}

export function shapeCore(roi: RoiBox): ShapeCore {
  const { dims, spacing, morph } = roi;
  const mesh = meshSummary(morph, dims, spacing);
  let count = 0;
  let sx = 0,
    sy = 0,
    sz = 0;
  const [nx, ny, nz] = dims;
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (!morph[i]) continue;
        count++;
        sx += x;
        sy += y;
        sz += z;
      }
  const mx = sx / count,
    my = sy / count,
    mz = sz / count;
  let cxx = 0,
    cxy = 0,
    cxz = 0,
    cyy = 0,
    cyz = 0,
    czz = 0;
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (!morph[i]) continue;
        const dx = (x - mx) * spacing[0],
          dy = (y - my) * spacing[1],
          dz = (z - mz) * spacing[2];
        cxx += dx * dx;
        cxy += dx * dy;
        cxz += dx * dz;
        cyy += dy * dy;
        cyz += dy * dz;
        czz += dz * dz;
      }
  const eig = symmetricEigenvalues3([cxx, cxy, cxz, cxy, cyy, cyz, cxz, cyz, czz].map((v) => v / count));
  // Tiny negative eigenvalues are rounding noise of a flat ROI.
  const eigen: [number, number, number] = [Math.max(eig[0], 0), Math.max(eig[1], 0), Math.max(eig[2], 0)];
  const h = mesh.vertexHalfIndex;
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < h.length; i += 3)
    for (let a = 0; a < 3; a++) {
      if (h[i + a] < lo[a]) lo[a] = h[i + a];
      if (h[i + a] > hi[a]) hi[a] = h[i + a];
    }
  const aabb: Vec3 = [
    ((hi[0] - lo[0]) / 2) * spacing[0],
    ((hi[1] - lo[1]) / 2) * spacing[1],
    ((hi[2] - lo[2]) / 2) * spacing[2],
  ];
  let hull: ShapeCore["hull"] = null;
  let hullVertices: Int32Array | undefined;
  let hullError: string | null = null;
  try {
    const ch = convexHull(h, spacing);
    hull = { volume: ch.volume, area: ch.area };
    hullVertices = ch.vertices;
  } catch (e) {
    hullError = `convex hull failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  return {
    meshVolume: mesh.volume,
    meshArea: mesh.area,
    voxelCount: count,
    voxelVolume: count * spacing[0] * spacing[1] * spacing[2],
    eigen,
    diameters: meshDiameters(h, spacing, hullVertices),
    aabb,
    hull,
    hullError,
  };
}

/** Surface area of an ellipsoid with semi-axes a >= b >= c (IBSI's Legendre series, 20 terms). */
function ellipsoidArea(a: number, b: number, c: number): number {
  const alpha = Math.sqrt(1 - (b * b) / (a * a));
  const beta = Math.sqrt(1 - (c * c) / (a * a));
  if (alpha === 0 && beta === 0) return 4 * Math.PI * a * a;
  const x = (alpha * alpha + beta * beta) / (2 * alpha * beta);
  let sum = 0;
  // Legendre polynomials by recurrence; alpha*beta may be 0 only when b or c equals a.
  let pPrev = 1,
    p = x;
  for (let nu = 0; nu <= 20; nu++) {
    const pn = nu === 0 ? 1 : nu === 1 ? x : p;
    sum += (Math.pow(alpha * beta, nu) / (1 - 4 * nu * nu)) * pn;
    if (nu >= 1) {
      const next = ((2 * nu + 1) * x * p - nu * pPrev) / (nu + 1);
      pPrev = p;
      p = next;
    }
  }
  return 4 * Math.PI * a * b * sum;
}

/** IBSI-named morphology features. Moran's I / Geary's C are skipped (explicit failure) above `maxAutocorrVoxels`. */
export function ibsiMorphology(roi: RoiBox, core: ShapeCore, maxAutocorrVoxels: number): FeatureSet {
  const f = new FeatureSet();
  const V = core.meshVolume,
    A = core.meshArea;
  f.set("morph_volume", V);
  f.set("morph_vol_approx", core.voxelVolume);
  f.set("morph_area_mesh", A);
  f.set("morph_av", A / V);
  f.set("morph_comp_1", V / (Math.sqrt(Math.PI) * Math.pow(A, 1.5)));
  f.set("morph_comp_2", (36 * Math.PI * V * V) / (A * A * A));
  f.set("morph_sph_dispr", A / Math.cbrt(36 * Math.PI * V * V));
  f.set("morph_sphericity", Math.cbrt(36 * Math.PI * V * V) / A);
  f.set("morph_asphericity", Math.cbrt((A * A * A) / (36 * Math.PI * V * V)) - 1);

  // Centre of mass shift: geometric centre of the morphological mask vs intensity-weighted centre of the intensity mask.
  const { dims, spacing, morph, intensity, values } = roi;
  let gx = 0,
    gy = 0,
    gz = 0,
    gn = 0,
    wx = 0,
    wy = 0,
    wz = 0,
    wsum = 0,
    isum = 0,
    in_ = 0;
  for (let z = 0, i = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++, i++) {
        if (morph[i]) {
          gx += x;
          gy += y;
          gz += z;
          gn++;
        }
        if (intensity[i]) {
          const v = values[i];
          wx += v * x;
          wy += v * y;
          wz += v * z;
          wsum += v;
          isum += v;
          in_++;
        }
      }
  if (in_ === 0) f.fail("morph_com", "the intensity mask is empty");
  else if (wsum === 0) f.fail("morph_com", "intensities in the ROI sum to zero");
  else {
    const d = [
      (gx / gn - wx / wsum) * spacing[0],
      (gy / gn - wy / wsum) * spacing[1],
      (gz / gn - wz / wsum) * spacing[2],
    ];
    f.set("morph_com", Math.hypot(d[0], d[1], d[2]));
  }
  f.set("morph_diam", core.diameters.max3d);
  // IBSI's reference values use the sample covariance (N - 1), pyradiomics the population covariance (N).
  const bessel = core.voxelCount > 1 ? core.voxelCount / (core.voxelCount - 1) : 1;
  const [l3, l2, l1] = core.eigen.map((e) => e * bessel); // ascending: least, minor, major
  f.set("morph_pca_maj_axis", 4 * Math.sqrt(l1));
  f.set("morph_pca_min_axis", 4 * Math.sqrt(l2));
  f.set("morph_pca_least_axis", 4 * Math.sqrt(l3));
  f.setOrFail(
    "morph_pca_elongation",
    Math.sqrt(l2 / l1),
    l1 === 0 ? "ROI has no spatial extent (major eigenvalue 0)" : null,
  );
  f.setOrFail(
    "morph_pca_flatness",
    Math.sqrt(l3 / l1),
    l1 === 0 ? "ROI has no spatial extent (major eigenvalue 0)" : null,
  );
  const [ax, ay, az] = core.aabb;
  f.set("morph_vol_dens_aabb", V / (ax * ay * az));
  f.set("morph_area_dens_aabb", A / (2 * (ax * ay + ax * az + ay * az)));
  for (const k of ["morph_vol_dens_ombb", "morph_area_dens_ombb", "morph_vol_dens_mvee", "morph_area_dens_mvee"]) {
    f.fail(
      k,
      "not implemented (no IBSI consensus value; oriented bounding box / minimum-volume ellipsoid not computed)",
    );
  }
  const a = 2 * Math.sqrt(l1),
    b = 2 * Math.sqrt(l2),
    c = 2 * Math.sqrt(l3);
  const flatAee = c === 0 ? "ROI is planar: enclosing ellipsoid degenerate" : null;
  f.setOrFail("morph_vol_dens_aee", (3 * V) / (4 * Math.PI * a * b * c), flatAee);
  f.setOrFail("morph_area_dens_aee", A / ellipsoidArea(a, b, c), flatAee);
  if (core.hull) {
    f.set("morph_vol_dens_conv_hull", V / core.hull.volume);
    f.set("morph_area_dens_conv_hull", A / core.hull.area);
  } else {
    f.fail("morph_vol_dens_conv_hull", core.hullError ?? "convex hull unavailable");
    f.fail("morph_area_dens_conv_hull", core.hullError ?? "convex hull unavailable");
  }
  if (in_ > 0) f.set("morph_integ_int", V * (isum / in_));
  else f.fail("morph_integ_int", "the intensity mask is empty");
  const ac = spatialAutocorrelation(roi, maxAutocorrVoxels);
  if (typeof ac === "string") {
    f.fail("morph_moran_i", ac);
    f.fail("morph_geary_c", ac);
  } else {
    f.setOrFail("morph_moran_i", ac.moran, ac.reason);
    f.setOrFail("morph_geary_c", ac.geary, ac.reason);
  }
  return f;
}

/** Below this many voxels the pair sums are done directly; above, by FFT convolution (same sums, rounding aside). */
const DIRECT_PAIRS_MAX_VOXELS = 3000;
/** Memory guard for the FFT path: four float64 arrays of this many points (~256 MB). */
const FFT_MAX_GRID = 8 * 2 ** 20;

/** Padded FFT grid (>= 2n - 1 per axis, 5-smooth) for a ROI box. */
function fftGrid(dims: Vec3): [number, number, number] {
  return [nextSmooth(2 * dims[0] - 1), nextSmooth(2 * dims[1] - 1), nextSmooth(2 * dims[2] - 1)];
}

/**
 * Moran's I and Geary's C over the intensity-mask voxels, weights 1 / Euclidean distance (mm), exact (all pairs).
 * With d = x - mean on the mask (0 elsewhere) and K(r) = 1/|r| (K(0) = 0), the ordered-pair sums are
 *   W = sum m (K*m),  M = sum d (K*d),  G = 2 (sum d^2 (K*m) - M),
 * and I = N M / (W sum d^2), C = (N - 1) G / (2 W sum d^2). Large ROIs get K*m and K*d from one complex FFT
 * convolution (m + i d), so the cost is O(box log box) instead of O(N^2).
 */
function spatialAutocorrelation(
  roi: RoiBox,
  maxVoxels: number,
): { moran: number; geary: number; reason: string | null } | string {
  const { dims, spacing, intensity, values } = roi;
  let n = 0,
    mean = 0;
  for (let i = 0; i < intensity.length; i++)
    if (intensity[i]) {
      n++;
      mean += values[i];
    }
  if (n > maxVoxels)
    return `the ROI has ${n} voxels, above the limit of ${maxVoxels} (setting maxAutocorrelationVoxels)`;
  if (n < 2) return "needs at least two voxels";
  mean /= n;
  let den = 0;
  for (let i = 0; i < intensity.length; i++) if (intensity[i]) den += (values[i] - mean) ** 2;
  let W: number, M: number, G: number;
  if (n > DIRECT_PAIRS_MAX_VOXELS) {
    const grid = fftGrid(dims).reduce((a, b) => a * b, 1);
    if (grid > FFT_MAX_GRID) {
      return `the FFT grid for this ROI box (${dims.join("x")} voxels) would hold ${grid} points, above ${FFT_MAX_GRID} (about ${Math.round((FFT_MAX_GRID * 32) / 2 ** 20)} MB)`;
    }
    ({ W, M, G } = fftPairSums(roi, mean));
  } else {
    const xs = new Float64Array(n),
      ys = new Float64Array(n),
      zs = new Float64Array(n),
      ds = new Float64Array(n);
    let k = 0;
    for (let z = 0, i = 0; z < dims[2]; z++)
      for (let y = 0; y < dims[1]; y++)
        for (let x = 0; x < dims[0]; x++, i++) {
          if (!intensity[i]) continue;
          xs[k] = x * spacing[0];
          ys[k] = y * spacing[1];
          zs[k] = z * spacing[2];
          ds[k++] = values[i] - mean;
        }
    let w2 = 0,
      m2 = 0,
      g2 = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const w = 1 / Math.hypot(xs[i] - xs[j], ys[i] - ys[j], zs[i] - zs[j]);
        w2 += w;
        m2 += w * ds[i] * ds[j];
        g2 += w * (ds[i] - ds[j]) ** 2;
      }
    }
    W = 2 * w2;
    M = 2 * m2;
    G = 2 * g2;
  }
  const moran = (n * M) / (W * den);
  const geary = ((n - 1) * G) / (2 * W * den);
  return { moran, geary, reason: den === 0 ? "all intensities equal (zero variance)" : null };
}

/**
 * Ordered-pair sums W, M, G of `spatialAutocorrelation` by FFT, with Parseval instead of inverse transforms:
 * sum a (K*b) = (1/N) sum_f conj(A_f) K_f B_f for real a, b and real even K. Two complex transforms carry four real
 * ones: Z = FFT(m + i d) gives M_f and D_f, Y = FFT(K + i d^2) gives K_f and E_f (split by Hermitian symmetry).
 * Padding to >= 2n - 1 per axis makes the cyclic convolution equal the linear one.
 */
function fftPairSums(roi: RoiBox, mean: number): { W: number; M: number; G: number } {
  const { dims, spacing, intensity, values } = roi;
  const P = fftGrid(dims);
  const size = P[0] * P[1] * P[2];
  const yr = new Float64Array(size),
    yi = new Float64Array(size);
  for (let dz = -(dims[2] - 1); dz < dims[2]; dz++) {
    for (let dy = -(dims[1] - 1); dy < dims[1]; dy++) {
      for (let dx = -(dims[0] - 1); dx < dims[0]; dx++) {
        if (dx === 0 && dy === 0 && dz === 0) continue;
        const idx = ((dx + P[0]) % P[0]) + P[0] * (((dy + P[1]) % P[1]) + P[1] * ((dz + P[2]) % P[2]));
        yr[idx] = 1 / Math.hypot(dx * spacing[0], dy * spacing[1], dz * spacing[2]);
      }
    }
  }
  const zr = new Float64Array(size),
    zi = new Float64Array(size);
  for (let z = 0, i = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++, i++) {
        if (!intensity[i]) continue;
        const o = x + P[0] * (y + P[1] * z);
        const d = values[i] - mean;
        zr[o] = 1;
        zi[o] = d;
        yi[o] = d * d;
      }
  fft3d(yr, yi, P, false);
  fft3d(zr, zi, P, false);
  let W = 0,
    M = 0,
    S2 = 0;
  for (let fz = 0; fz < P[2]; fz++) {
    const gz = (P[2] - fz) % P[2];
    for (let fy = 0; fy < P[1]; fy++) {
      const gy = (P[1] - fy) % P[1];
      for (let fx = 0; fx < P[0]; fx++) {
        const f = fx + P[0] * (fy + P[1] * fz);
        const g = ((P[0] - fx) % P[0]) + P[0] * (gy + P[1] * gz);
        // A_f = (X_f + conj(X_g)) / 2, B_f = (X_f - conj(X_g)) / 2i for X = FFT(a + i b).
        const mr = (zr[f] + zr[g]) / 2,
          mi = (zi[f] - zi[g]) / 2;
        const dr = (zi[f] + zi[g]) / 2,
          di = (zr[g] - zr[f]) / 2;
        const k = (yr[f] + yr[g]) / 2; // real: K is real and even
        const er = (yi[f] + yi[g]) / 2,
          ei = (yr[g] - yr[f]) / 2;
        W += k * (mr * mr + mi * mi);
        M += k * (dr * dr + di * di);
        S2 += k * (er * mr + ei * mi); // Re(conj(E) M)
      }
    }
  }
  W /= size;
  M /= size;
  S2 /= size;
  return { W, M, G: 2 * (S2 - M) };
}

/** FFT path of Moran's I / Geary's C regardless of ROI size (exported for tests comparing both paths). */
export function spatialAutocorrelationFft(roi: RoiBox): { moran: number; geary: number } {
  let n = 0,
    mean = 0,
    den = 0;
  for (let i = 0; i < roi.intensity.length; i++)
    if (roi.intensity[i]) {
      n++;
      mean += roi.values[i];
    }
  mean /= n;
  for (let i = 0; i < roi.intensity.length; i++) if (roi.intensity[i]) den += (roi.values[i] - mean) ** 2;
  const { W, M, G } = fftPairSums(roi, mean);
  return { moran: (n * M) / (W * den), geary: ((n - 1) * G) / (2 * W * den) };
}

/** pyradiomics shape features (original_shape_*), pyradiomics 3.x definitions. */
export function pyradiomicsShape(core: ShapeCore, prefix: string): FeatureSet {
  const f = new FeatureSet();
  const V = core.meshVolume,
    A = core.meshArea;
  const [l3, l2, l1] = core.eigen;
  const p = `${prefix}_shape_`;
  f.set(`${p}MeshVolume`, V);
  f.set(`${p}VoxelVolume`, core.voxelVolume);
  f.set(`${p}SurfaceArea`, A);
  f.set(`${p}SurfaceVolumeRatio`, A / V);
  f.set(`${p}Sphericity`, Math.cbrt(36 * Math.PI * V * V) / A);
  f.set(`${p}Maximum3DDiameter`, core.diameters.max3d);
  f.set(`${p}Maximum2DDiameterSlice`, core.diameters.slice);
  f.set(`${p}Maximum2DDiameterColumn`, core.diameters.column);
  f.set(`${p}Maximum2DDiameterRow`, core.diameters.row);
  f.set(`${p}MajorAxisLength`, 4 * Math.sqrt(l1));
  f.set(`${p}MinorAxisLength`, 4 * Math.sqrt(l2));
  f.set(`${p}LeastAxisLength`, 4 * Math.sqrt(l3));
  f.setOrFail(`${p}Elongation`, Math.sqrt(l2 / l1), l1 === 0 ? "major eigenvalue is 0" : null);
  f.setOrFail(`${p}Flatness`, Math.sqrt(l3 / l1), l1 === 0 ? "major eigenvalue is 0" : null);
  // Deprecated in pyradiomics (off unless named in featureClass); see PYRADIOMICS_DEPRECATED.
  f.set(`${p}Compactness1`, V / (Math.sqrt(Math.PI) * Math.pow(A, 1.5)));
  f.set(`${p}Compactness2`, (36 * Math.PI * V * V) / (A * A * A));
  f.set(`${p}SphericalDisproportion`, A / Math.cbrt(36 * Math.PI * V * V));
  return f;
}
