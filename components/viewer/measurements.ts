/**
 * Cornerstone3D measurement annotations (length, bidirectional, segment-bidirectional) to and from the saved form
 * (lib/measurements). Lengths are recomputed from the world points (mm), not read from the tool's cached stats, which
 * are only filled once the annotation has been rendered.
 */
import type { Measurement, MeasurementKind } from "@/lib/measurements/measurement-set";

export const MEASUREMENT_TOOL_KIND: Record<string, MeasurementKind> = {
  Length: "length",
  Bidirectional: "bidirectional",
  SegmentBidirectional: "segmentBidirectional",
};

type Vec3 = [number, number, number];
const dist = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const round = (v: number) => Math.round(v * 100) / 100;

export interface AnnotationLike {
  annotationUID?: string;
  metadata: { toolName: string; referencedImageId?: string };
  data: { handles: { points: number[][] } };
}

/** The saved form of an annotation drawn on a stack of `imageIds`, or null when it is not a measurement of it. */
export function measurementOf(a: AnnotationLike, imageIds: readonly string[]): Measurement | null {
  const kind = MEASUREMENT_TOOL_KIND[a.metadata.toolName];
  const points = a.data.handles.points.map((p) => [p[0], p[1], p[2]] as Vec3);
  if (!kind || !a.annotationUID || points.length < 2) return null;
  const k = a.metadata.referencedImageId ? imageIds.indexOf(a.metadata.referencedImageId) : -1;
  if (a.metadata.referencedImageId && k < 0) return null; // drawn on another pane's series
  const twoAxes = kind !== "length" && points.length >= 4;
  return {
    uid: a.annotationUID,
    kind,
    lengthMm: round(dist(points[0], points[1])),
    widthMm: twoAxes ? round(dist(points[2], points[3])) : null,
    points: (twoAxes ? points.slice(0, 4) : points.slice(0, 2)).map((p) => p.map(round) as Vec3),
    where: k >= 0 ? `axial slice ${k + 1}` : "reformatted view",
  };
}
