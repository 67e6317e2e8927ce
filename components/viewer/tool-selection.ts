/** Putting a tool of the stack tool group on the primary button, and the brush's radius and cursor. */
import { clickGate } from "./click-gate";
import type { ViewerTool } from "./key-map";
import { TOOL_NAMES } from "./roi-layer";
import { BRUSH_RADIUS_MM, MEASURE_TOOL_NAMES, TOOL_GROUPS } from "./tool-groups";

/** Cornerstone tool behind each toolbar choice (freehand, grow: our overlay captures the pointer, W/L underneath). */
const PRIMARY_TOOL: Record<ViewerTool, string> = {
  wl: "WindowLevel",
  freehand: "WindowLevel",
  grow: "WindowLevel",
  ...TOOL_NAMES,
  ...MEASURE_TOOL_NAMES,
};

/** After any click still on its way to the tools (click-gate.ts): that click belongs to the tool it was made with. */
export async function selectTool(next: ViewerTool): Promise<boolean> {
  await clickGate.settled();
  const tools = await import("@cornerstonejs/tools");
  const group = tools.ToolGroupManager.getToolGroup(TOOL_GROUPS.stack.id);
  if (!group) return false;
  for (const name of new Set(Object.values(PRIMARY_TOOL))) group.setToolPassive(name);
  group.setToolActive(PRIMARY_TOOL[next], { bindings: [{ mouseButton: tools.Enums.MouseBindings.Primary }] });
  return true;
}

/** Brush, eraser and threshold brush radius (mm), after any click still on its way to the tools. */
export async function setBrushRadius(mm: number): Promise<void> {
  await clickGate.settled();
  const tools = await import("@cornerstonejs/tools");
  for (const name of [TOOL_NAMES.brush, TOOL_NAMES.eraser, TOOL_NAMES.threshold]) {
    tools.utilities.segmentation.setBrushSizeForToolGroup(
      TOOL_GROUPS.stack.id,
      Math.max(BRUSH_RADIUS_MM.min, mm),
      name,
    );
  }
}

/**
 * Workaround: Cornerstone3D 5.14's BrushTool keeps drawing its ring where the pointer last was after the pointer has
 * left the viewport (its hover data is only replaced on the next move inside). Drop it on mouseleave; remove this when
 * BrushTool clears its cursor on leave (try: hover a pane with the brush, move out, the ring must go).
 */
export async function clearBrushCursor(viewportId: string): Promise<void> {
  const tools = await import("@cornerstonejs/tools");
  const group = tools.ToolGroupManager.getToolGroup(TOOL_GROUPS.stack.id);
  if (!group) return;
  for (const name of [TOOL_NAMES.brush, TOOL_NAMES.eraser, TOOL_NAMES.threshold]) {
    const t = group.getToolInstance(name) as { disableCursor?: () => void } | undefined;
    t?.disableCursor?.();
  }
  tools.utilities.triggerAnnotationRenderForViewportIds([viewportId]);
}
