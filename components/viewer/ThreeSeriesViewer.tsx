"use client";

import { useEffect, useRef, useState } from "react";
import { interpolateSlices } from "@/lib/imaging/slice-interpolation";
import { initCornerstone } from "./cornerstone-init";
import { FreehandOverlay } from "./FreehandOverlay";
import { firstImageIndex, instanceFileUrl } from "./image-urls";
import { countSet, fillPolygon, type PixelPoint } from "./freehand";
import { maskCentroidWorld, MPR_TOOL_GROUP_ID, ORIENTATIONS, showOrientation, type Orientation } from "./mpr";
import { hangingProtocol, presetsFor, ROLE_LABEL, voiRange } from "./presets";
import { addLabelmap, applySlicesUndoable, gunzip, gzip, readLabelmap, readLabelmapSlice, TOOL_NAMES, writeLabelmap, type EditTool, type LabelmapHandle } from "./roi-layer";
import { RoiPanel, type RoiInfo } from "./RoiPanel";
import { correspondingSlice, type StackGeometry } from "./slice-sync";

export interface ViewerSeries {
  id: string;
  role: string;
  /** "manual" when a person set the role, else the classifier's ("auto") */
  roleSource?: string;
  modality: string;
  description: string | null;
  frameOfReferenceUid: string | null;
  dims: number[];
  geometry: StackGeometry;
  images: { instanceId: string; frame: number }[];
  /**
   * Set for a series streamed from a PACS (not stored here): images are read with Cornerstone3D's WADO-RS loader
   * through the same-origin proxy `root` (`instanceId` is then the SOP instance UID); no ROI layer.
   */
  wado?: { root: string; studyUid: string; seriesUid: string };
}

interface PaneState {
  /** slice shown and slices in the current orientation */
  index: number;
  viewCount: number;
  /** images of the series, and how many are decoded */
  count: number;
  loaded: number;
  preset: string;
  orientation: Orientation;
}

const RENDERING_ENGINE_ID = "nac-engine";
const TOOL_GROUP_ID = "nac-tools";

function imageIdsFor(s: ViewerSeries): string[] {
  if (s.wado) return s.images.map((im) => `wadors:${window.location.origin}${wadoSeriesUrl(s.wado!)}/instances/${im.instanceId}/frames/${im.frame}`);
  return s.images.map((im) => `wadouri:${window.location.origin}${instanceFileUrl(im)}`);
}

const wadoSeriesUrl = (w: NonNullable<ViewerSeries["wado"]>) => `${w.root}/studies/${w.studyUid}/series/${w.seriesUid}`;

/**
 * The WADO-RS loader takes each image's metadata from its metadata manager, not from the pixels' answer: register the
 * series' metadata (one request through the proxy) under every image id before the stack is set.
 */
