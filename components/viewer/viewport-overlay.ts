/**
 * What the pane's corner overlays say (as OHIF's viewport overlay does): window width/level, the slice position in mm
 * along the view normal, and the patient directions at the pane's edges (orientation markers).
 */
import type { Types } from "@cornerstonejs/core";

export interface OverlayInfo {
  window: { width: number; level: number } | null;
  /** signed distance (mm) of the shown plane from the patient origin along the view normal */
  positionMm: number | null;
  markers: { top: string; bottom: string; left: string; right: string } | null;
}

export const NO_OVERLAY: OverlayInfo = { window: null, positionMm: null, markers: null };

const cross = (a: number[], b: number[]) => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Patient-direction letters (LPS: L/R, P/A, S/I) of a unit vector, the dominant axis first; components < 0.25 omitted. */
export function directionLetters(v: number[]): string {
  const letters = [
    [v[0], "L", "R"],
    [v[1], "P", "A"],
    [v[2], "S", "I"],
  ] as const;
  return [...letters]
    .filter(([c]) => Math.abs(c) >= 0.25)
    .sort((a, b) => Math.abs(b[0]) - Math.abs(a[0]))
    .map(([c, pos, neg]) => (c > 0 ? pos : neg))
    .join("");
}

/**
 * Overlay of a camera and VOI. The screen's right is viewUp × viewPlaneNormal and its bottom is −viewUp (as in OHIF's
 * getOrientationMarkers); the opposite edges get the opposite directions.
 */
export function overlayOf(
  camera: Pick<Types.ICamera, "viewUp" | "viewPlaneNormal" | "focalPoint">,
  voi: { lower: number; upper: number } | undefined,
): OverlayInfo {
  const { viewUp, viewPlaneNormal, focalPoint } = camera;
  let markers: OverlayInfo["markers"] = null;
  if (viewUp && viewPlaneNormal) {
    const right = cross(viewUp as number[], viewPlaneNormal as number[]);
    const down = (viewUp as number[]).map((c) => -c);
    markers = {
      right: directionLetters(right),
      left: directionLetters(right.map((c) => -c)),
      bottom: directionLetters(down),
      top: directionLetters(viewUp as number[]),
    };
  }
  return {
    window: voi ? { width: voi.upper - voi.lower, level: (voi.upper + voi.lower) / 2 } : null,
    positionMm: focalPoint && viewPlaneNormal ? dot(focalPoint as number[], viewPlaneNormal as number[]) : null,
    markers,
  };
}
