"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { initCornerstone } from "./cornerstone-init";
import { hangingProtocol, presetsFor, ROLE_LABEL, voiRange } from "./presets";
import { addLabelmap, gunzip, gzip, readLabelmap, TOOL_NAMES, writeLabelmap, type EditTool, type LabelmapHandle } from "./roi-layer";
import { RoiPanel, type RoiInfo } from "./RoiPanel";
import { correspondingSlice, type StackGeometry } from "./slice-sync";

export interface ViewerSeries {
  id: string;
  role: string;
  modality: string;
  description: string | null;
  frameOfReferenceUid: string | null;
  dims: number[];
  geometry: StackGeometry;
  images: { instanceId: string; frame: number }[];
}

interface PaneState {
  index: number;
  count: number;
  loaded: number;
  preset: string;
}

const RENDERING_ENGINE_ID = "nac-engine";
const TOOL_GROUP_ID = "nac-tools";

function imageIdsFor(s: ViewerSeries): string[] {
  const origin = window.location.origin;
  return s.images.map((im) => `wadouri:${origin}/api/instances/${im.instanceId}/file${s.images.length && im.frame > 1 ? `?frame=${im.frame}` : ""}`);
}

/**
 * CE-T1 | T2 | CT side by side (stack viewports: one image in memory per decoded slice, bounded by the cache, which is
 * purged when the patient is left). Left drag W/L, middle pan, right zoom, wheel scroll; MR panes sharing a frame of
 * reference scroll together. Keyboard (OHIF-like): ↑/↓ slice, PgUp/PgDn 10 slices, Space reset, I invert.
 */
