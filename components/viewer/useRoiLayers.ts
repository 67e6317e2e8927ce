"use client";

/**
 * The ROI layers of the panes (after OHIF's useSegmentations): per pane the editable tumour labelmap and the read-only
 * peritumoral shell under it; loading the latest version, saving, uploading, carrying; interpolating and freehand
 * fills (useRoiEdits.ts), each as one step of Cornerstone's undo history. Labelmap slice k is the stack's image k (see
 * roi-layer.ts).
 */
import { useEffect, useRef, useState, type RefObject } from "react";
import type { RenderingEngine } from "@cornerstonejs/core";
import { ApiError, fetchJson, jsonBody } from "@/lib/api/fetch-json";
import { roiListResponse, roiSavedResponse, rtstructChoiceDetails } from "@/lib/api/schemas";
import { addLabelmap, gunzip, gzip, readLabelmap, writeLabelmap, type LabelmapHandle } from "./roi-layer";
import { roiSizeOf, type RoiSize } from "./roi-size";
import type { RoiInfo } from "./RoiPanel";
import { sliceSizeOf, viewportIdOf, type ViewerSeries } from "./series-stack";
import { useRoiEdits } from "./useRoiEdits";

export type RoiMessage = { kind: "ok" | "error"; text: string };

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
    const answer = await fetchJson(`/api/series/${s.id}/rois`, roiListResponse).catch(() => null);
    if (!answer) return;
    const list: RoiInfo[] = answer.rois;
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

  const { fillOutline, interpolate, historyStep, clear } = useRoiEdits({
    panes,
    engineRef,
    labelmaps,
    setMessage,
    runRoiAction,
  });

  async function save(i: number) {
    const s = panes[i];
    const h = labelmaps.current[i];
    if (!s || !h) return;
    await runRoiAction("Saving ROI…", "", async () => {
      const mask = await readLabelmap(h, sliceSize(i));
      const source = assisted.current[i] ? "?source=assisted" : "";
      const body = await fetchJson(
        `/api/series/${s.id}/rois${source}`,
        roiSavedResponse,
        { method: "POST", body: await gzip(mask), headers: { "content-type": "application/octet-stream" } },
        "save",
      );
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
      let body;
      try {
        body = await fetchJson(
          `/api/series/${s.id}/rois/upload`,
          roiSavedResponse,
          { method: "POST", body: form },
          "upload",
        );
      } catch (e) {
        const choices = e instanceof ApiError && e.code === "RTSTRUCT_ROI_CHOICE_REQUIRED";
        const details = choices ? rtstructChoiceDetails.safeParse(e.details) : null;
        if (!details?.success) throw e;
        setRtstructChoice({ pane: i, file, rois: details.data.rois });
        return { kind: "ok", text: `${file.name}: choose the ROI to use` };
      }
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
      const body = await fetchJson(
        `/api/rois/${roi.id}/carry`,
        roiSavedResponse,
        jsonBody("POST", { targetSeriesId: target.id }),
      );
      await loadLatestRoi(to);
      return {
        kind: "ok",
        text: `ROI carried: version ${body.roi.version} (derived) of the other series, ${body.stats.voxelCount} voxels; review it in its pane`,
      };
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
