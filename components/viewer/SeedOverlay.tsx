"use client";

import { useState } from "react";
import type { SeedKind } from "./useAssistedSegmentation";

/**
 * Captures clicks for the one-click segmentation tool over a pane: click = new lesion, shift-click = add a foreground
 * seed, alt-click = background seed. Above the Cornerstone element (a click must not also window or paint), so the
 * wheel is passed on to keep slice scrolling. The voxel the last click seeded is kept in `data-last-seed` ("i,j,k"),
 * so a spec can check that a click landed where it aimed.
 */
export function SeedOverlay(props: {
  testId: string;
  onSeed: (canvas: [number, number], kind: SeedKind) => Promise<readonly number[] | undefined>;
  onWheel: (direction: 1 | -1) => void;
}) {
  const [lastSeed, setLastSeed] = useState<string>();
  return (
    <div
      data-testid={props.testId}
      data-last-seed={lastSeed}
      className="absolute inset-0 z-10 cursor-crosshair"
      title="click: grow the lesion · shift-click: add to it · alt-click: mark background"
      onClick={(e) => {
        const r = e.currentTarget.getBoundingClientRect();
        void props
          .onSeed([e.clientX - r.left, e.clientY - r.top], e.altKey ? "background" : e.shiftKey ? "foreground" : "new")
          .then((ijk) => setLastSeed(ijk?.join(",")));
      }}
      onWheel={(e) => props.onWheel(e.deltaY > 0 ? 1 : -1)}
    />
  );
}
