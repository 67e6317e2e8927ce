/**
 * Renders one series of a synthetic patient: anatomy (air, skin, subcutaneous fat, breast fat and fibroglandular
 * tissue, chest-wall muscle, ribs/cartilage/sternum, lung, heart, mediastinum), the lobulated tumour with necrotic core,
 * rim enhancement and internal texture, peritumoral oedema/enhancement, then a smooth intensity bias (MR) and noise
 * (Rician for MR magnitude images, Gaussian for CT). Returns voxel values in the modality's real units (MR arbitrary
 * units, CT Hounsfield units) and the tumour mask evaluated at voxel centres on the same grid.
 */
import type { SeriesRole as ImagingSeriesRole } from "../imaging/series/classify-role";
import type { Mask, Vec3, Volume } from "../imaging/volume";
import { IDENTITY_DIRECTION } from "../imaging/volume";
import { normalQuantile } from "../ml/metrics/auc";
import { LatticeField } from "./lattice-field";
import { normalTable } from "./normal-table";
import type { PatientModel } from "./patient-model";
import { Rng } from "./prng";
import { patientKey } from "./patient-model";
import { wallY, type Scene } from "./scene";
import type { TumourRadiusTable } from "./tumour-shape";

/** The three model inputs, named as lib/imaging's series classifier names them. */
export type SeriesRole = Exclude<ImagingSeriesRole, "other">;

export interface GridSpec {
  dims: Vec3;
  spacing: Vec3;
  origin: Vec3;
}

interface TissueValues {
  air: number;
  fat: number;
  fgt: number;
  skin: number;
  muscle: number;
  cortex: number;
  marrow: number;
  cartilage: number;
  lung: number;
  blood: number;
  myocardium: number;
  mediastinum: number;
  necrosis: number;
  noiseSd: number;
}

/** Representative signal levels: CE-T1 is a fat-suppressed post-contrast gradient echo, T2 a non-fat-suppressed FSE. */
const TISSUE: Record<SeriesRole, TissueValues> = {
  "CE-T1": {
    air: 0,
    fat: 70,
    fgt: 190,
    skin: 220,
    muscle: 160,
    cortex: 25,
    marrow: 75,
    cartilage: 140,
    lung: 22,
    blood: 620,
    myocardium: 320,
    mediastinum: 70,
    necrosis: 110,
    noiseSd: 14,
  },
  T2: {
    air: 0,
    fat: 560,
    fgt: 270,
    skin: 320,
    muscle: 140,
    cortex: 20,
    marrow: 470,
    cartilage: 200,
    lung: 18,
    blood: 90,
    myocardium: 170,
    mediastinum: 560,
    necrosis: 820,
    noiseSd: 12,
  },
  CT: {
    air: -1000,
    fat: -105,
    fgt: 30,
    skin: 45,
    muscle: 55,
    cortex: 850,
    marrow: 230,
    cartilage: 110,
    lung: -860,
    blood: 210,
    myocardium: 120,
    mediastinum: -95,
    necrosis: 25,
    noiseSd: 12,
  },
};

/** Muscle T2 level, the reference of the T2 signal ratio latent. */
export const T2_MUSCLE_SIGNAL = TISSUE.T2.muscle;
/** Unenhanced FGT CE-T1 level, the reference of the enhancement ratio latent. */
export const CE_T1_FGT_SIGNAL = TISSUE["CE-T1"].fgt;

export interface RenderInputs {
  model: PatientModel;
  scene: Scene;
  radius: TumourRadiusTable;
  role: SeriesRole;
  grid: GridSpec;
  /** Fields shared by all series of the patient (tumour-local and breast-normalised coordinates). */
  fields: PatientFields;
}

export interface PatientFields {
  fgtCoarse: LatticeField;
  fgtFine: LatticeField;
  tumourTexture: LatticeField;
  tumourNecrosis: LatticeField;
}

const smoothstep = (e0: number, e1: number, x: number) => {
  const t = x <= e0 ? 0 : x >= e1 ? 1 : (x - e0) / (e1 - e0);
  return t * t * (3 - 2 * t);
};

