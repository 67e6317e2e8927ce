"use client";

import { useRef, useState } from "react";
import type { RenderingEngine } from "@cornerstonejs/core";
import { actionForKey, type ViewerAction, type ViewerTool } from "./key-map";
import { hangingProtocol, ROLE_LABEL } from "./presets";
import { TOOL_NAMES } from "./roi-layer";
import { RoiPanel } from "./RoiPanel";
import type { ViewerSeries } from "./series-stack";
import { TOOL_GROUPS } from "./tool-groups";
import { useRoiLayers } from "./useRoiLayers";
import { useViewerEngine } from "./useViewerEngine";
import { ViewerPane } from "./ViewerPane";

export type { ViewerSeries } from "./series-stack";

/**
 * CE-T1 | T2 | CT side by side (stack viewports: one image in memory per decoded slice, bounded by the cache, which is
 * purged when the patient is left). Mouse bindings are in tool-groups.ts, keys in key-map.ts; MR panes sharing a frame
 * of reference scroll together; reformatted panes are volume viewports (mpr.ts), editing is axial-only.
 * `readOnlyReason`: set when the user's role may not save ROIs; the edit tools are then disabled with that reason.
 */
export default function ThreeSeriesViewer({ series, readOnlyReason = null, pacsName = null }: { series: ViewerSeries[]; readOnlyReason?: string | null; pacsName?: string | null }) {
  const panes = hangingProtocol(series);
  const elements = useRef<(HTMLDivElement | null)[]>([]);
  const engineRef = useRef<RenderingEngine | null>(null);
  const [active, setActive] = useState(0);
  const [tool, setTool] = useState<ViewerTool>("wl");
  const roi = useRoiLayers(panes, engineRef);
  const view = useViewerEngine({
    panes,
    engineRef,
    elements,
    onStackLoaded: roi.attach,
    layersOf: roi.layersOf,
    onError: (text) => roi.setMessage({ kind: "error", text }),
  });

  const lockedReason = (i: number): string | null =>
    readOnlyReason ?? (view.state[i]?.orientation !== "axial" ? "editing is on axial slices only: switch this pane back to Axial (1)" : null);
  const editable = (i: number) => !lockedReason(i) && view.ready[i] && !roi.busy;

  async function selectTool(next: ViewerTool) {
    const tools = await import("@cornerstonejs/tools");
    const group = tools.ToolGroupManager.getToolGroup(TOOL_GROUPS.stack.id);
    if (!group) return;
    for (const name of [tools.WindowLevelTool.toolName, ...Object.values(TOOL_NAMES)]) group.setToolPassive(name);
    // freehand: the outline is captured by an overlay on the axial panes (FreehandOverlay), W/L stays underneath
    const name = next === "wl" || next === "freehand" ? tools.WindowLevelTool.toolName : TOOL_NAMES[next];
    group.setToolActive(name, { bindings: [{ mouseButton: tools.Enums.MouseBindings.Primary }] });
    setTool(next);
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
        void selectTool(action.tool);
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

  const onKeyDown = (e: React.KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === "INPUT" || (e.target as HTMLElement).tagName === "SELECT") return;
    const action = actionForKey(e);
    if (action && run(action)) e.preventDefault();
  };

  return (
    <div className="flex flex-col gap-2" tabIndex={0} onKeyDown={onKeyDown} data-testid="viewer" aria-label="Image viewer">
      {view.error && (
        <p role="alert" className="text-sm text-danger-400">
          Viewer error: {view.error}
        </p>
      )}
      <RoiPanel
        paneLabel={panes[active] ? `${ROLE_LABEL[panes[active]!.role] ?? panes[active]!.role}` : null}
        ready={view.ready[active]}
        lockedReason={lockedReason(active)}
        onInterpolate={() => void roi.interpolate(active)}
        roi={roi.rois[active]}
        tool={tool}
        busy={roi.busy}
        message={roi.message}
        marginMm={roi.marginMm}
        showShell={roi.showShell}
        onTool={(t) => void selectTool(t)}
        onUndo={() => void roi.historyStep("undo")}
        onRedo={() => void roi.historyStep("redo")}
        onSave={() => void roi.save(active)}
        onUpload={(f) => void roi.upload(active, f)}
        onMargin={roi.setMarginMm}
        onShowShell={roi.setShowShell}
        pacsName={readOnlyReason ? null : pacsName}
      />
      <div className="grid grid-cols-3 gap-2">
        {panes.map((s, i) => (
          <ViewerPane
            key={i}
            index={i}
            series={s}
            state={view.state[i]}
            active={active === i}
            ready={view.ready[i]}
            freehand={tool === "freehand" && editable(i)}
            setElement={(el) => {
              elements.current[i] = el;
            }}
            onActivate={() => setActive(i)}
            onOrientation={(o) => void view.setOrientation(i, o)}
            onPreset={(p) => view.applyPreset(i, p)}
            onOutline={(pts) => void roi.fillOutline(i, pts)}
            onWheel={(d) => view.scrollBy(i, d)}
          />
        ))}
      </div>
    </div>
  );
}
