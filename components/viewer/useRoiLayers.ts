"use client";

/**
 * The ROI layers of the panes (after OHIF's useSegmentations): per pane the editable tumour labelmap and the read-only
 * peritumoral shell under it; loading the latest version, saving, uploading, interpolating and freehand fills, each
 * as one step of Cornerstone's undo history. Labelmap slice k is the stack's image k (see roi-layer.ts).
 */
import { useEffect, useRef, useState, type RefObject } from "react";
import type { RenderingEngine, Types } from "@cornerstonejs/core";
import { roiStats } from "@/lib/imaging/roi-stats";
import { interpolateSlices } from "@/lib/imaging/slice-interpolation";
import { makeVolume, type Direction, type Vec3 } from "@/lib/imaging/volume";
import { clickGate } from "./click-gate";
import { countSet, fillPolygon, type PixelPoint } from "./freehand";
import {
  addLabelmap,
  applySlicesUndoable,
  gunzip,
  gzip,
  readLabelmap,
  readLabelmapSlice,
  writeLabelmap,
  type LabelmapHandle,
} from "./roi-layer";
import type { RoiInfo } from "./RoiPanel";
import { sliceSizeOf, viewportIdOf, type ViewerSeries } from "./series-stack";

export type RoiMessage = { kind: "ok" | "error"; text: string };

export interface RoiSize {
  volumeMm3: number;
  maxDiameter3dMm: number;
  /** longest diameter within an axial plane (RECIST-like) */
  maxDiameterAxialMm: number;
}

function roiSizeOf(mask: Uint8Array, s: ViewerSeries, nz: number): RoiSize | null {
  if (!mask.some((v) => v)) return null;
  const g = s.geometry;
  const st = roiStats(
    makeVolume(mask, {
      dims: [s.dims[0], s.dims[1], nz],
      spacing: g.spacing as Vec3,
      origin: g.origin as Vec3,
      direction: g.direction as Direction,
    }),
  );
  return { volumeMm3: st.volumeMm3, maxDiameter3dMm: st.maxDiameter3dMm, maxDiameterAxialMm: st.maxDiameterAxialMm };
}

export interface PaneLayers {
  shell: LabelmapHandle | null;
  tumour: LabelmapHandle | null;
}

