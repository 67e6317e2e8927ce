"use client";

/**
 * The panes' measurements: the saved set of each pane's series (GET /api/series/[id]/measurements) and saving the
 * Cornerstone3D measurement annotations drawn on the pane as a new version. Segment-bidirectional (the ROI's RECIST
 * long/short axes) is computed by Cornerstone3D from the tumour labelmap and drawn as an annotation like the others.
 */
import { useEffect, useState } from "react";
import { fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { measurementSetResponse } from "@/lib/api/schemas";
import type { MeasurementSet } from "@/lib/measurements/measurement-set";
import { measurementOf, type AnnotationLike } from "./measurements";
import type { RoiMessage } from "./useRoiLayers";
import type { ViewerSeries } from "./series-stack";

export function useMeasurements(
  panes: (ViewerSeries | null)[],
  imageIdsOf: (i: number) => string[],
  report: (m: RoiMessage) => void,
) {
  const [sets, setSets] = useState<(MeasurementSet | null)[]>(panes.map(() => null));

  async function load(i: number) {
    const s = panes[i];
    if (!s || s.wado) return;
    const answer = await fetchJson(`/api/series/${s.id}/measurements`, measurementSetResponse).catch(() => null);
    if (!answer) return;
    const set = answer.measurements;
    setSets((prev) => prev.map((x, j) => (j === i ? set : x)));
  }

  useEffect(() => {
    panes.forEach((_, i) => void load(i));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [panes.map((s) => s?.id).join(",")]);

  /** Save every measurement annotation on pane i's series as the series' new measurement set. */
  async function save(i: number) {
    const s = panes[i];
    if (!s) return;
    const tools = await import("@cornerstonejs/tools");
    const ids = imageIdsOf(i);
    const measurements = (tools.annotation.state.getAllAnnotations() as unknown as AnnotationLike[])
      .map((a) => measurementOf(a, ids))
      .filter((m) => m !== null);
    let body;
    try {
      body = await fetchJson(
        `/api/series/${s.id}/measurements`,
        measurementSetResponse,
        jsonBody("PUT", { measurements, baseVersion: sets[i]?.version ?? 0 }),
        "saving measurements",
      );
    } catch (e) {
      report({ kind: "error", text: (e as Error).message });
      return;
    }
    setSets((prev) => prev.map((x, j) => (j === i ? body.measurements : x)));
    report({
      kind: "ok",
      text: `${measurements.length} measurement${measurements.length === 1 ? "" : "s"} saved (version ${body.measurements.version})`,
    });
  }

  /**
   * Draw the tumour ROI's largest bidirectional (RECIST long and short axis on one slice) with Cornerstone3D's
   * segment-bidirectional tool on pane i.
   */
  async function segmentBidirectional(i: number, viewportId: string, segmentationId: string) {
    const tools = await import("@cornerstonejs/tools");
    const found = await tools.utilities.segmentation.getSegmentLargestBidirectional({
      segmentationId,
      segmentIndices: [1],
    });
    const best = Array.isArray(found) ? found[0] : null;
    if (!best?.majorAxis) {
      report({ kind: "error", text: "no ROI long/short axis: draw or load a tumour ROI first" });
      return;
    }
    tools.SegmentBidirectionalTool.hydrate(viewportId, [best.majorAxis, best.minorAxis], {
      segmentIndex: 1,
      segmentationId,
    });
    report({ kind: "ok", text: `ROI long/short axis drawn on pane ${i + 1}: save measurements to keep it` });
  }

  return { sets, save, segmentBidirectional };
}