async function registerWadoMetadata(s: ViewerSeries, ids: string[]): Promise<void> {
  if (!s.wado) return;
  const res = await fetch(`${wadoSeriesUrl(s.wado)}/metadata`, { headers: { accept: "application/dicom+json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error?.message ?? `PACS metadata unavailable (HTTP ${res.status})`);
  const bySop = new Map((body as Record<string, { Value?: unknown[] }>[]).map((m) => [String(m["00080018"]?.Value?.[0] ?? ""), m]));
  const loader = await import("@cornerstonejs/dicom-image-loader");
  s.images.forEach((im, k) => {
    const m = bySop.get(im.instanceId);
    if (!m) throw new Error(`the PACS no longer lists image ${im.instanceId} of this series`);
    loader.wadors.metaDataManager.add(ids[k], m as never);
  });
}

/**
 * CE-T1 | T2 | CT side by side (stack viewports: one image in memory per decoded slice, bounded by the cache, which is
 * purged when the patient is left). Left drag W/L, middle pan, right zoom, wheel scroll; MR panes sharing a frame of
 * reference scroll together. Keyboard (OHIF-like): ↑/↓ slice, PgUp/PgDn 10 slices, Space reset, I invert; 1/2/3 axial,
 * sagittal, coronal for the active pane (reformatted panes are volume viewports, see mpr.ts; editing is axial-only).
 * `readOnlyReason`: set when the user's role may not save ROIs; the edit tools are then disabled with that reason.
 */
export default function ThreeSeriesViewer({ series, readOnlyReason = null, pacsName = null }: { series: ViewerSeries[]; readOnlyReason?: string | null; pacsName?: string | null }) {
  const panes = hangingProtocol(series);
  const elements = useRef<(HTMLDivElement | null)[]>([]);
  const [state, setState] = useState<PaneState[]>(
    panes.map((s) => ({ index: 0, viewCount: s?.images.length ?? 0, count: s?.images.length ?? 0, loaded: 0, preset: "auto", orientation: "axial" })),
  );
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [tool, setTool] = useState<"wl" | EditTool>("wl");
  const [rois, setRois] = useState<(RoiInfo | null)[]>(panes.map(() => null));
  const [marginMm, setMarginMm] = useState(5);
  const [showShell, setShowShell] = useState(true);
  const [busy, setBusy] = useState<string | null>(null);
  const [roiReady, setRoiReady] = useState<boolean[]>(panes.map(() => false));
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const engineRef = useRef<import("@cornerstonejs/core").RenderingEngine | null>(null);
  const labelmaps = useRef<(LabelmapHandle | null)[]>(panes.map(() => null));
  const shells = useRef<(LabelmapHandle | null)[]>(panes.map(() => null));
  const imageIdsRef = useRef<string[][]>(panes.map(() => []));
  /** the axial slice to come back to after a reformatted view */
  const axialIndexRef = useRef<number[]>(panes.map(() => 0));
  /** a pane being switched between stack and volume viewport (a second switch meanwhile is ignored) */
  const switching = useRef<boolean[]>(panes.map(() => false));

  const viewportId = (i: number) => `pane-${i}`;

  const showShellRef = useRef(showShell);
  const marginRef = useRef(marginMm);

  const sliceSize = (i: number) => (panes[i] ? panes[i]!.dims[0] * panes[i]!.dims[1] : 0);

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
    const latest = ((await res.json()) as { rois: RoiInfo[] }).rois[0] ?? null;
    setRois((prev) => prev.map((r, j) => (j === i ? latest : r)));
    if (latest) {
      const m = await fetch(`/api/rois/${latest.id}/mask`);
      if (m.ok) await writeLabelmap(h, await gunzip(m), sliceSize(i));
    }
    await loadShell(i, latest?.id ?? null, marginRef.current);
    engineRef.current?.getViewport(viewportId(i))?.render();
  }


  useEffect(() => {
    let cancelled = false;
    const cleanups: (() => void)[] = [];
    (async () => {
      // Performance marks ("nac:viewer-*") let bench/viewer break the time to the first image down.
      performance.mark("nac:viewer-effect");
      await initCornerstone();
      performance.mark("nac:viewer-initialised");
      if (cancelled) return;
      const core = await import("@cornerstonejs/core");
      const tools = await import("@cornerstonejs/tools");
      const engine = new core.RenderingEngine(RENDERING_ENGINE_ID);
      engineRef.current = engine;
      const viewportInputs = panes
        .map((s, i) => (s && elements.current[i] ? { viewportId: viewportId(i), type: core.Enums.ViewportType.STACK, element: elements.current[i]! } : null))
        .filter((v): v is NonNullable<typeof v> => v !== null);
      engine.setViewports(viewportInputs);
      performance.mark("nac:viewer-viewports");

      tools.ToolGroupManager.destroyToolGroup(TOOL_GROUP_ID);
      const group = tools.ToolGroupManager.createToolGroup(TOOL_GROUP_ID)!;
      const B = tools.Enums.MouseBindings;
      group.addTool(tools.WindowLevelTool.toolName);
      group.addTool(tools.PanTool.toolName);
      group.addTool(tools.ZoomTool.toolName);
      group.addTool(tools.StackScrollTool.toolName);
      group.addToolInstance(TOOL_NAMES.brush, tools.BrushTool.toolName, { activeStrategy: "FILL_INSIDE_CIRCLE" });
      group.addToolInstance(TOOL_NAMES.eraser, tools.BrushTool.toolName, { activeStrategy: "ERASE_INSIDE_CIRCLE" });
      group.addToolInstance(TOOL_NAMES.threshold, tools.BrushTool.toolName, { activeStrategy: "THRESHOLD_INSIDE_CIRCLE" });
      group.addTool(tools.SphereScissorsTool.toolName);
      group.setToolActive(tools.WindowLevelTool.toolName, { bindings: [{ mouseButton: B.Primary }] });
      group.setToolActive(tools.PanTool.toolName, { bindings: [{ mouseButton: B.Auxiliary }] });
      group.setToolActive(tools.ZoomTool.toolName, { bindings: [{ mouseButton: B.Secondary }] });
      group.setToolActive(tools.StackScrollTool.toolName, { bindings: [{ mouseButton: B.Wheel }] });
      for (const v of viewportInputs) group.addViewport(v.viewportId, RENDERING_ENGINE_ID);

      // Loading progress per pane, from the image cache's load events.
      const paneOfImage = new Map<string, number>();
      // Counted per event, shown at most every 150 ms: one React update per decoded image would keep the main thread
      // busy re-rendering the viewer while the slices stream in.
      const loadedSinceFlush = panes.map(() => 0);
      let flushTimer: ReturnType<typeof setTimeout> | null = null;
      const flushLoaded = () => {
        flushTimer = null;
        const add = loadedSinceFlush.splice(0, loadedSinceFlush.length, ...panes.map(() => 0));
        setState((prev) => prev.map((p, i) => (add[i] ? { ...p, loaded: Math.min(p.count, p.loaded + add[i]) } : p)));
      };
      const onLoaded = (evt: Event) => {
        const id = (evt as CustomEvent<{ image?: { imageId: string } }>).detail?.image?.imageId;
        const pane = id ? paneOfImage.get(id) : undefined;
        if (pane === undefined) return;
        loadedSinceFlush[pane]++;
        flushTimer ??= setTimeout(flushLoaded, 150);
      };
      core.eventTarget.addEventListener(core.Enums.Events.IMAGE_LOADED, onLoaded);
      cleanups.push(() => {
        core.eventTarget.removeEventListener(core.Enums.Events.IMAGE_LOADED, onLoaded);
        if (flushTimer) clearTimeout(flushTimer);
      });

      // The rest of each stack is fetched only once every pane shows its first image: otherwise the first pane's bulk
      // loading competes with the other panes' first images for the network, the decode worker and the main thread.
      let releaseBulk!: () => void;
      const bulkGate = new Promise<void>((resolve) => (releaseBulk = resolve));
      let firstImagesPending = panes.filter(Boolean).length;
      const firstImageDone = () => {
        if (--firstImagesPending === 0) releaseBulk();
      };
      await Promise.all(
        panes.map(async (s, i) => {
          if (!s) return;
          const ids = imageIdsFor(s);
          imageIdsRef.current[i] = ids;
          ids.forEach((id) => paneOfImage.set(id, i));
          const vp = engine.getViewport(viewportId(i)) as import("@cornerstonejs/core").Types.IStackViewport;
          const start = firstImageIndex(ids.length);
          const el = elements.current[i]!;
          try {
            await registerWadoMetadata(s, ids);
            await vp.setStack(ids, start);
            performance.mark(`nac:viewer-stack-set-${i}`);
            // Wait until the first image is drawn (render() only schedules a frame), so that the bulk loading released
            // below cannot delay that frame; the timeout only guards against a frame that never comes.
            await new Promise<void>((resolve) => {
              const timer = setTimeout(drawn, 1000);
              function drawn() {
                clearTimeout(timer);
                el.removeEventListener(core.Enums.Events.IMAGE_RENDERED, drawn);
                resolve();
              }
              el.addEventListener(core.Enums.Events.IMAGE_RENDERED, drawn);
              vp.render();
            });
            performance.mark(`nac:viewer-first-image-${i}`);
          } finally {
            firstImageDone();
          }

          // The pane's viewport object changes when its orientation does: look it up at event time.
          const onNewImage = () => {
            const cur = engine.getViewport(viewportId(i));
            if (!cur) return;
            setState((prev) => prev.map((p, j) => (j === i ? { ...p, index: cur.getSliceIndex(), viewCount: cur.getNumberOfSlices() } : p)));
          };
          for (const ev of [core.Enums.Events.STACK_NEW_IMAGE, core.Enums.Events.VOLUME_NEW_IMAGE]) {
            el.addEventListener(ev, onNewImage);
            cleanups.push(() => el.removeEventListener(ev, onNewImage));
          }
          setState((prev) => prev.map((p, j) => (j === i ? { ...p, index: start } : p)));
          // The whole stack is loaded before the labelmaps are made: a derived labelmap image needs its source image's
          // pixel metadata, which wadouri only knows once the file is loaded. The first image is already on screen.
          await bulkGate;
          if (cancelled) return;
          await Promise.all(ids.map((id) => core.imageLoader.loadAndCacheImage(id)));
          if (cancelled) return;
          if (s.wado) {
            // streamed from the PACS: nothing stored here to draw on (import the study to draw and save an ROI)
            setRoiReady((prev) => prev.map((r, j) => (j === i ? true : r)));
            return;
          }
          shells.current[i] = await addLabelmap(viewportId(i), ids, `shell-${s.id}`, { color: [227, 179, 65, 110], editable: false });
          labelmaps.current[i] = await addLabelmap(viewportId(i), ids, `roi-${s.id}`, { color: [248, 81, 73, 160], editable: true });
          await loadLatestRoi(i);
          setRoiReady((prev) => prev.map((r, j) => (j === i ? true : r)));
        }),
      );

      // MR panes in one frame of reference scroll together (position-based, so different slice counts still match).
      const mr = panes.map((s, i) => ({ s, i })).filter(({ s }) => s && s.modality === "MR");
      if (mr.length === 2 && mr[0].s!.frameOfReferenceUid && mr[0].s!.frameOfReferenceUid === mr[1].s!.frameOfReferenceUid) {
        let syncing = false;
        for (const [from, to] of [
          [mr[0], mr[1]],
          [mr[1], mr[0]],
        ]) {
          const el = elements.current[from.i]!;
          const onScroll = () => {
            if (syncing) return;
            const src = engine.getViewport(viewportId(from.i));
            const dst = engine.getViewport(viewportId(to.i));
            // axial stacks only: a reformatted pane has no slice of the other series to follow
            if (!(src instanceof core.StackViewport) || !(dst instanceof core.StackViewport)) return;
            const k = correspondingSlice(from.s!.geometry, src.getCurrentImageIdIndex(), to.s!.geometry);
            if (k === null || k === dst.getCurrentImageIdIndex()) return;
            syncing = true;
            void dst.setImageIdIndex(k).finally(() => (syncing = false));
          };
          el.addEventListener(core.Enums.Events.STACK_NEW_IMAGE, onScroll);
          cleanups.push(() => el.removeEventListener(core.Enums.Events.STACK_NEW_IMAGE, onScroll));
        }
      }
    })().catch((e: unknown) => {
      if (!cancelled) setError(e instanceof Error ? e.message : String(e));
    });

    return () => {
      cancelled = true;
      cleanups.forEach((c) => c());
      import("@cornerstonejs/tools").then((tools) => {
        tools.ToolGroupManager.destroyToolGroup(TOOL_GROUP_ID);
        tools.ToolGroupManager.destroyToolGroup(MPR_TOOL_GROUP_ID);
        tools.segmentation.removeAllSegmentations();
      });
      engineRef.current?.destroy();
      engineRef.current = null;
      // Leaving the patient frees every decoded image and any reformatting volume (memory stays bounded across patients).
      import("@cornerstonejs/core").then((core) => core.cache.purgeCache());
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [series.map((s) => s.id).join(",")]);

  useEffect(() => {
    showShellRef.current = showShell;
    marginRef.current = marginMm;
    panes.forEach((_, i) => void loadShell(i, rois[i]?.id ?? null, marginMm));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [showShell, marginMm]);

  async function selectTool(next: "wl" | EditTool) {
    const tools = await import("@cornerstonejs/tools");
    const group = tools.ToolGroupManager.getToolGroup(TOOL_GROUP_ID);
    if (!group) return;
    const B = tools.Enums.MouseBindings;
    for (const name of [tools.WindowLevelTool.toolName, ...Object.values(TOOL_NAMES)]) group.setToolPassive(name);
    // freehand: the outline is captured by an overlay on the axial panes (FreehandOverlay), W/L stays underneath
    const name = next === "wl" || next === "freehand" ? tools.WindowLevelTool.toolName : TOOL_NAMES[next];
    group.setToolActive(name, { bindings: [{ mouseButton: B.Primary }] });
    setTool(next);
  }

  /** Fill a freehand outline (pane canvas pixels) into the tumour labelmap on the pane's current axial slice. */
  async function fillOutline(i: number, outline: [number, number][]) {
    const h = labelmaps.current[i];
    const vp = engineRef.current?.getViewport(viewportId(i));
    if (!h || !vp || !("getCurrentImageIdIndex" in vp)) return;
    const core = await import("@cornerstonejs/core");
    const stack = vp as import("@cornerstonejs/core").Types.IStackViewport;
    const k = stack.getCurrentImageIdIndex();
    const img = core.cache.getImage(h.labelmapImageIds[k]);
    if (!img) return;
    const imageId = stack.getCurrentImageId();
    const pixels = outline.map((p) => core.utilities.worldToImageCoords(imageId, stack.canvasToWorld(p as import("@cornerstonejs/core").Types.Point2)) as unknown as PixelPoint);
    const inside = fillPolygon(pixels, img.columns, img.rows);
    const added = countSet(inside);
    if (added === 0) {
      setMessage({ kind: "error", text: "outline too small or not closed: nothing filled" });
      return;
    }
    const current = await readLabelmapSlice(h, k, sliceSize(i));
    for (let p = 0; p < current.length; p++) current[p] |= inside[p];
    await applySlicesUndoable(h, new Map([[k, current]]), sliceSize(i), () => engineRef.current?.render());
    vp.render();
    setMessage({ kind: "ok", text: `freehand outline filled on slice ${k + 1} (${added} pixels)` });
  }

  /** Shape-based interpolation of the tumour across the axial slices between drawn ones (one undo step). */
  async function interpolatePane(i: number) {
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
      if (changed.size) await applySlicesUndoable(h, changed, size, () => engineRef.current?.render());
      engineRef.current?.render();
      // slices between drawn ones where the shapes shrink to nothing stay empty: count only those that got pixels
      return { kind: "ok", text: `interpolated ${filled.filter((f) => f.voxels > 0).length} slices` };
    });
  }

  /** Show pane i axial (its stack) or reformatted (a volume viewport over the cached images). */
  async function setOrientation(i: number, next: Orientation) {
    const s = panes[i];
    const engine = engineRef.current;
    const element = elements.current[i];
    const from = state[i].orientation;
    if (!s || !engine || !element || !roiReady[i] || next === from || switching.current[i]) return;
    switching.current[i] = true;
    const cur = engine.getViewport(viewportId(i));
    if (from === "axial" && cur) axialIndexRef.current[i] = cur.getSliceIndex();
    try {
      const vp = await showOrientation(
        {
          engine,
          viewportId: viewportId(i),
          element,
          stackToolGroupId: TOOL_GROUP_ID,
          seriesId: s.id,
          imageIds: imageIdsRef.current[i],
          labelmaps: [shells.current[i], labelmaps.current[i]].filter((h): h is LabelmapHandle => h !== null),
        },
        next,
        axialIndexRef.current[i],
      );
      const h = labelmaps.current[i];
      if (next !== "axial" && h) {
        // open the reformatted view through the tumour, when there is one (the middle of the volume may miss it)
        const centre = maskCentroidWorld(await readLabelmap(h, sliceSize(i)), { ...s.geometry, dims: [s.dims[0], s.dims[1], h.labelmapImageIds.length] });
        if (centre && "jumpToWorld" in vp) vp.jumpToWorld(centre);
        vp.render();
      }
      setState((prev) => prev.map((p, j) => (j === i ? { ...p, orientation: next, index: vp.getSliceIndex(), viewCount: vp.getNumberOfSlices() } : p)));
      applyPreset(i, state[i].preset);
    } catch (e) {
      setMessage({ kind: "error", text: `could not show ${next}: ${(e as Error).message}` });
    } finally {
      switching.current[i] = false;
    }
  }

  async function historyStep(kind: "undo" | "redo") {
    const core = await import("@cornerstonejs/core");
    const memo = core.utilities.HistoryMemo.DefaultHistoryMemo;
    if (kind === "undo") memo.undo();
    else memo.redo();
    engineRef.current?.render();
  }

  async function saveRoi(i: number) {
    const s = panes[i];
    const h = labelmaps.current[i];
    if (!s || !h) return;
    await runRoiAction("Saving ROI…", "", async () => {
      const mask = await readLabelmap(h, sliceSize(i));
      const res = await fetch(`/api/series/${s.id}/rois`, { method: "POST", body: await gzip(mask), headers: { "content-type": "application/octet-stream" } });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error?.message ?? `save failed (${res.status})`);
      await loadLatestRoi(i);
      return { kind: "ok", text: `ROI version ${body.roi.version} saved (${body.stats.voxelCount} voxels, ${(body.stats.volumeMm3 / 1000).toFixed(2)} mL)` };
    });
  }

  async function uploadRoi(i: number, file: File) {
    const s = panes[i];
    if (!s) return;
    await runRoiAction(`Uploading ${file.name}…`, "", async () => {
      const form = new FormData();
      form.set("file", file);
      const res = await fetch(`/api/series/${s.id}/rois/upload`, { method: "POST", body: form });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error?.message ?? `upload failed (${res.status})`);
      await loadLatestRoi(i);
      return { kind: "ok", text: `${file.name} accepted as ROI version ${body.roi.version} (${body.stats.voxelCount} voxels)` };
    });
  }

  /** One ROI action with the busy indicator on; its result, or the error it throws, becomes the panel's message. */
  async function runRoiAction(busyLabel: string, errorPrefix: string, action: () => Promise<{ kind: "ok" | "error"; text: string }>) {
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

  /** The pane's viewport: a stack (axial) or a volume viewport (reformatted); both scroll and take VOI properties. */
  function paneViewport(i: number) {
    const vp = engineRef.current?.getViewport(viewportId(i));
    return vp as import("@cornerstonejs/core").Types.IStackViewport | import("@cornerstonejs/core").Types.IVolumeViewport | undefined;
  }

  function scrollBy(i: number, delta: number) {
    paneViewport(i)?.scroll(delta);
  }

  function applyPreset(i: number, presetId: string) {
      const vp = paneViewport(i);
      const s = panes[i];
      if (!vp || !s) return;
      const preset = presetsFor(s.modality).find((p) => p.id === presetId);
      const range = preset ? voiRange(preset) : null;
      if (range) vp.setProperties({ voiRange: range });
      else {
        // a volume viewport's resetProperties also recentres the camera: keep the slice the user is on
        const camera = vp.getCamera();
        vp.resetProperties();
        vp.setCamera(camera);
      }
      vp.render();
      setState((prev) => prev.map((p, j) => (j === i ? { ...p, preset: presetId } : p)));
  }

  const lockedReason = (i: number): string | null =>
    readOnlyReason ?? (state[i]?.orientation !== "axial" ? "editing is on axial slices only: switch this pane back to Axial (1)" : null);
  const editable = (i: number) => !lockedReason(i) && roiReady[i] && !busy;

  const onKeyDown = (e: React.KeyboardEvent) => {
    const vp = paneViewport(active);
    if (!vp || (e.target as HTMLElement).tagName === "INPUT" || (e.target as HTMLElement).tagName === "SELECT") return;
    const toolKeys: Record<string, "wl" | EditTool> = { w: "wl", b: "brush", e: "eraser", t: "threshold", s: "sphere", f: "freehand" };
    const orientationKey = ORIENTATIONS.find((o) => o.key === e.key);
    const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z" && !lockedReason(active)) void historyStep("undo");
    else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "y" && !lockedReason(active)) void historyStep("redo");
    else if (plain && orientationKey) void setOrientation(active, orientationKey.id);
    else if (plain && toolKeys[e.key.toLowerCase()] && (toolKeys[e.key.toLowerCase()] === "wl" || editable(active))) void selectTool(toolKeys[e.key.toLowerCase()]);
    else if (e.key === "ArrowUp") scrollBy(active, -1);
    else if (e.key === "ArrowDown") scrollBy(active, 1);
    else if (e.key === "PageUp") scrollBy(active, -10);
    else if (e.key === "PageDown") scrollBy(active, 10);
    else if (e.key === " ") {
      vp.resetCamera();
      vp.resetProperties();
      vp.render();
    } else if (e.key.toLowerCase() === "i") {
      vp.setProperties({ invert: !vp.getProperties()?.invert });
      vp.render();
    } else return;
    e.preventDefault();
  };

  return (
    <div className="flex flex-col gap-2" tabIndex={0} onKeyDown={onKeyDown} data-testid="viewer" aria-label="Image viewer">
      {error && (
        <p role="alert" className="text-sm text-danger-400">
          Viewer error: {error}
        </p>
      )}
      <RoiPanel
        paneLabel={panes[active] ? `${ROLE_LABEL[panes[active]!.role] ?? panes[active]!.role}` : null}
        ready={roiReady[active]}
        lockedReason={lockedReason(active)}
        onInterpolate={() => void interpolatePane(active)}
        roi={rois[active]}
        tool={tool}
        busy={busy}
        message={message}
        marginMm={marginMm}
        showShell={showShell}
        onTool={(t) => void selectTool(t)}
        onUndo={() => void historyStep("undo")}
        onRedo={() => void historyStep("redo")}
        onSave={() => void saveRoi(active)}
        onUpload={(f) => void uploadRoi(active, f)}
        onMargin={setMarginMm}
        onShowShell={setShowShell}
        pacsName={readOnlyReason ? null : pacsName}
      />
      <div className="grid grid-cols-3 gap-2">
        {panes.map((s, i) => (
          <div key={i} className={`flex flex-col rounded border ${active === i ? "border-accent-400" : "border-room-700"} bg-black`} onMouseDown={() => setActive(i)}>
            <div className="flex items-center justify-between bg-room-900 px-2 py-1 text-xs text-ink-300">
              <span data-testid={`pane-title-${i}`}>
                {s ? `${ROLE_LABEL[s.role] ?? s.role} · ${s.description ?? s.modality}` : ["CE-T1", "T2", "CT"][i] + " · no series"}
                {s?.roleSource === "manual" && (
                  <span className="ml-1 rounded bg-room-700 px-1 text-ink-300" title="series role set by hand, not by the classifier">
                    manual role
                  </span>
                )}
              </span>
              {s && (
                <span className="flex" role="group" aria-label={`Orientation ${["CE-T1", "T2", "CT"][i]}`}>
                  {ORIENTATIONS.map((o) => (
                    <button
                      key={o.id}
                      type="button"
                      data-testid={`orientation-${i}-${o.id}`}
                      aria-pressed={state[i].orientation === o.id}
                      disabled={!roiReady[i]}
                      title={roiReady[i] ? `${o.label} (${o.key})` : `${o.label}: available once the series has loaded`}
                      onClick={() => {
                        setActive(i);
                        void setOrientation(i, o.id);
                      }}
                      className={`border border-room-600 px-1 first:rounded-l last:rounded-r disabled:opacity-40 ${state[i].orientation === o.id ? "bg-room-700 text-accent-400" : ""}`}
                    >
                      {o.label[0]}
                    </button>
                  ))}
                </span>
              )}
              {s && (
                <select
                  aria-label={`Window preset ${["CE-T1", "T2", "CT"][i]}`}
                  data-testid={`preset-${i}`}
                  value={state[i].preset}
                  onChange={(e) => applyPreset(i, e.target.value)}
                  className="rounded bg-room-800 px-1"
                >
                  {presetsFor(s.modality).map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.label}
                    </option>
                  ))}
                </select>
              )}
            </div>
            <div className="relative h-[360px] w-full">
              <div
                ref={(el) => {
                  elements.current[i] = el;
                }}
                data-testid={`viewport-${i}`}
                className="relative h-full w-full"
                onContextMenu={(e) => e.preventDefault()}
              />
              {s && tool === "freehand" && editable(i) && (
                <FreehandOverlay testId={`freehand-${i}`} onOutline={(pts) => void fillOutline(i, pts)} onWheel={(d) => scrollBy(i, d)} />
              )}
            </div>
            {s && (
              <div className="flex justify-between px-2 py-1 text-xs text-ink-500">
                <span data-testid={`slice-${i}`}>
                  {state[i].orientation === "axial" ? "slice" : state[i].orientation} {state[i].index + 1} / {state[i].viewCount}
                </span>
                {state[i].loaded < state[i].count && (
                  <span data-testid={`loading-${i}`} className="flex items-center gap-1">
                    loading
                    <progress max={state[i].count} value={state[i].loaded} className="h-1 w-16" />
                  </span>
                )}
              </div>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
