"use client";

import { useEffect, useRef, useState } from "react";
import type { RenderingEngine } from "@cornerstonejs/core";
import type { LesionPolarity } from "@/lib/imaging/assisted-segmentation";
import { actionForKey, type ViewerAction, type ViewerTool } from "./key-map";
import { CarryRoi } from "./CarryRoi";
import { polarityOf, togglePolarity } from "./lesion-polarity";
import { MeasurementList } from "./MeasurementList";
import { PolarityToggle } from "./PolarityToggle";
import { RoiChoice } from "./RoiChoice";
import { hangingProtocol } from "./presets";
import { roleLabel } from "@/lib/imaging/series/roles";
import { RoiPanel } from "./RoiPanel";
import { viewportIdOf, type ViewerSeries } from "./series-stack";
import { selectTool, setBrushRadius, clearBrushCursor } from "./tool-selection";
import { BRUSH_RADIUS_MM } from "./tool-groups";
import { useAssistedSegmentation } from "./useAssistedSegmentation";
import { useMeasurements } from "./useMeasurements";
import { useRoiLayers } from "./useRoiLayers";
import { useViewerEngine } from "./useViewerEngine";
import { ViewerPane } from "./ViewerPane";

export type { ViewerSeries } from "./series-stack";

/**
 * CE-T1 | T2 | CT side by side (stack viewports: one image in memory per decoded slice, bounded by the cache, which is
 * purged when the patient is left). Mouse bindings are in tool-groups.ts, keys in key-map.ts (they work anywhere on
 * the page but in form fields); MR panes sharing a frame of reference scroll together; reformatted panes are volume
 * viewports (mpr.ts), editing is axial-only. `shown` puts a chosen series in a pane (see EmptyPane).
 * `readOnlyReason`: set when the user's role may not save ROIs; the edit tools are then disabled with that reason.
 */