/** Fields are drawn once per patient; texture follows the tissue between series. */
export function makePatientFields(m: PatientModel, maxTumourRadius: number): PatientFields {
  const a = m.anatomy;
  const half: [number, number, number] = [
    a.breastHalfWidthMm * 1.3 + 10,
    a.breastDepthMm + 10,
    a.breastHalfHeightMm * 1.1 + 10,
  ];
  const lo: [number, number, number] = [-half[0], -10, -half[2]];
  const hi: [number, number, number] = [half[0], half[1], half[2]];
  const t = maxTumourRadius + 30;
  return {
    fgtCoarse: LatticeField.covering(lo, hi, 7, Rng.fromKey(patientKey(m.seed, m.index, "field/fgt-coarse"))),
    fgtFine: LatticeField.covering(lo, hi, 2.8, Rng.fromKey(patientKey(m.seed, m.index, "field/fgt-fine"))),
    tumourTexture: LatticeField.covering(
      [-t, -t, -t],
      [t, t, t],
      2.2,
      Rng.fromKey(patientKey(m.seed, m.index, "field/tumour-texture")),
    ),
    tumourNecrosis: LatticeField.covering(
      [-t, -t, -t],
      [t, t, t],
      4.5,
      Rng.fromKey(patientKey(m.seed, m.index, "field/tumour-necrosis")),
    ),
  };
}

export interface RenderedSeries {
  role: SeriesRole;
  /** MR: arbitrary units 0..4095; CT: Hounsfield units. */
  volume: Volume<Uint16Array> | Volume<Int16Array>;
  mask: Mask;
  /** Tumour voxel count on this grid. */
  tumourVoxels: number;
}

