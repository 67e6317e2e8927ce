"use client";

/**
 * Editing the tumour labelmap in place: freehand fills, shape-based interpolation, clearing, and undo/redo, each as one
 * step of Cornerstone's undo history. Loading and saving the layers is useRoiLayers'.
 */
import type { RefObject } from "react";
import type { RenderingEngine, Types } from "@cornerstonejs/core";
import { interpolateSlices } from "@/lib/imaging/slice-interpolation";
import { clickGate } from "./click-gate";
import { countSet, fillPolygon, type PixelPoint } from "./freehand";
import { applySlicesUndoable, readLabelmap, readLabelmapSlice, type LabelmapHandle } from "./roi-layer";
import { sliceSizeOf, viewportIdOf, type ViewerSeries } from "./series-stack";
import type { RoiMessage } from "./useRoiLayers";

export function useRoiEdits(opts: {
  panes: (ViewerSeries | null)[];
  engineRef: RefObject<RenderingEngine | null>;
  /** each pane's tumour labelmap */
  labelmaps: RefObject<(LabelmapHandle | null)[]>;
  setMessage: (m: RoiMessage) => void;
  runRoiAction: (busyLabel: string, errorPrefix: string, action: () => Promise<RoiMessage>) => Promise<void>;
}) {
  const { panes, engineRef, labelmaps, setMessage, runRoiAction } = opts;
  const sliceSize = (i: number) => sliceSizeOf(panes[i]);
  const render = () => engineRef.current?.render();

  /** Fill a freehand outline (pane canvas pixels) into the tumour labelmap on the pane's current axial slice. */
  async function fillOutline(i: number, outline: [number, number][]) {
    const h = labelmaps.current[i];
    const vp = engineRef.current?.getViewport(viewportIdOf(i));
    if (!h || !vp || !("getCurrentImageIdIndex" in vp)) return;
    const core = await import("@cornerstonejs/core");
    const stack = vp as Types.IStackViewport;
    const k = stack.getCurrentImageIdIndex();
    const img = core.cache.getImage(h.labelmapImageIds[k]);
    if (!img) return;
    const imageId = stack.getCurrentImageId();
    const pixels = outline.map(
      (p) =>
        core.utilities.worldToImageCoords(imageId, stack.canvasToWorld(p as Types.Point2)) as unknown as PixelPoint,
    );
    const inside = fillPolygon(pixels, img.columns, img.rows);
    const added = countSet(inside);
    if (added === 0) {
      setMessage({ kind: "error", text: "outline too small or not closed: nothing filled" });
      return;
    }
    const current = await readLabelmapSlice(h, k, sliceSize(i));
    for (let p = 0; p < current.length; p++) current[p] |= inside[p];
    await applySlicesUndoable(h, new Map([[k, current]]), sliceSize(i), render);
    vp.render();
    setMessage({ kind: "ok", text: `freehand outline filled on slice ${k + 1} (${added} pixels)` });
  }

  /** Shape-based interpolation of the tumour across the axial slices between drawn ones (one undo step). */
  async function interpolate(i: number) {
    const s = panes[i];
    const h = labelmaps.current[i];
    if (!s || !h) return;
    await runRoiAction("Interpolating…", "interpolation failed: ", async () => {
      const size = sliceSize(i);
      const mask = await readLabelmap(h, size);
      const dims: [number, number, number] = [s.dims[0], s.dims[1], h.labelmapImageIds.length];
      const spacing = s.geometry.spacing as [number, number, number];
      const { mask: out, filled, reason } = interpolateSlices(mask, dims, spacing);
      if (reason) return { kind: "error", text: `nothing to interpolate: ${reason}` };
      const changed = new Map<number, Uint8Array>();
      for (let k = 0; k < dims[2]; k++) {
        const slice = out.subarray(k * size, (k + 1) * size);
        const was = mask.subarray(k * size, (k + 1) * size);
        if (slice.some((v, p) => (v ? 1 : 0) !== was[p])) changed.set(k, slice.slice());
      }
      if (changed.size) await applySlicesUndoable(h, changed, size, render);
      render();
      // slices between drawn ones where the shapes shrink to nothing stay empty: count only those that got pixels
      return { kind: "ok", text: `interpolated ${filled.filter((f) => f.voxels > 0).length} slices` };
    });
  }

  async function historyStep(kind: "undo" | "redo") {
    await clickGate.settled(); // a brush click still on its way is the newest step, not the one before it
    const core = await import("@cornerstonejs/core");
    const memo = core.utilities.HistoryMemo.DefaultHistoryMemo;
    if (kind === "undo") memo.undo();
    else memo.redo();
    render();
  }

  /** Empty the tumour labelmap of pane i (one undo step). */
  async function clear(i: number) {
    const h = labelmaps.current[i];
    if (!h) return;
    const size = sliceSize(i);
    const mask = await readLabelmap(h, size);
    const changed = new Map<number, Uint8Array>();
    for (let k = 0; k < h.labelmapImageIds.length; k++)
      if (mask.subarray(k * size, (k + 1) * size).some((v) => v)) changed.set(k, new Uint8Array(size));
    if (changed.size) await applySlicesUndoable(h, changed, size, render);
    render();
    setMessage({
      kind: "ok",
      text: changed.size
        ? `ROI cleared on ${changed.size} slices (undo brings it back; not saved)`
        : "the ROI is already empty",
    });
  }

  return { fillOutline, interpolate, historyStep, clear };
}
