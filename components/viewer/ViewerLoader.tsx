"use client";

import dynamic from "next/dynamic";
import type { ViewerSeries } from "./ThreeSeriesViewer";

// Cornerstone3D touches window/WebGL at import time: load it only in the browser, after mount.
const ThreeSeriesViewer = dynamic(() => import("./ThreeSeriesViewer"), {
  ssr: false,
  loading: () => <p className="text-sm text-ink-500">Loading viewer…</p>,
});

export function ViewerLoader({ series }: { series: ViewerSeries[] }) {
  return <ThreeSeriesViewer series={series} />;
}