export function renderSeries(inp: RenderInputs): RenderedSeries {
  const { model: m, scene: s, role, grid, fields, radius } = inp;
  const T = TISSUE[role];
  const [nx, ny, nz] = grid.dims;
  const [dx, dy, dz] = grid.spacing;
  const X = Float64Array.from({ length: nx }, (_, i) => grid.origin[0] + i * dx);
  const Y = Float64Array.from({ length: ny }, (_, j) => grid.origin[1] + j * dy);
  const Z = Float64Array.from({ length: nz }, (_, k) => grid.origin[2] + k * dz);
  const img = new Float32Array(nx * ny * nz);
  const W = s.torsoHalfWidth,
    H = s.torsoHalfDepth,
    yc = s.torsoCentreY;
  const [ba, bd, bc] = s.breastAxes;
  const [bx, baseY, bz] = s.breastCentre;
  const a = m.anatomy;

  // Per-column / per-row / per-slice precomputation.
  const wall = X.map((x) => wallY(s, x));
  const exs = X.map((x) => x / W);
  const bus = X.map((x) => (x - bx) / ba);
  const eys = Y.map((y) => (y - yc) / H);
  const bws = Z.map((z) => (z - bz) / bc);
  // FGT pattern in breast-normalised coordinates scaled to the prone breast, so it matches between MR and CT.
  const sx = a.breastHalfWidthMm / ba,
    sy = a.breastDepthMm / bd,
    sz = a.breastHalfHeightMm / bc;
  const fcx = fields.fgtCoarse.axisTable(
    0,
    X.map((x) => (x - bx) * sx),
  );
  // Glandular tissue and ducts run from the nipple to the chest wall: stretch the pattern along y (anteroposterior).
  const fcy = fields.fgtCoarse.axisTable(
    1,
    Y.map((y) => (baseY - y) * sy * 0.6),
  );
  const fcz = fields.fgtCoarse.axisTable(
    2,
    Z.map((z) => (z - bz) * sz),
  );
  const ffx = fields.fgtFine.axisTable(
    0,
    X.map((x) => (x - bx) * sx),
  );
  const ffy = fields.fgtFine.axisTable(
    1,
    Y.map((y) => (baseY - y) * sy * 0.35),
  );
  const ffz = fields.fgtFine.axisTable(
    2,
    Z.map((z) => (z - bz) * sz),
  );
  // Threshold so that roughly the requested fraction of breast volume is fibroglandular.
  const fgtThreshold = 1.0 * normalQuantile(1 - a.fgtFraction);
  const fgtLevel = role === "CE-T1" ? T.fgt * (1 + a.bpe) : T.fgt;
  const pitch = 30;

  // In-plane quantities do not depend on z: chest-wall depth, height above the wall, in-plane breast radius.
  const nxy = nx * ny;
  const dcPlane = new Float32Array(nxy);
  const vPlane = new Float32Array(nxy);
  const buvPlane = new Float32Array(nxy);
  const gbPlane = new Float32Array(nxy);
  for (let j = 0; j < ny; j++) {
    const ey = eys[j];
    const eyh = ey / H;
    for (let i = 0; i < nx; i++) {
      const p = j * nx + i;
      const ex = exs[i];
      const e = Math.sqrt(ex * ex + ey * ey);
      const exw = ex / W;
      const g = Math.sqrt(exw * exw + eyh * eyh);
      // Signed depth below the chest-wall muscle surface (mm; negative outside the torso ellipse), first order.
      dcPlane[p] = g > 1e-9 ? ((1 - e) * e) / g : 1e9;
      const v = wall[i] - Y[j];
      vPlane[p] = v;
      const bu = bus[i];
      const bv = v / bd;
      buvPlane[p] = v > 0 ? bu * bu + bv * bv : 1e9;
      gbPlane[p] = (bu / ba) * (bu / ba) + (bv / bd) * (bv / bd);
    }
  }
  const fat = s.subcutaneousFat;
  const skinT = s.skin;
  const ribMid = s.muscle + s.ribLayer / 2;
  const ribHalf = s.ribLayer / 2;
  const hcx = s.heartCentre[0],
    hcy = s.heartCentre[1],
    hcz = s.heartCentre[2];
  const hax = s.heartAxes[0],
    hay = s.heartAxes[1],
    haz = s.heartAxes[2];
  const isCeT1 = role === "CE-T1";
  const isCt = role === "CT";

  for (let k = 0; k < nz; k++) {
    const z = Z[k];
    const bw = bws[k];
    const bw2 = bw * bw;
    const gbz = (bw / bc) * (bw / bc);
    const hz = (z - hcz) / haz;
    const hz2 = hz * hz;
    for (let j = 0; j < ny; j++) {
      const y = Y[j];
      const hy = (y - hcy) / hay;
      const hyz2 = hy * hy + hz2;
      const row = (k * ny + j) * nx;
      const prow = j * nx;
      for (let i = 0; i < nx; i++) {
        const p = prow + i;
        const dc = dcPlane[p];
        const rho2 = buvPlane[p] + bw2;
        const inBreast = rho2 < 1;
        let val: number;
        if (!inBreast && dc < -fat) {
          val = T.air;
          img[row + i] = val;
          continue;
        }
        let dSkin = 1e9;
        let rho = 0;
        if (inBreast) {
          rho = Math.sqrt(rho2);
          // Far from the surface (rho^2 < 0.6 leaves > 11 mm for the smallest breast axes) skin distance is irrelevant.
          if (rho2 > 0.6) dSkin = ((1 - rho) * rho) / Math.sqrt(gbPlane[p] + gbz);
        }
        if (!(inBreast && dSkin >= skinT) && !(dc >= -fat + skinT)) {
          val = T.skin;
        } else if (dc >= 0) {
          const x = X[i];
          if (dc < s.muscle) {
            val = T.muscle;
          } else if (dc < s.muscle + s.ribLayer) {
            const ax = x < 0 ? -x : x;
            const ra = (dc - ribMid) / ribHalf;
            const rs = ra * ra + (ax / 16) * (ax / 16);
            if (rs < 1) {
              // Sternum: an oval bone in the midline of the rib layer.
              val = rs > 0.55 ? T.cortex : T.marrow;
            } else if (ax < 16) {
              val = T.muscle;
            } else {
              let ph = (z + 0.5 * ax) / pitch;
              ph -= Math.floor(ph);
              const rb = (ph - 0.21) / 0.21;
              const q = ra * ra + rb * rb;
              if (q < 1) val = ax < 45 ? T.cartilage : q > 0.45 ? T.cortex : T.marrow;
              else val = T.muscle;
            }
          } else {
            const hx = (x - hcx) / hax;
            const h2 = hx * hx + hyz2;
            if (h2 < 1) val = h2 > 0.68 ? T.myocardium : T.blood;
            else if (x > -12 && x < 12) val = T.mediastinum;
            else val = T.lung;
          }
        } else if (inBreast) {
          // Fibroglandular tissue: concentrated centrally, absent next to the skin and the retromammary fat.
          const n1 = fields.fgtCoarse.at(fcx.idx[i], fcx.frac[i], fcy.idx[j], fcy.frac[j], fcz.idx[k], fcz.frac[k]);
          const n2 = fields.fgtFine.at(ffx.idx[i], ffx.frac[i], ffy.idx[j], ffy.frac[j], ffz.idx[k], ffz.frac[k]);
          const score =
            0.75 * n1 +
            0.4 * n2 +
            1.1 * (0.55 - rho) -
            2.5 * (1 - smoothstep(3, 9, dSkin)) -
            2.5 * (1 - smoothstep(2, 7, vPlane[p]));
          const f = smoothstep(fgtThreshold - 0.18, fgtThreshold + 0.18, score);
          const fatTex = isCt ? T.fat + 6 * n2 : T.fat * (1 + 0.04 * n2);
          const fgtTex = isCt ? fgtLevel + 8 * n2 : fgtLevel * (1 + 0.12 * n2 + (isCeT1 ? 0.25 * a.bpe * n1 : 0));
          val = fatTex + f * (fgtTex - fatTex);
        } else {
          val = T.fat;
        }
        img[row + i] = val;
      }
    }
  }

  // Tumour, necrotic core and peritumoral oedema over the tumour's bounding box.
  const mask = new Uint8Array(nx * ny * nz);
  const t = m.tumour;
  const [cx, cy, cz] = s.tumourCentre;
  const lambda = 2 + 5 * t.peritumoral;
  const reach = radius.maxRadius + 4 * lambda;
  const i0 = Math.max(0, Math.floor((cx - reach - grid.origin[0]) / dx));
  const i1 = Math.min(nx - 1, Math.ceil((cx + reach - grid.origin[0]) / dx));
  const j0 = Math.max(0, Math.floor((cy - reach - grid.origin[1]) / dy));
  const j1 = Math.min(ny - 1, Math.ceil((cy + reach - grid.origin[1]) / dy));
  const k0 = Math.max(0, Math.floor((cz - reach - grid.origin[2]) / dz));
  const k1 = Math.min(nz - 1, Math.ceil((cz + reach - grid.origin[2]) / dz));
  const H_ = t.heterogeneity;
  const texAmp = 0.08 + 0.32 * H_;
  const rimAmp = 0.55 * H_;
  const nf = t.necrosisFraction;
  const tt = fields.tumourTexture;
  const tn = fields.tumourNecrosis;
  const ttx = tt.axisTable(
      0,
      X.map((x) => x - cx),
    ),
    tty = tt.axisTable(
      1,
      Y.map((y) => y - cy),
    ),
    ttz = tt.axisTable(
      2,
      Z.map((z) => z - cz),
    );
  const tnx = tn.axisTable(
      0,
      X.map((x) => x - cx),
    ),
    tny = tn.axisTable(
      1,
      Y.map((y) => y - cy),
    ),
    tnz = tn.axisTable(
      2,
      Z.map((z) => z - cz),
    );
  const pv = 0.9;
  let tumourVoxels = 0;
  for (let k = k0; k <= k1; k++) {
    const oz = Z[k] - cz;
    for (let j = j0; j <= j1; j++) {
      const oy = Y[j] - cy;
      for (let i = i0; i <= i1; i++) {
        const ox = X[i] - cx;
        const d = Math.sqrt(ox * ox + oy * oy + oz * oz);
        // Beyond the reach of the oedema whatever the direction: skip the (trigonometric) radius lookup.
        if (d > reach) continue;
        const r = d > 1e-6 ? radius.radius(ox, oy, oz, d) : radius.radius(0, 0, 1, 1);
        const idx = i + nx * (j + ny * k);
        const bg = img[idx];
        if (d > r + pv / 2) {
          // Oedema / peritumoral enhancement decays with distance outside the tumour.
          if (d - r > 4 * lambda) continue;
          const psi = t.peritumoral * Math.exp(-(d - r) / lambda);
          if (role === "CE-T1") img[idx] = bg * (1 + 0.7 * psi);
          else if (role === "T2") img[idx] = bg + (780 - bg) * 0.7 * psi;
          else if (bg < 30 && bg > -200) img[idx] = bg + (30 - bg) * 0.5 * psi;
          continue;
        }
        if (d <= r) {
          mask[idx] = 1;
          tumourVoxels++;
        }
        const alpha = Math.min(1, (r - d) / pv + 0.5);
        const sN = d / r + 0.14 * tn.at(tnx.idx[i], tnx.frac[i], tny.idx[j], tny.frac[j], tnz.idx[k], tnz.frac[k]);
        const necro = nf > 0 ? 1 - smoothstep(nf - 0.07, nf + 0.07, sN) : 0;
        const rim = smoothstep(0.5, 0.95, d / r);
        const tex = tt.at(ttx.idx[i], ttx.frac[i], tty.idx[j], tty.frac[j], ttz.idx[k], ttz.frac[k]);
        let solid: number;
        if (role === "CE-T1") solid = CE_T1_FGT_SIGNAL * t.enhancementRatio * (1 + rimAmp * rim + texAmp * tex);
        else if (role === "T2") solid = T2_MUSCLE_SIGNAL * t.t2SignalRatio * (1 + 0.6 * texAmp * tex);
        else solid = t.ctEnhancementHu + 45 * rimAmp * rim + 60 * texAmp * tex;
        const tumourVal = solid + necro * (T.necrosis - solid);
        img[idx] = bg + alpha * (tumourVal - bg);
      }
    }
  }

  // Bias field (MR coil sensitivity: gentle linear gradients) and noise; quantise to the stored range.
  const nr = Rng.fromKey(patientKey(m.seed, m.index, `noise/${role}`));
  const gx = role === "CT" ? 0 : nr.range(-0.07, 0.07);
  const gy = role === "CT" ? 0 : nr.range(-0.07, 0.07);
  // Inline xorshift32 indexing a fixed normal table (see normal-table.ts); one draw yields two 16-bit indices.
  const tab = normalTable();
  let st = nr.nextUint32() | 1;
  const sd = T.noiseSd;
  const n = nx * ny * nz;
  if (role === "CT") {
    const out = new Int16Array(n);
    let prev = 0;
    for (let p = 0; p < n; p += 2) {
      st ^= st << 13;
      st ^= st >>> 17;
      st ^= st << 5;
      // Averaging neighbouring deviates gives the noise a CT-like (non-white) texture with the same sd.
      const g0 = tab[st & 0xffff];
      const g1 = tab[(st >>> 16) & 0xffff];
      let hu = Math.round(img[p] + sd * (g0 + prev) * Math.SQRT1_2);
      out[p] = hu < -1024 ? -1024 : hu > 3071 ? 3071 : hu;
      if (p + 1 < n) {
        hu = Math.round(img[p + 1] + sd * (g1 + g0) * Math.SQRT1_2);
        out[p + 1] = hu < -1024 ? -1024 : hu > 3071 ? 3071 : hu;
      }
      prev = g1;
    }
    return {
      role,
      volume: { data: out, ...geometryOf(grid) },
      mask: { data: mask, ...geometryOf(grid) },
      tumourVoxels,
    };
  }
  const out = new Uint16Array(n);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const by = 1 + gy * ((2 * j) / (ny - 1) - 1);
      const row = (k * ny + j) * nx;
      for (let i = 0; i < nx; i++) {
        const b = by + gx * ((2 * i) / (nx - 1) - 1);
        st ^= st << 13;
        st ^= st >>> 17;
        st ^= st << 5;
        // Rician magnitude: |signal + complex Gaussian noise|.
        const re = img[row + i] * b + sd * tab[st & 0xffff];
        const im = sd * tab[(st >>> 16) & 0xffff];
        const mv = (Math.sqrt(re * re + im * im) + 0.5) | 0;
        out[row + i] = mv > 4095 ? 4095 : mv;
      }
    }
  return { role, volume: { data: out, ...geometryOf(grid) }, mask: { data: mask, ...geometryOf(grid) }, tumourVoxels };
}

function geometryOf(g: GridSpec) {
  return {
    dims: [...g.dims] as Vec3,
    spacing: [...g.spacing] as Vec3,
    origin: [...g.origin] as Vec3,
    direction: [...IDENTITY_DIRECTION] as typeof IDENTITY_DIRECTION,
  };
}
