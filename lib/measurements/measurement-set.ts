/**
 * Measurements a reader makes on a series with the viewer's annotation tools (Cornerstone3D length, bidirectional and
 * segment-bidirectional): the shared zod schema, used by the route, the viewer and the report.
 * Points are world coordinates (patient LPS, mm) so they stay meaningful whatever the pane's orientation or zoom.
 */
import { z } from "zod";

export const MEASUREMENT_KINDS = ["length", "bidirectional", "segmentBidirectional"] as const;
export type MeasurementKind = (typeof MEASUREMENT_KINDS)[number];

const Point = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);

export const Measurement = z
  .object({
    /** Cornerstone's annotation UID, kept so a re-save replaces rather than duplicates */
    uid: z.string().min(1).max(100),
    kind: z.enum(MEASUREMENT_KINDS),
    /** length, or the long axis of a bidirectional measurement (mm) */
    lengthMm: z.number().finite().nonnegative().max(2000),
    /** short axis of a bidirectional measurement (mm) */
    widthMm: z.number().finite().nonnegative().max(2000).nullable(),
    /** end points: 2 for a length, 4 for a bidirectional (long axis, then short axis) */
    points: z.array(Point).min(2).max(4),
    /** where it was drawn, for the reader: "axial slice 31" */
    where: z.string().max(100),
  })
  .strict();
export type Measurement = z.infer<typeof Measurement>;

export const MeasurementSetInput = z
  .object({ measurements: z.array(Measurement).max(200), baseVersion: z.number().int().nonnegative() })
  .strict();

export const MeasurementSet = z
  .object({
    seriesId: z.string(),
    version: z.number().int().nonnegative(),
    savedAt: z.string().nullable(),
    savedBy: z.object({ username: z.string(), displayName: z.string() }).nullable(),
    measurements: z.array(Measurement),
  })
  .strict();
export type MeasurementSet = z.infer<typeof MeasurementSet>;

const KIND_LABEL: Record<MeasurementKind, string> = {
  length: "Length",
  bidirectional: "Bidirectional",
  segmentBidirectional: "ROI long/short axis",
};

/** One line per measurement, as the viewer and the report show it: "Bidirectional 23.4 x 15.1 mm (axial slice 31)". */
export function describeMeasurement(m: Measurement): string {
  const size =
    m.widthMm === null ? `${m.lengthMm.toFixed(1)} mm` : `${m.lengthMm.toFixed(1)} x ${m.widthMm.toFixed(1)} mm`;
  return `${KIND_LABEL[m.kind]} ${size}${m.where ? ` (${m.where})` : ""}`;
}
