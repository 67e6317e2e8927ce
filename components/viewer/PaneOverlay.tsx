"use client";

import type { OverlayInfo } from "./viewport-overlay";

/** Corner texts over a pane, as in OHIF: W/L and slice position bottom left, patient directions at the edges. */
export function PaneOverlay({ index, overlay }: { index: number; overlay: OverlayInfo }) {
  const m = overlay.markers;
  const edge = "pointer-events-none absolute z-[5] text-xs font-semibold text-accent-400 drop-shadow";
  return (
    <>
      {m && (
        <>
          <span className={`${edge} left-1/2 top-1 -translate-x-1/2`} data-testid={`marker-top-${index}`}>
            {m.top}
          </span>
          <span className={`${edge} bottom-1 left-1/2 -translate-x-1/2`}>{m.bottom}</span>
          <span className={`${edge} left-1 top-1/2 -translate-y-1/2`} data-testid={`marker-left-${index}`}>
            {m.left}
          </span>
          <span className={`${edge} right-1 top-1/2 -translate-y-1/2`}>{m.right}</span>
        </>
      )}
      <span
        className="pointer-events-none absolute bottom-1 left-1 z-[5] text-[11px] leading-tight text-ink-300 drop-shadow"
        data-testid={`overlay-${index}`}
      >
        {overlay.window && (
          <>
            W {Math.round(overlay.window.width)} L {Math.round(overlay.window.level)}
            <br />
          </>
        )}
        {overlay.positionMm !== null && <>Pos {overlay.positionMm.toFixed(1)} mm</>}
      </span>
    </>
  );
}
