/**
 * Tool groups as data (after OHIF's modes/segmentation/src/initToolGroups.ts): each group is a list of tools with their
 * mouse binding and configuration, declared once; the stack panes and the reformatted (MPR) panes are made from it.
 * Tool names are Cornerstone3D's static `toolName`s; named instances (our brush variants) say which tool they are of.
 */
import { TOOL_NAMES } from "./roi-layer";

export type MouseButton = "Primary" | "Auxiliary" | "Secondary" | "Wheel";

export interface ToolSpec {
  /** the name the group knows the tool by (a Cornerstone tool name, or an instance name) */
  toolName: string;
  /** for a named instance: the Cornerstone tool it is an instance of */
  instanceOf?: string;
  configuration?: Record<string, unknown>;
  /** active on this button from the start; without one the tool is passive until selected */
  binding?: MouseButton;
}

export interface ToolGroupSpec {
  id: string;
  tools: ToolSpec[];
}

/** Navigation, the same on every pane: left drag W/L, middle pan, right zoom, wheel scroll. */
export const NAVIGATION_TOOLS: ToolSpec[] = [
  { toolName: "WindowLevel", binding: "Primary" },
  { toolName: "Pan", binding: "Auxiliary" },
  { toolName: "Zoom", binding: "Secondary" },
  { toolName: "StackScroll", binding: "Wheel" },
];

/** Brush radius (mm) at start, and the range the toolbar and [ / ] keys move it in. */
export const BRUSH_RADIUS_MM = { initial: 5, min: 1, max: 30, step: 1 } as const;

/** Labelmap editing on the acquired (axial) slices; each is put on the primary button when selected. */
export const EDIT_TOOLS: ToolSpec[] = [
  {
    toolName: TOOL_NAMES.brush,
    instanceOf: "Brush",
    configuration: { activeStrategy: "FILL_INSIDE_CIRCLE", brushSize: BRUSH_RADIUS_MM.initial },
  },
  {
    toolName: TOOL_NAMES.eraser,
    instanceOf: "Brush",
    configuration: { activeStrategy: "ERASE_INSIDE_CIRCLE", brushSize: BRUSH_RADIUS_MM.initial },
  },
  // dynamic threshold: the range is taken from the pixels within 2 pixels of the brush centre when the stroke starts,
  // so the brush keeps to the tissue under its centre instead of filling the whole circle (Cornerstone3D's
  // dynamicThreshold composition, as OHIF's threshold brush)
  {
    toolName: TOOL_NAMES.threshold,
    instanceOf: "Brush",
    configuration: {
      activeStrategy: "THRESHOLD_INSIDE_CIRCLE",
      brushSize: BRUSH_RADIUS_MM.initial,
      threshold: { isDynamic: true, dynamicRadius: 2 },
    },
  },
  { toolName: TOOL_NAMES.sphere },
];

/** The measurement tools the toolbar offers (segment-bidirectional is drawn from the ROI, not by hand). */
export const MEASURE_TOOL_NAMES = { length: "Length", bidirectional: "Bidirectional" } as const;
export type MeasureTool = keyof typeof MEASURE_TOOL_NAMES;

/** Measurement annotations (saved through lib/measurements); each is put on the primary button when selected. */
export const MEASUREMENT_TOOLS: ToolSpec[] = [
  { toolName: "Length" },
  { toolName: "Bidirectional" },
  { toolName: "SegmentBidirectional" },
];

export const TOOL_GROUPS = {
  /** stack (axial) panes: navigation and editing */
  stack: { id: "nac-tools", tools: [...NAVIGATION_TOOLS, ...EDIT_TOOLS, ...MEASUREMENT_TOOLS] },
  /** reformatted panes: navigation only (editing stays on the acquired slices) */
  mpr: { id: "nac-tools-mpr", tools: NAVIGATION_TOOLS },
} satisfies Record<string, ToolGroupSpec>;

/** Every Cornerstone tool class any group uses (registered once with addTool at initialisation). */
export const TOOL_CLASSES_USED = [
  ...new Set(Object.values(TOOL_GROUPS).flatMap((g) => g.tools.map((t) => t.instanceOf ?? t.toolName))),
];

/** Make (or return the existing) tool group of a spec. */
export async function ensureToolGroup(spec: ToolGroupSpec) {
  const tools = await import("@cornerstonejs/tools");
  const existing = tools.ToolGroupManager.getToolGroup(spec.id);
  if (existing) return existing;
  const group = tools.ToolGroupManager.createToolGroup(spec.id)!;
  for (const t of spec.tools) {
    if (t.instanceOf) group.addToolInstance(t.toolName, t.instanceOf, t.configuration ?? {});
    else group.addTool(t.toolName, t.configuration ?? {});
  }
  // passive: annotations of the measurement tools are drawn (and can be moved) without the tool being selected
  for (const t of spec.tools) {
    if (t.binding)
      group.setToolActive(t.toolName, { bindings: [{ mouseButton: tools.Enums.MouseBindings[t.binding] }] });
    else group.setToolPassive(t.toolName);
  }
  return group;
}

/** Make the stack group afresh (a new viewer mount). */
export async function createToolGroup(spec: ToolGroupSpec) {
  const tools = await import("@cornerstonejs/tools");
  tools.ToolGroupManager.destroyToolGroup(spec.id);
  return ensureToolGroup(spec);
}

export async function destroyToolGroups(): Promise<void> {
  const tools = await import("@cornerstonejs/tools");
  for (const g of Object.values(TOOL_GROUPS)) tools.ToolGroupManager.destroyToolGroup(g.id);
}
