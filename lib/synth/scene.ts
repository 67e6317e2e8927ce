/**
 * Patient geometry in DICOM patient coordinates (LPS, mm) for one position: prone for breast MRI, supine for CT.
 *
 * The torso is an ellipse in the axial plane (half-axes W, H, centre y = yc, sternum at x = 0); its boundary is the
 * outer surface of the chest-wall muscle. Outside it lie subcutaneous fat and skin; inside, the muscle layer, the rib
 * layer and the thoracic cavity (heart, mediastinum, lungs). The breast is a half-ellipsoid standing on the chest wall
 * (prone: pendulous and deep; supine: flatter and wider). The tumour centre is placed by normalised breast coordinates
 * and pulled towards the breast centre until the whole tumour (plus a margin) lies inside the breast, clear of skin and
 * chest wall.
 */
import type { PatientModel } from "./patient-model";
import { fibonacciSphere, type TumourShapeParams } from "./tumour-shape";
import { NacError } from "../errors/nac-error";

export interface Scene {
  position: "prone" | "supine";
  torsoHalfWidth: number;
  torsoHalfDepth: number;
  torsoCentreY: number;
  subcutaneousFat: number;
  skin: number;
  muscle: number;
  ribLayer: number;
  breastCentre: [number, number, number];
  /** Breast half-axes: x, depth from chest wall (y), z. */
  breastAxes: [number, number, number];
  /** Anterior chest-wall y at breast-centre x (the base plane of the breast). */
  heartCentre: [number, number, number];
  heartAxes: [number, number, number];
  tumourCentre: [number, number, number];
  /** z of the centre of the imaged slab. */
  fovCentreZ: number;
}

/** y of the chest-wall (muscle outer) surface at lateral position x: the anterior half of the torso ellipse. */
export function wallY(s: Scene, x: number): number {
  const t = x / s.torsoHalfWidth;
  return s.torsoCentreY - s.torsoHalfDepth * Math.sqrt(Math.max(0, 1 - t * t));
}

/** Normalised breast radius (1 on the breast surface) or Infinity posterior to the chest wall. */
export function breastRho(s: Scene, x: number, y: number, z: number): number {
  const v = wallY(s, x) - y;
  if (v <= 0) return Infinity;
  const bu = (x - s.breastCentre[0]) / s.breastAxes[0];
  const bv = v / s.breastAxes[1];
  const bw = (z - s.breastCentre[2]) / s.breastAxes[2];
  return Math.sqrt(bu * bu + bv * bv + bw * bw);
}

/** Approximate distance (mm) from a point inside the breast to the breast surface (first-order, via the gradient). */
export function breastDepthToSkin(s: Scene, x: number, y: number, z: number): number {
  const v = wallY(s, x) - y;
  const [a, d, c] = s.breastAxes;
  const bu = (x - s.breastCentre[0]) / a;
  const bv = v / d;
  const bw = (z - s.breastCentre[2]) / c;
  const rho = Math.sqrt(bu * bu + bv * bv + bw * bw);
  const g = Math.sqrt((bu / a) ** 2 + (bv / d) ** 2 + (bw / c) ** 2);
  return g > 0 ? ((1 - rho) * rho) / g : Infinity;
}

const SURFACE = fibonacciSphere(256);

/** True when every sampled tumour surface point (pushed out by `margin` mm) is inside the breast, clear of the skin. */
function tumourFits(
  s: Scene,
  centre: [number, number, number],
  shape: TumourShapeParams,
  maxRadius: (x: number, y: number, z: number) => number,
  margin: number,
): boolean {
  for (let i = 0; i < SURFACE.length / 3; i++) {
    const ux = SURFACE[i * 3],
      uy = SURFACE[i * 3 + 1],
      uz = SURFACE[i * 3 + 2];
    const r = maxRadius(ux, uy, uz) + margin;
    const x = centre[0] + r * ux,
      y = centre[1] + r * uy,
      z = centre[2] + r * uz;
    if (wallY(s, x) - y < margin) return false;
    if (breastRho(s, x, y, z) >= 1) return false;
    if (breastDepthToSkin(s, x, y, z) < 2.5) return false;
  }
  void shape;
  return true;
}

export function buildScene(
  m: PatientModel,
  position: "prone" | "supine",
  radiusAlong: (ux: number, uy: number, uz: number) => number,
): Scene {
  const a = m.anatomy;
  const prone = position === "prone";
  const torsoHalfWidth = 150;
  const torsoHalfDepth = 105;
  const torsoCentreY = 105;
  const breastZ = prone ? 20 : -140;
  const bx = a.side * a.breastOffsetMm * (prone ? 1 : 1.04);
  const axes: [number, number, number] = prone
    ? [a.breastHalfWidthMm, a.breastDepthMm, a.breastHalfHeightMm]
    : [a.breastHalfWidthMm * a.ctWidthScale, 0, a.breastHalfHeightMm * 1.05];
  const maxR = Math.max(
    ...Array.from({ length: 256 }, (_, i) => radiusAlong(SURFACE[i * 3], SURFACE[i * 3 + 1], SURFACE[i * 3 + 2])),
  );
  if (!prone) {
    // Supine the breast flattens, but never so much that the tumour (which is not deformed here) cannot fit.
    axes[1] = Math.max(a.breastDepthMm * a.ctDepthScale, 2.5 * maxR + 26);
  }
  const scene: Scene = {
    position,
    torsoHalfWidth,
    torsoHalfDepth,
    torsoCentreY,
    subcutaneousFat: a.subcutaneousFatMm,
    skin: 1.6,
    muscle: a.pectoralisThicknessMm,
    ribLayer: 12,
    breastCentre: [bx, 0, breastZ],
    breastAxes: axes,
    heartCentre: [28, torsoCentreY + 5, breastZ - 10],
    heartAxes: [62, 48, 60],
    tumourCentre: [0, 0, 0],
    fovCentreZ: 0,
  };
  scene.breastCentre[1] = wallY(scene, bx);

  // Place the tumour at its drawn normalised position; if it does not fit, pull it towards the breast centre, trying
  // a few depths (the chest wall slopes forward medially, so deep, large tumours may need to sit more anteriorly).
  // As a last resort (rare, very irregular large tumours) the breast grows by 8 % and placement is retried.
  for (let grow = 0; grow < 8; grow++) {
    for (const v0 of [a.tumourV, 0.5, 0.55, 0.6, 0.45, 0.65]) {
      let u = a.tumourU * a.side;
      let v = v0;
      let w = a.tumourW;
      for (let iter = 0; iter < 16; iter++) {
        const x = bx + u * axes[0];
        const z = breastZ + w * axes[2];
        const y = wallY(scene, x) - v * axes[1];
        const c: [number, number, number] = [x, y, z];
        if (tumourFits(scene, c, m.shape, radiusAlong, 3)) {
          scene.tumourCentre = c;
          const half = 50 - maxR - 3;
          scene.fovCentreZ = z + Math.max(-half, Math.min(half, a.fovZOffsetMm));
          return scene;
        }
        u *= 0.8;
        w *= 0.8;
        v = v0 + (v - v0) * 0.8;
        // Medial positions press against the forward-sloping chest wall, so drift laterally a little.
        u += 0.01 * a.side;
      }
    }
    for (let k = 0; k < 3; k++) axes[k] *= 1.08;
  }
  throw new NacError("INTERNAL", `synthetic tumour of patient ${m.index} does not fit in the ${position} breast`, {
    maxRadius: maxR,
    breastAxes: axes,
  });
}