export default function ThreeSeriesViewer({ series }: { series: ViewerSeries[] }) {
  const panes = hangingProtocol(series);
  const elements = useRef<(HTMLDivElement | null)[]>([]);
  const [state, setState] = useState<PaneState[]>(panes.map((s) => ({ index: 0, count: s?.images.length ?? 0, loaded: 0, preset: "auto" })));
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

  const viewportId = (i: number) => `pane-${i}`;

  useEffect(() => {
    let cancelled = false;
    const cleanups: (() => void)[] = [];
    (async () => {
      await initCornerstone();
      if (cancelled) return;
      const core = await import("@cornerstonejs/core");
      const tools = await import("@cornerstonejs/tools");
      const engine = new core.RenderingEngine(RENDERING_ENGINE_ID);
      engineRef.current = engine;
      const viewportInputs = panes
        .map((s, i) => (s && elements.current[i] ? { viewportId: viewportId(i), type: core.Enums.ViewportType.STACK, element: elements.current[i]! } : null))
        .filter((v): v is NonNullable<typeof v> => v !== null);
      engine.setViewports(viewportInputs);

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
      const onLoaded = (evt: Event) => {
        const id = (evt as CustomEvent<{ image?: { imageId: string } }>).detail?.image?.imageId;
        const pane = id ? paneOfImage.get(id) : undefined;
        if (pane === undefined) return;
        setState((prev) => prev.map((p, i) => (i === pane ? { ...p, loaded: Math.min(p.count, p.loaded + 1) } : p)));
      };
      core.eventTarget.addEventListener(core.Enums.Events.IMAGE_LOADED, onLoaded);
      cleanups.push(() => core.eventTarget.removeEventListener(core.Enums.Events.IMAGE_LOADED, onLoaded));

      await Promise.all(
        panes.map(async (s, i) => {
          if (!s) return;
          const ids = imageIdsFor(s);
          imageIdsRef.current[i] = ids;
          ids.forEach((id) => paneOfImage.set(id, i));
          const vp = engine.getViewport(viewportId(i)) as import("@cornerstonejs/core").Types.IStackViewport;
          const start = Math.floor(ids.length / 2);
          await vp.setStack(ids, start);
          vp.render();
          const el = elements.current[i]!;

          const onNewImage = () => setState((prev) => prev.map((p, j) => (j === i ? { ...p, index: vp.getCurrentImageIdIndex() } : p)));
          el.addEventListener(core.Enums.Events.STACK_NEW_IMAGE, onNewImage);
          cleanups.push(() => el.removeEventListener(core.Enums.Events.STACK_NEW_IMAGE, onNewImage));
          setState((prev) => prev.map((p, j) => (j === i ? { ...p, index: start } : p)));
          // The whole stack is loaded before the labelmaps are made: a derived labelmap image needs its source image's
          // pixel metadata, which wadouri only knows once the file is loaded. The first image is already on screen.
          await Promise.all(ids.map((id) => core.imageLoader.loadAndCacheImage(id)));
          if (cancelled) return;
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
            const src = engine.getViewport(viewportId(from.i)) as import("@cornerstonejs/core").Types.IStackViewport;
            const dst = engine.getViewport(viewportId(to.i)) as import("@cornerstonejs/core").Types.IStackViewport;
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
        tools.segmentation.removeAllSegmentations();
      });
      engineRef.current?.destroy();
      engineRef.current = null;
      // Leaving the patient frees every decoded image (memory stays bounded across patients).
      import("@cornerstonejs/core").then((core) => core.cache.purgeCache());
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [series.map((s) => s.id).join(",")]);

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

  const showShellRef = useRef(showShell);
  const marginRef = useRef(marginMm);
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
    const name = next === "wl" ? tools.WindowLevelTool.toolName : TOOL_NAMES[next];
    group.setToolActive(name, { bindings: [{ mouseButton: B.Primary }] });
    setTool(next);
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
    setBusy("Saving ROI…");
    setMessage(null);
    try {
      const mask = await readLabelmap(h, sliceSize(i));
      const res = await fetch(`/api/series/${s.id}/rois`, { method: "POST", body: await gzip(mask), headers: { "content-type": "application/octet-stream" } });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error?.message ?? `save failed (${res.status})`);
      setMessage({ kind: "ok", text: `ROI version ${body.roi.version} saved (${body.stats.voxelCount} voxels, ${(body.stats.volumeMm3 / 1000).toFixed(2)} mL)` });
      await loadLatestRoi(i);
    } catch (e) {
      setMessage({ kind: "error", text: (e as Error).message });
    } finally {
      setBusy(null);
    }
  }

  async function uploadRoi(i: number, file: File) {
    const s = panes[i];
    if (!s) return;
    setBusy(`Uploading ${file.name}…`);
    setMessage(null);
    try {
      const form = new FormData();
      form.set("file", file);
      const res = await fetch(`/api/series/${s.id}/rois/upload`, { method: "POST", body: form });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error?.message ?? `upload failed (${res.status})`);
      setMessage({ kind: "ok", text: `${file.name} accepted as ROI version ${body.roi.version} (${body.stats.voxelCount} voxels)` });
      await loadLatestRoi(i);
    } catch (e) {
      setMessage({ kind: "error", text: (e as Error).message });
    } finally {
      setBusy(null);
    }
  }

  const stackViewport = useCallback((i: number) => {
    const vp = engineRef.current?.getViewport(viewportId(i));
    return vp as import("@cornerstonejs/core").Types.IStackViewport | undefined;
  }, []);

  const scrollBy = useCallback(
    (i: number, delta: number) => {
      stackViewport(i)?.scroll(delta);
    },
    [stackViewport],
  );

  const applyPreset = useCallback(
    (i: number, presetId: string) => {
      const vp = stackViewport(i);
      const s = panes[i];
      if (!vp || !s) return;
      const preset = presetsFor(s.modality).find((p) => p.id === presetId);
      const range = preset ? voiRange(preset) : null;
      if (range) vp.setProperties({ voiRange: range });
      else vp.resetProperties();
      vp.render();
      setState((prev) => prev.map((p, j) => (j === i ? { ...p, preset: presetId } : p)));
    },
    [stackViewport, panes],
  );

  const onKeyDown = (e: React.KeyboardEvent) => {
    const vp = stackViewport(active);
    if (!vp || (e.target as HTMLElement).tagName === "INPUT") return;
    const toolKeys: Record<string, "wl" | EditTool> = { w: "wl", b: "brush", e: "eraser", t: "threshold", s: "sphere" };
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") void historyStep("undo");
    else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "y") void historyStep("redo");
    else if (!e.ctrlKey && !e.metaKey && toolKeys[e.key.toLowerCase()]) void selectTool(toolKeys[e.key.toLowerCase()]);
    else if (e.key === "ArrowUp") scrollBy(active, -1);
    else if (e.key === "ArrowDown") scrollBy(active, 1);
    else if (e.key === "PageUp") scrollBy(active, -10);
    else if (e.key === "PageDown") scrollBy(active, 10);
    else if (e.key === " ") {
      vp.resetCamera();
      vp.resetProperties();
      vp.render();
    } else if (e.key.toLowerCase() === "i") {
      vp.setProperties({ invert: !vp.getProperties().invert });
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
      />
      <div className="grid grid-cols-3 gap-2">
        {panes.map((s, i) => (
          <div key={i} className={`flex flex-col rounded border ${active === i ? "border-accent-400" : "border-room-700"} bg-black`} onMouseDown={() => setActive(i)}>
            <div className="flex items-center justify-between bg-room-900 px-2 py-1 text-xs text-ink-300">
              <span data-testid={`pane-title-${i}`}>
                {s ? `${ROLE_LABEL[s.role] ?? s.role} · ${s.description ?? s.modality}` : ["CE-T1", "T2", "CT"][i] + " · no series"}
              </span>
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
            <div
              ref={(el) => {
                elements.current[i] = el;
              }}
              data-testid={`viewport-${i}`}
              className="relative h-[360px] w-full"
              onContextMenu={(e) => e.preventDefault()}
            />
            {s && (
              <div className="flex justify-between px-2 py-1 text-xs text-ink-500">
                <span data-testid={`slice-${i}`}>
                  slice {state[i].index + 1} / {state[i].count}
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
