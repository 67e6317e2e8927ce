"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import type { ViewerSeries } from "./series-stack";

// Cornerstone3D touches window/WebGL at import time: load it only in the browser, after mount.
const ThreeSeriesViewer = dynamic(() => import("./ThreeSeriesViewer"), {
  ssr: false,
  loading: () => <p className="text-sm text-ink-500">Loading viewer…</p>,
});

// Start fetching and initialising Cornerstone3D as soon as this module runs in the browser (hydration), in parallel
// with the viewer's own chunk, instead of after the viewer has mounted: it is most of the time to the first image.
if (typeof window !== "undefined") {
  void import("./cornerstone-init").then((m) => m.initCornerstone()).catch(() => undefined); // the viewer reports init errors
}

export function ViewerLoader({
  series,
  readOnlyReason,
  pacsName = null,
}: {
  series: ViewerSeries[];
  readOnlyReason: string | null;
  pacsName?: string | null;
}) {
  // A series chosen for an empty pane (pane index -> series id), for this visit only.
  const [shown, setShown] = useState<Record<number, string>>({});
  // Keyed by the roles and the chosen series: when the panes change, the viewer starts afresh on the new panes.
  const key = `${series.map((s) => `${s.id}:${s.role}`).join(",")}|${JSON.stringify(shown)}`;
  return (
    <ThreeSeriesViewer
      key={key}
      series={series}
      readOnlyReason={readOnlyReason}
      pacsName={pacsName}
      shown={shown}
      onShowSeries={(pane, id) => setShown((prev) => ({ ...prev, [pane]: id }))}
    />
  );
}
