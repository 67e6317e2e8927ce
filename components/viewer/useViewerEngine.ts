"use client";

/**
 * The rendering engine and the panes' stacks: one Cornerstone3D engine with a stack viewport per pane, the stack tool
 * group, the stacks loaded (first image of every pane first, then the rest), loading progress, MR panes sharing a frame
 * of reference scrolling together (those stack events are in pane-events.ts), and per pane its orientation (mpr.ts)
 * and window preset.
 * `onStackLoaded(i, imageIds)` runs once pane i's whole stack is cached (the ROI layers are made then); the pane is
 * "ready" after it.
 */
import { useEffect, useRef, useState, type RefObject } from "react";
import type { RenderingEngine, Types } from "@cornerstonejs/core";
import { watchClicks } from "./click-gate";
import { initCornerstone } from "./cornerstone-init";
import { firstImageIndex } from "./image-urls";
import { maskCentroidWorld, showOrientation, type Orientation } from "./mpr";
import { percentileRange, presetsFor, voiRange } from "./presets";
import { readLabelmap, type LabelmapHandle } from "./roi-layer";
import {
  firstFrameDrawn,
  syncMrScroll,
  trackLoading,
  trackOverlay,
  updatePane,
  type Core,
  type PaneState,
} from "./pane-events";
import {
  imageIdsFor,
  registerWadoMetadata,
  RENDERING_ENGINE_ID,
  sliceSizeOf,
  viewportIdOf,
  type ViewerSeries,
} from "./series-stack";
import { createToolGroup, destroyToolGroups, TOOL_GROUPS } from "./tool-groups";
import type { PaneLayers } from "./useRoiLayers";
import { NO_OVERLAY } from "./viewport-overlay";

