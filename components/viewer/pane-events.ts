"use client";

/**
 * The panes' stack events: loading progress, the overlay kept in step with what is drawn, the first frame drawn, and
 * MR panes sharing a frame of reference scrolling together. Each returns the cleanup that removes its listeners.
 */
import type { RenderingEngine, Types } from "@cornerstonejs/core";
import type { Orientation } from "./mpr";
import { viewportIdOf, type ViewerSeries } from "./series-stack";
import { correspondingSlice } from "./slice-sync";
import { overlayOf, type OverlayInfo } from "./viewport-overlay";

export interface PaneState {
  /** slice shown and slices in the current orientation */
  index: number;
  viewCount: number;
  /** images of the series, and how many are decoded */
  count: number;
  loaded: number;
  preset: string;
  orientation: Orientation;
  /** W/L, slice position and orientation markers shown over the pane */
  overlay: OverlayInfo;
}

export type Core = typeof import("@cornerstonejs/core");
export type SetPanes = React.Dispatch<React.SetStateAction<PaneState[]>>;
export const updatePane = (setState: SetPanes, i: number, patch: (p: PaneState) => Partial<PaneState>) =>
  setState((prev) => prev.map((p, j) => (j === i ? { ...p, ...patch(p) } : p)));

/**
 * Loading progress per pane from the image cache's load events. Counted per event, shown at most every 150 ms: one
 * React update per decoded image would keep the main thread busy re-rendering the viewer while the slices stream in.
 */
export function trackLoading(
  core: Core,
  paneOfImage: Map<string, number>,
  paneCount: number,
  setState: SetPanes,
): () => void {
  const zeros = () => Array.from({ length: paneCount }, () => 0);
  const loadedSinceFlush = zeros();
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const flushLoaded = () => {
    flushTimer = null;
    const add = loadedSinceFlush.splice(0, loadedSinceFlush.length, ...zeros());
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
  return () => {
    core.eventTarget.removeEventListener(core.Enums.Events.IMAGE_LOADED, onLoaded);
    if (flushTimer) clearTimeout(flushTimer);
  };
}

/**
 * Keep the pane's overlay (W/L, position, orientation markers) in step with what is drawn: recomputed after a render
 * (at most once a frame), stored only when its text changed.
 */
export function trackOverlay(
  core: Core,
  engine: RenderingEngine,
  i: number,
  el: HTMLDivElement,
  setState: SetPanes,
): () => void {
  let frame: number | null = null;
  let last = "";
  const update = () => {
    frame = null;
    const vp = engine.getViewport(viewportIdOf(i)) as Types.IStackViewport | Types.IVolumeViewport | undefined;
    if (!vp) return;
    const overlay = overlayOf(vp.getCamera(), vp.getProperties()?.voiRange);
    const key = JSON.stringify(overlay);
    if (key === last) return;
    last = key;
    updatePane(setState, i, () => ({ overlay }));
  };
  const onRendered = () => {
    frame ??= requestAnimationFrame(update);
  };
  el.addEventListener(core.Enums.Events.IMAGE_RENDERED, onRendered);
  return () => {
    el.removeEventListener(core.Enums.Events.IMAGE_RENDERED, onRendered);
    if (frame !== null) cancelAnimationFrame(frame);
  };
}

/**
 * Wait until the first image is drawn (render() only schedules a frame), so that the bulk loading released afterwards
 * cannot delay that frame; the timeout only guards against a frame that never comes.
 */
export function firstFrameDrawn(core: Core, el: HTMLDivElement, vp: Types.IStackViewport): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(drawn, 1000);
    function drawn() {
      clearTimeout(timer);
      el.removeEventListener(core.Enums.Events.IMAGE_RENDERED, drawn);
      resolve();
    }
    el.addEventListener(core.Enums.Events.IMAGE_RENDERED, drawn);
    vp.render();
  });
}

/** MR panes in one frame of reference scroll together (position-based, so different slice counts still match). */
export function syncMrScroll(
  core: Core,
  engine: RenderingEngine,
  panes: (ViewerSeries | null)[],
  elements: (HTMLDivElement | null)[],
): (() => void)[] {
  const mr = panes.map((s, i) => ({ s, i })).filter(({ s }) => s && s.modality === "MR");
  if (!(
    mr.length === 2 &&
    mr[0].s!.frameOfReferenceUid &&
    mr[0].s!.frameOfReferenceUid === mr[1].s!.frameOfReferenceUid
  ))
    return [];
  let syncing = false;
  return [
    [mr[0], mr[1]],
    [mr[1], mr[0]],
  ].map(([from, to]) => {
    const el = elements[from.i]!;
    const onScroll = () => {
      if (syncing) return;
      const src = engine.getViewport(viewportIdOf(from.i));
      const dst = engine.getViewport(viewportIdOf(to.i));
      // axial stacks only: a reformatted pane has no slice of the other series to follow
      if (!(src instanceof core.StackViewport) || !(dst instanceof core.StackViewport)) return;
      const k = correspondingSlice(from.s!.geometry, src.getCurrentImageIdIndex(), to.s!.geometry);
      if (k === null || k === dst.getCurrentImageIdIndex()) return;
      syncing = true;
      void dst.setImageIdIndex(k).finally(() => (syncing = false));
    };
    el.addEventListener(core.Enums.Events.STACK_NEW_IMAGE, onScroll);
    return () => el.removeEventListener(core.Enums.Events.STACK_NEW_IMAGE, onScroll);
  });
}