export function useRoiLayers(panes: (ViewerSeries | null)[], engineRef: RefObject<RenderingEngine | null>) {
  /** each pane's ROI versions, newest first */
  const [versions, setVersions] = useState<RoiInfo[][]>(panes.map(() => []));
  const rois = versions.map((v) => v[0] ?? null);
  const [visible, setVisible] = useState(true);
  /** an RTSTRUCT upload waiting for the user to choose one of its ROIs */
  const [rtstructChoice, setRtstructChoice] = useState<{
    pane: number;
    file: File;
    rois: { number: number; name: string }[];
  } | null>(null);
  /** volume and longest diameters of each pane's saved ROI (lib/imaging/roi-stats, the numbers the features use) */
  const [sizes, setSizes] = useState<(RoiSize | null)[]>(panes.map(() => null));
  const [marginMm, setMarginMm] = useState(5);
  const [showShell, setShowShell] = useState(true);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<RoiMessage | null>(null);
  const labelmaps = useRef<(LabelmapHandle | null)[]>(panes.map(() => null));
  /** panes whose unsaved edits include a one-click result: their next save is recorded as "assisted" */
  const assisted = useRef<boolean[]>(panes.map(() => false));
  const shells = useRef<(LabelmapHandle | null)[]>(panes.map(() => null));
  // read by loads started from the engine's effect, which outlive the render they were started in
  const showShellRef = useRef(showShell);
  const marginRef = useRef(marginMm);
  const sliceSize = (i: number) => sliceSizeOf(panes[i]);
  const render = () => engineRef.current?.render();

  async function loadShell(i: number, roiId: string | null, margin: number) {
    const h = shells.current[i];
    if (!h) return;
    let shell: Uint8Array = new Uint8Array(sliceSize(i) * h.labelmapImageIds.length);
    if (roiId && showShellRef.current) {
      const res = await fetch(`/api/rois/${roiId}/shell?marginMm=${margin}`);
      if (res.ok) shell = await gunzip(res);
    }
    await writeLabelmap(h, shell, sliceSize(i));
  }

  async function loadLatestRoi(i: number) {
    const s = panes[i];
    const h = labelmaps.current[i];
    if (!s || !h) return;
    const res = await fetch(`/api/series/${s.id}/rois`);
    if (!res.ok) return;
    const list = ((await res.json()) as { rois: RoiInfo[] }).rois;
    const latest = list[0] ?? null;
    setVersions((prev) => prev.map((r, j) => (j === i ? list : r)));
    let size: RoiSize | null = null;
    if (latest) {
      const m = await fetch(`/api/rois/${latest.id}/mask`);
      if (m.ok) {
        const mask = await gunzip(m);
        await writeLabelmap(h, mask, sliceSize(i));
        size = roiSizeOf(mask, s, h.labelmapImageIds.length);
      }
    }
    setSizes((prev) => prev.map((x, j) => (j === i ? size : x)));
    await loadShell(i, latest?.id ?? null, marginRef.current);
    engineRef.current?.getViewport(viewportIdOf(i))?.render();
  }

  /** Make pane i's labelmaps over its (loaded) stack and fill them with the latest saved ROI and its shell. */
  async function attach(i: number, imageIds: string[]) {
    const s = panes[i];
    if (!s) return;
    shells.current[i] = await addLabelmap(viewportIdOf(i), imageIds, `shell-${s.id}`, {
      color: [227, 179, 65, 110],
      editable: false,
    });
    labelmaps.current[i] = await addLabelmap(viewportIdOf(i), imageIds, `roi-${s.id}`, {
      color: [248, 81, 73, 160],
      editable: true,
    });
    await loadLatestRoi(i);
  }

  useEffect(() => {
    showShellRef.current = showShell;
    marginRef.current = marginMm;
    panes.forEach((_, i) => void loadShell(i, rois[i]?.id ?? null, marginMm));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [showShell, marginMm]);

  /** One ROI action with the busy indicator on; its result, or the error it throws, becomes the panel's message. */
  async function runRoiAction(busyLabel: string, errorPrefix: string, action: () => Promise<RoiMessage>) {
    setBusy(busyLabel);
    setMessage(null);
    try {
      setMessage(await action());
    } catch (e) {
      setMessage({ kind: "error", text: `${errorPrefix}${(e as Error).message}` });
    } finally {
      setBusy(null);
    }
  }

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

  async function save(i: number) {
    const s = panes[i];
    const h = labelmaps.current[i];
    if (!s || !h) return;
    await runRoiAction("Saving ROI…", "", async () => {
      const mask = await readLabelmap(h, sliceSize(i));
      const source = assisted.current[i] ? "?source=assisted" : "";
      const res = await fetch(`/api/series/${s.id}/rois${source}`, {
        method: "POST",
        body: await gzip(mask),
        headers: { "content-type": "application/octet-stream" },
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error?.message ?? `save failed (${res.status})`);
      assisted.current[i] = false;
      await loadLatestRoi(i);
      return {
        kind: "ok",
        text: `ROI version ${body.roi.version} saved (${body.stats.voxelCount} voxels, ${(body.stats.volumeMm3 / 1000).toFixed(2)} mL)`,
      };
    });
  }

  /** Upload a mask file; an RTSTRUCT with several ROIs first asks which (`choice` then names it). */
  async function upload(i: number, file: File, choice?: string) {
    const s = panes[i];
    if (!s) return;
    setRtstructChoice(null);
    await runRoiAction(`Uploading ${file.name}…`, "", async () => {
      const form = new FormData();
      form.set("file", file);
      if (choice !== undefined) form.set("roi", choice);
      const res = await fetch(`/api/series/${s.id}/rois/upload`, { method: "POST", body: form });
      const body = await res.json();
      if (res.status === 409 && body.error?.code === "RTSTRUCT_ROI_CHOICE_REQUIRED") {
        setRtstructChoice({ pane: i, file, rois: body.error.details.rois });
        return { kind: "ok", text: `${file.name}: choose the ROI to use` };
      }
      if (!res.ok) throw new Error(body.error?.message ?? `upload failed (${res.status})`);
      await loadLatestRoi(i);
      return {
        kind: "ok",
        text: `${file.name} accepted as ROI version ${body.roi.version} (${body.stats.voxelCount} voxels)`,
      };
    });
  }

  /** Carry pane `from`'s saved ROI onto pane `to`'s series (saved there as "derived"); pane `to` then shows it. */
  async function carry(from: number, to: number) {
    const roi = versions[from][0];
    const target = panes[to];
    if (!roi || !target) return;
    await runRoiAction("Carrying ROI…", "carry failed: ", async () => {
      const res = await fetch(`/api/rois/${roi.id}/carry`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ targetSeriesId: target.id }),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
      await loadLatestRoi(to);
      return {
        kind: "ok",
        text: `ROI carried: version ${body.roi.version} (derived) of the other series, ${body.stats.voxelCount} voxels; review it in its pane`,
      };
    });
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

  /** Show or hide the tumour and shell overlays on every pane (the labelmaps keep their voxels). */
  async function toggleVisible() {
    const tools = await import("@cornerstonejs/tools");
    const next = !visible;
    panes.forEach((_, i) => {
      for (const h of [shells.current[i], labelmaps.current[i]]) {
        if (h)
          tools.segmentation.config.visibility.setSegmentationRepresentationVisibility(
            viewportIdOf(i),
            { segmentationId: h.segmentationId, type: tools.Enums.SegmentationRepresentations.Labelmap },
            next,
          );
      }
    });
    setVisible(next);
    render();
  }

  /** The pane's labelmaps, shell first and tumour last (drawn on top; the tumour is the active segmentation). */
  const layersOf = (i: number): PaneLayers => ({ shell: shells.current[i], tumour: labelmaps.current[i] });

  return {
    rois,
    sizes,
    versions,
    visible,
    toggleVisible,
    carry,
    rtstructChoice,
    cancelRtstructChoice: () => setRtstructChoice(null),
    clear,
    markAssisted: (i: number) => (assisted.current[i] = true),
    marginMm,
    setMarginMm,
    showShell,
    setShowShell,
    busy,
    message,
    setMessage,
    attach,
    layersOf,
    fillOutline,
    interpolate,
    historyStep,
    save,
    upload,
  };
}
