"use client";

import { describeMeasurement, type MeasurementSet } from "@/lib/measurements/measurement-set";

/**
 * Measurement tools and the saved measurements of the active pane's series: draw with Length / Bidirectional, or let
 * Cornerstone3D draw the ROI's long/short axis; "Save measurements" keeps what is drawn as a new version.
 */
export function MeasurementList(props: {
  set: MeasurementSet | null;
  canSave: boolean;
  why: string | null;
  onSave: () => void;
  onRoiAxes: (() => void) | null;
}) {
  const set = props.set;
  return (
    <details className="text-ink-300" data-testid="measurements">
      <summary className="cursor-pointer">Measurements ({set?.measurements.length ?? 0})</summary>
      <div className="mt-1 flex flex-wrap items-center gap-2">
        {props.onRoiAxes && (
          <button
            type="button"
            disabled={!props.canSave}
            onClick={props.onRoiAxes}
            className="rounded border border-room-600 px-2 py-0.5 disabled:opacity-40"
            title={
              props.why ?? "Draw the tumour ROI's longest axis and its perpendicular (RECIST) on its largest slice"
            }
          >
            ROI long/short axis
          </button>
        )}
        <button
          type="button"
          disabled={!props.canSave}
          onClick={props.onSave}
          className="rounded border border-room-600 px-2 py-0.5 disabled:opacity-40"
          title={props.why ?? "Save the measurements drawn on this series as a new version"}
        >
          Save measurements
        </button>
        {set && set.version > 0 && (
          <span className="text-ink-500" data-testid="measurements-saved">
            version {set.version} saved by {set.savedBy?.displayName ?? "?"}{" "}
            {set.savedAt ? new Date(set.savedAt).toLocaleString() : ""}
          </span>
        )}
      </div>
      <ul className="mt-1" data-testid="measurement-list">
        {set?.measurements.map((m) => (
          <li key={m.uid}>{describeMeasurement(m)}</li>
        ))}
      </ul>
    </details>
  );
}
