"use client";

import { useEffect } from "react";

/**
 * Rendered by the worklist: once that page is idle, fetch and initialise the viewer's code (Cornerstone3D, ~5 MB of
 * JavaScript, and its decode worker), so that opening a patient, a client-side navigation that keeps loaded modules,
 * finds the viewer ready instead of starting it from scratch. Idle time only: the worklist itself is not delayed.
 */
export function ViewerWarmup() {
  useEffect(() => {
    const start = () => {
      void import("./cornerstone-init").then((m) => m.initCornerstone()).catch(() => undefined); // the viewer reports init errors
      void import("./ThreeSeriesViewer").catch(() => undefined);
    };
    if (typeof window.requestIdleCallback === "function") {
      const id = window.requestIdleCallback(start, { timeout: 2000 });
      return () => window.cancelIdleCallback(id);
    }
    const timer = setTimeout(start, 300);
    return () => clearTimeout(timer);
  }, []);
  return null;
}
