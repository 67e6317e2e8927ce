"use client";

import dynamic from "next/dynamic";
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

export function ViewerLoader({ series, readOnlyReason, pacsName = null }: { series: ViewerSeries[]; readOnlyReason: string | null; pacsName?: string | null }) {
  // Keyed by the roles: after a role override the hanging protocol changes, so the viewer starts afresh on the new panes.
  return <ThreeSeriesViewer key={series.map((s) => `${s.id}:${s.role}`).join(",")} series={series} readOnlyReason={readOnlyReason} pacsName={pacsName} />;
}
