"use client";

import { roleLabel } from "@/lib/imaging/series/roles";
import type { ViewerSeries } from "./series-stack";

/**
 * Carry the active pane's saved ROI to another pane's series (POST /api/rois/[id]/carry: resampled through patient
 * coordinates, saved there as a new "derived" version). Series in another frame of reference (CT) are offered
 * disabled with the reason; the one-click tool is the way there. The result is shown in its pane for review.
 */
export function CarryRoi(props: {
  roiId: string | null;
  from: ViewerSeries | null;
  targets: { pane: number; series: ViewerSeries }[];
  disabledReason: string | null;
  onCarry: (pane: number) => void;
}) {
  if (!props.from || props.targets.length === 0) return null;
  return (
    <span className="flex items-center gap-1 text-ink-300" data-testid="carry-roi">
      carry ROI to
      {props.targets.map(({ pane, series }) => {
        const sameFrame =
          !!props.from!.frameOfReferenceUid && series.frameOfReferenceUid === props.from!.frameOfReferenceUid;
        const why =
          props.disabledReason ??
          (!props.roiId
            ? "save an ROI on this series first"
            : !sameFrame
              ? `${roleLabel(series.role)} is in another frame of reference: draw it there with the one-click tool`
              : null);
        return (
          <button
            key={pane}
            type="button"
            disabled={!!why}
            title={
              why ??
              `Resample this ROI onto ${roleLabel(series.role)} and save it there as a new version (derived), shown for review`
            }
            onClick={() => props.onCarry(pane)}
            className="rounded border border-room-600 px-2 py-0.5 disabled:opacity-40"
          >
            {roleLabel(series.role)}
          </button>
        );
      })}
    </span>
  );
}
