"use client";

import type { SeedKind } from "./useAssistedSegmentation";

/**
 * Captures clicks for the one-click segmentation tool over a pane: click = new lesion, shift-click = add a foreground
 * seed, alt-click = background seed. Above the Cornerstone element (a click must not also window or paint), so the
 * wheel is passed on to keep slice scrolling.
 */
export function SeedOverlay(props: {
  testId: string;
  onSeed: (canvas: [number, number], kind: SeedKind) => void;
  onWheel: (direction: 1 | -1) => void;
}) {
  return (
    <div
      data-testid={props.testId}
      className="absolute inset-0 z-10 cursor-crosshair"
      title="click: grow the lesion · shift-click: add to it · alt-click: mark background"
      onClick={(e) => {
        const r = e.currentTarget.getBoundingClientRect();
        props.onSeed(
          [e.clientX - r.left, e.clientY - r.top],
          e.altKey ? "background" : e.shiftKey ? "foreground" : "new",
        );
      }}
      onWheel={(e) => props.onWheel(e.deltaY > 0 ? 1 : -1)}
    />
  );
}