export default function ThreeSeriesViewer(props: {
  series: ViewerSeries[];
  readOnlyReason?: string | null;
  pacsName?: string | null;
  shown?: Record<number, string>;
  onShowSeries?: (pane: number, seriesId: string) => void;
}) {
  const { series, readOnlyReason = null, pacsName = null, shown = {} } = props;
  const panes = hangingProtocol(series).map((s, i) => (shown[i] ? (series.find((x) => x.id === shown[i]) ?? s) : s));
  const hungIds = new Set(panes.filter(Boolean).map((s) => s!.id));
  const elements = useRef<(HTMLDivElement | null)[]>([]);
  const engineRef = useRef<RenderingEngine | null>(null);
  const [active, setActive] = useState(0);
  const [tool, setTool] = useState<ViewerTool>("wl");
  const [brushMm, setBrushMm] = useState<number>(BRUSH_RADIUS_MM.initial);
  const [maximised, setMaximised] = useState<number | null>(null);
  /** the one-click tool's lesion polarity chosen per series (lesion-polarity.ts) */
  const [polarity, setPolarity] = useState<Record<string, LesionPolarity>>({});
  const roi = useRoiLayers(panes, engineRef);
  const view = useViewerEngine({
    panes,
    engineRef,
    elements,
    onStackLoaded: roi.attach,
    layersOf: roi.layersOf,
    onError: (text) => roi.setMessage({ kind: "error", text }),
  });
  const measures = useMeasurements(panes, view.imageIdsOf, roi.setMessage);
  const grow = useAssistedSegmentation({
    panes,
    engineRef,
    imageIdsOf: view.imageIdsOf,
    tumourOf: (i) => roi.layersOf(i).tumour,
    polarityOf: (i) => polarityOf(polarity, panes[i]),
    report: roi.setMessage,
    onAssisted: roi.markAssisted,
  });

  const lockedReason = (i: number): string | null =>
    readOnlyReason ??
    (view.state[i]?.orientation !== "axial"
      ? "editing is on axial slices only: switch this pane back to Axial (1)"
      : null);
  const editable = (i: number) => !lockedReason(i) && view.ready[i] && !roi.busy;

  async function chooseTool(next: ViewerTool) {
    if (await selectTool(next)) setTool(next);
  }

  function changeBrush(mm: number) {
    const r = Math.max(BRUSH_RADIUS_MM.min, Math.min(BRUSH_RADIUS_MM.max, mm));
    setBrushMm(r);
    void setBrushRadius(r);
  }

  /** Run a key-map action on the active pane; false when it does not apply there (the key is then not consumed). */
  function run(action: ViewerAction): boolean {
    const vp = view.paneViewport(active);
    if (!vp) return false;
    switch (action.kind) {
      case "undo":
      case "redo":
        if (lockedReason(active)) return false;
        void roi.historyStep(action.kind);
        return true;
      case "orientation":
        void view.setOrientation(active, action.orientation);
        return true;
      case "tool":
        if (action.tool !== "wl" && !editable(active)) return false;
        void chooseTool(action.tool);
        return true;
      case "brushSize":
        changeBrush(brushMm + action.step * BRUSH_RADIUS_MM.step);
        return true;
      case "polarity":
        if (!panes[active]) return false;
        setPolarity((p) => togglePolarity(p, panes[active]!));
        return true;
      case "toggleRoi":
        void roi.toggleVisible();
        return true;
      case "scroll":
        view.scrollBy(active, action.delta);
        return true;
      case "reset":
        vp.resetCamera();
        vp.resetProperties();
        vp.render();
        return true;
      case "invert":
        vp.setProperties({ invert: !vp.getProperties()?.invert });
        vp.render();
        return true;
    }
  }

  // Shortcuts work wherever the focus is on the page, except while typing in a field, or for the keys a focused
  // control acts on itself (Space/Enter on a button or checkbox, arrows on a slider).
  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // not `e.defaultPrevented`: Cornerstone3D's key listener on a focused viewport element prevents every key
      if (keyBelongsToControl(e)) return;
      const action = actionForKey(e);
      if (action && runRef.current(action)) e.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  function toggleMaximise(i: number) {
    setMaximised((m) => (m === i ? null : i));
    // the pane's element has its new size after React has rendered: resize the canvases then
    requestAnimationFrame(() => view.resize());
  }

  const tumourOf = (i: number) => roi.layersOf(i).tumour;
  return (
    <div className="flex flex-col gap-2" data-testid="viewer" aria-label="Image viewer">
      {view.error && (
        <p role="alert" className="text-sm text-danger-400">
          Viewer error: {view.error}
        </p>
      )}
      <RoiPanel
        paneLabel={panes[active] ? roleLabel(panes[active]!.role) : null}
        ready={view.ready[active]}
        lockedReason={lockedReason(active)}
        onInterpolate={() => void roi.interpolate(active)}
        roi={roi.rois[active]}
        size={roi.sizes[active]}
        versions={roi.versions[active]}
        tool={tool}
        brushMm={brushMm}
        onBrushMm={changeBrush}
        roiVisible={roi.visible}
        onToggleRoi={() => void roi.toggleVisible()}
        busy={roi.busy}
        message={roi.message}
        marginMm={roi.marginMm}
        showShell={roi.showShell}
        onTool={(t) => void chooseTool(t)}
        onUndo={() => void roi.historyStep("undo")}
        onClear={() => void roi.clear(active)}
        onRedo={() => void roi.historyStep("redo")}
        onSave={() => void roi.save(active)}
        onUpload={(f) => void roi.upload(active, f)}
        onMargin={roi.setMarginMm}
        onShowShell={roi.setShowShell}
        pacsName={readOnlyReason ? null : pacsName}
      >
        <PolarityToggle
          polarity={polarityOf(polarity, panes[active])}
          disabledReason={panes[active] ? null : "no series in this pane"}
          onToggle={() => panes[active] && setPolarity((p) => togglePolarity(p, panes[active]!))}
        />
        {roi.rtstructChoice && (
          <RoiChoice
            fileName={roi.rtstructChoice.file.name}
            rois={roi.rtstructChoice.rois}
            onChoose={(name) => void roi.upload(roi.rtstructChoice!.pane, roi.rtstructChoice!.file, name)}
            onCancel={roi.cancelRtstructChoice}
          />
        )}
        <CarryRoi
          roiId={roi.rois[active]?.id ?? null}
          from={panes[active]}
          targets={panes.flatMap((s, j) => (s && j !== active && !s.wado ? [{ pane: j, series: s }] : []))}
          disabledReason={readOnlyReason ?? (roi.busy ? "busy" : null)}
          onCarry={(to) => void roi.carry(active, to)}
        />
        <MeasurementList
          set={measures.sets[active]}
          canSave={!readOnlyReason && view.ready[active] && !!panes[active] && !panes[active]!.wado}
          why={readOnlyReason}
          onSave={() => void measures.save(active)}
          onRoiAxes={
            tumourOf(active) && !lockedReason(active)
              ? () => void measures.segmentBidirectional(active, viewportIdOf(active), tumourOf(active)!.segmentationId)
              : null
          }
        />
      </RoiPanel>
      <div className="grid grid-cols-3 gap-2">
        {panes.map((s, i) => (
          <ViewerPane
            key={i}
            index={i}
            series={s}
            state={view.state[i]}
            active={active === i}
            hidden={maximised !== null && maximised !== i}
            maximised={maximised === i}
            ready={view.ready[i]}
            freehand={tool === "freehand" && editable(i)}
            grow={tool === "grow" && editable(i) && !s?.wado}
            onSeed={(p, kind) => grow.clickAt(i, p, kind)}
            candidates={series.filter((x) => !hungIds.has(x.id))}
            canSetRole={!readOnlyReason && !series.some((x) => x.wado)}
            readOnlyReason={readOnlyReason}
            onShowSeries={(id) => props.onShowSeries?.(i, id)}
            setElement={(el) => {
              elements.current[i] = el;
            }}
            onActivate={() => setActive(i)}
            onOrientation={(o) => void view.setOrientation(i, o)}
            onPreset={(p) => view.applyPreset(i, p)}
            onOutline={(pts) => void roi.fillOutline(i, pts)}
            onWheel={(d) => view.scrollBy(i, d)}
            onToggleMaximise={() => toggleMaximise(i)}
            onLeave={() => void clearBrushCursor(viewportIdOf(i))}
          />
        ))}
      </div>
    </div>
  );
}

const NON_TEXT_INPUTS = new Set(["range", "checkbox", "radio", "button", "submit", "reset", "file", "color"]);

/** Whether the focused element uses this key itself (a text field any key; a button Space/Enter; a slider arrows). */
function keyBelongsToControl(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t || t === document.body) return false;
  const type = t instanceof HTMLInputElement ? t.type : null;
  if (
    t.isContentEditable ||
    t.tagName === "TEXTAREA" ||
    t.tagName === "SELECT" ||
    (type !== null && !NON_TEXT_INPUTS.has(type))
  )
    return true;
  if ((e.key === " " || e.key === "Enter") && (/^(BUTTON|A|SUMMARY)$/.test(t.tagName) || type !== null)) return true;
  return type === "range" && /^(Arrow|Page|Home|End)/.test(e.key);
}