export function useViewerEngine(opts: {
  panes: (ViewerSeries | null)[];
  engineRef: RefObject<RenderingEngine | null>;
  elements: RefObject<(HTMLDivElement | null)[]>;
  onStackLoaded: (i: number, imageIds: string[]) => Promise<void>;
  layersOf: (i: number) => PaneLayers;
  onError: (text: string) => void;
}) {
  const { panes, engineRef, elements } = opts;
  const [state, setState] = useState<PaneState[]>(
    panes.map((s) => ({
      index: 0,
      viewCount: s?.images.length ?? 0,
      count: s?.images.length ?? 0,
      loaded: 0,
      preset: "auto",
      orientation: "axial",
      overlay: NO_OVERLAY,
    })),
  );
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState<boolean[]>(panes.map(() => false));
  const imageIdsRef = useRef<string[][]>(panes.map(() => []));
  /** the Cornerstone core module, once loaded (synchronous handlers read its cache) */
  const coreRef = useRef<Core | null>(null);
  /** the axial slice to come back to after a reformatted view */
  const axialIndexRef = useRef<number[]>(panes.map(() => 0));
  /** a pane being switched between stack and volume viewport (a second switch meanwhile is ignored) */
  const switching = useRef<boolean[]>(panes.map(() => false));

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
      coreRef.current = core;
      const engine = new core.RenderingEngine(RENDERING_ENGINE_ID);
      engineRef.current = engine;
      const viewportInputs = panes
        .map((s, i) =>
          s && elements.current[i]
            ? { viewportId: viewportIdOf(i), type: core.Enums.ViewportType.STACK, element: elements.current[i]! }
            : null,
        )
        .filter((v): v is NonNullable<typeof v> => v !== null);
      engine.setViewports(viewportInputs);
      performance.mark("nac:viewer-viewports");
      const group = await createToolGroup(TOOL_GROUPS.stack);
      const toolEvents = (await import("@cornerstonejs/tools")).Enums.Events;
      for (const v of viewportInputs) {
        group.addViewport(v.viewportId, RENDERING_ENGINE_ID);
        cleanups.push(watchClicks(v.element, toolEvents));
      }

      const paneOfImage = new Map<string, number>();
      cleanups.push(trackLoading(core, paneOfImage, panes.length, setState));

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
          const vp = engine.getViewport(viewportIdOf(i)) as Types.IStackViewport;
          const start = firstImageIndex(ids.length);
          const el = elements.current[i]!;
          try {
            await registerWadoMetadata(s, ids);
            await vp.setStack(ids, start);
            performance.mark(`nac:viewer-stack-set-${i}`);
            await firstFrameDrawn(core, el, vp);
            performance.mark(`nac:viewer-first-image-${i}`);
          } finally {
            firstImageDone();
          }

          // The pane's viewport object changes when its orientation does: look it up at event time.
          const onNewImage = () => {
            const cur = engine.getViewport(viewportIdOf(i));
            if (cur)
              updatePane(setState, i, () => ({ index: cur.getSliceIndex(), viewCount: cur.getNumberOfSlices() }));
          };
          for (const ev of [core.Enums.Events.STACK_NEW_IMAGE, core.Enums.Events.VOLUME_NEW_IMAGE]) {
            el.addEventListener(ev, onNewImage);
            cleanups.push(() => el.removeEventListener(ev, onNewImage));
          }
          cleanups.push(trackOverlay(core, engine, i, el, setState));
          updatePane(setState, i, () => ({ index: start }));
          // The whole stack is loaded before the labelmaps are made: a derived labelmap image needs its source image's
          // pixel metadata, which wadouri only knows once the file is loaded. The first image is already on screen.
          await bulkGate;
          if (cancelled) return;
          await Promise.all(ids.map((id) => core.imageLoader.loadAndCacheImage(id)));
          if (cancelled) return;
          // streamed from the PACS: nothing stored here to draw on (import the study to draw and save an ROI)
          if (!s.wado) await opts.onStackLoaded(i, ids);
          setReady((prev) => prev.map((r, j) => (j === i ? true : r)));
        }),
      );
      cleanups.push(...syncMrScroll(core, engine, panes, elements.current));
    })().catch((e: unknown) => {
      if (!cancelled) setError(e instanceof Error ? e.message : String(e));
    });

    return () => {
      cancelled = true;
      cleanups.forEach((c) => c());
      void destroyToolGroups();
      import("@cornerstonejs/tools").then((tools) => tools.segmentation.removeAllSegmentations());
      engineRef.current?.destroy();
      engineRef.current = null;
      // Leaving the patient frees every decoded image and any reformatting volume (memory stays bounded across patients).
      import("@cornerstonejs/core").then((core) => core.cache.purgeCache());
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [panes.map((s) => s?.id).join(",")]);

  /** The pane's viewport: a stack (axial) or a volume viewport (reformatted); both scroll and take VOI properties. */
  function paneViewport(i: number) {
    return engineRef.current?.getViewport(viewportIdOf(i)) as Types.IStackViewport | Types.IVolumeViewport | undefined;
  }

  function applyPreset(i: number, presetId: string) {
    const vp = paneViewport(i);
    const s = panes[i];
    if (!vp || !s) return;
    const preset = presetsFor(s.modality).find((p) => p.id === presetId);
    const range = preset?.percentiles
      ? seriesPercentiles(coreRef.current, imageIdsRef.current[i], preset.percentiles)
      : preset
        ? voiRange(preset)
        : null;
    if (range) vp.setProperties({ voiRange: range });
    else {
      // a volume viewport's resetProperties also recentres the camera: keep the slice the user is on
      const camera = vp.getCamera();
      vp.resetProperties();
      vp.setCamera(camera);
    }
    vp.render();
    updatePane(setState, i, () => ({ preset: presetId }));
  }

  /** Show pane i axial (its stack) or reformatted (a volume viewport over the cached images). */
  async function setOrientation(i: number, next: Orientation) {
    const s = panes[i];
    const engine = engineRef.current;
    const element = elements.current[i];
    const from = state[i].orientation;
    if (!s || !engine || !element || !ready[i] || next === from || switching.current[i]) return;
    switching.current[i] = true;
    const cur = engine.getViewport(viewportIdOf(i));
    if (from === "axial" && cur) axialIndexRef.current[i] = cur.getSliceIndex();
    const { shell, tumour } = opts.layersOf(i);
    try {
      const labelmaps = [shell, tumour].filter((h): h is LabelmapHandle => h !== null);
      const view = {
        engine,
        viewportId: viewportIdOf(i),
        element,
        stackToolGroupId: TOOL_GROUPS.stack.id,
        seriesId: s.id,
        imageIds: imageIdsRef.current[i],
        labelmaps,
      };
      const vp = await showOrientation(view, next, axialIndexRef.current[i]);
      if (next !== "axial" && tumour) {
        // open the reformatted view through the tumour, when there is one (the middle of the volume may miss it)
        const dims = [s.dims[0], s.dims[1], tumour.labelmapImageIds.length];
        const centre = maskCentroidWorld(await readLabelmap(tumour, sliceSizeOf(s)), { ...s.geometry, dims });
        if (centre && "jumpToWorld" in vp) vp.jumpToWorld(centre);
        vp.render();
      }
      updatePane(setState, i, () => ({
        orientation: next,
        index: vp.getSliceIndex(),
        viewCount: vp.getNumberOfSlices(),
      }));
      applyPreset(i, state[i].preset);
    } catch (e) {
      opts.onError(`could not show ${next}: ${(e as Error).message}`);
    } finally {
      switching.current[i] = false;
    }
  }

  return {
    state,
    error,
    ready,
    imageIdsOf: (i: number) => imageIdsRef.current[i],
    paneViewport,
    applyPreset,
    setOrientation,
    scrollBy: (i: number, delta: number) => paneViewport(i)?.scroll(delta),
    /** after a pane's size changed (maximised or restored) */
    resize: () => engineRef.current?.resize(true, true),
  };
}

/** Percentile window over the series' cached slices (every slice is cached once the pane is ready). */
function seriesPercentiles(core: Core | null, imageIds: string[], [lo, hi]: [number, number]) {
  const cache = core?.cache;
  if (!cache) return null;
  const slices = imageIds
    .map((id) => cache.getImage(id)?.voxelManager?.getScalarData() as ArrayLike<number> | undefined)
    .filter((d): d is ArrayLike<number> => !!d);
  return percentileRange(slices, lo, hi);
}
