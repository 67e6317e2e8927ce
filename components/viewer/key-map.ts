/**
 * The viewer's keyboard shortcuts (OHIF-like) as one table: what each key does, for the active pane. The viewer and
 * the tool tips read it; nothing else maps keys.
 */
import type { EditTool } from "./roi-layer";
import type { Orientation } from "./mpr";
import type { MeasureTool } from "./tool-groups";

/** "grow": one-click 3D segmentation (useAssistedSegmentation) */
export type ViewerTool = "wl" | EditTool | MeasureTool | "grow";

export type ViewerAction =
  | { kind: "tool"; tool: ViewerTool }
  | { kind: "orientation"; orientation: Orientation }
  | { kind: "scroll"; delta: number }
  | { kind: "undo" }
  | { kind: "redo" }
  | { kind: "reset" }
  | { kind: "invert" }
  | { kind: "brushSize"; step: 1 | -1 }
  | { kind: "toggleRoi" }
  /** the one-click tool's lesion polarity (bright / dark) on the active pane */
  | { kind: "polarity" };

export interface KeyBinding {
  /** KeyboardEvent.key, compared case-insensitively */
  key: string;
  /** Ctrl (or ⌘) held */
  mod?: boolean;
  action: ViewerAction;
  label: string;
}

export const KEY_MAP: KeyBinding[] = [
  { key: "w", action: { kind: "tool", tool: "wl" }, label: "Window/level" },
  { key: "b", action: { kind: "tool", tool: "brush" }, label: "Brush" },
  { key: "e", action: { kind: "tool", tool: "eraser" }, label: "Eraser" },
  { key: "t", action: { kind: "tool", tool: "threshold" }, label: "Threshold brush" },
  { key: "s", action: { kind: "tool", tool: "sphere" }, label: "Sphere scissors" },
  { key: "f", action: { kind: "tool", tool: "freehand" }, label: "Freehand" },
  { key: "g", action: { kind: "tool", tool: "grow" }, label: "One-click segmentation" },
  { key: "p", action: { kind: "polarity" }, label: "One-click: bright / dark lesion" },
  { key: "l", action: { kind: "tool", tool: "length" }, label: "Length" },
  { key: "d", action: { kind: "tool", tool: "bidirectional" }, label: "Bidirectional" },
  { key: "[", action: { kind: "brushSize", step: -1 }, label: "Smaller brush" },
  { key: "]", action: { kind: "brushSize", step: 1 }, label: "Larger brush" },
  { key: "v", action: { kind: "toggleRoi" }, label: "Show/hide ROI" },
  { key: "1", action: { kind: "orientation", orientation: "axial" }, label: "Axial" },
  { key: "2", action: { kind: "orientation", orientation: "sagittal" }, label: "Sagittal" },
  { key: "3", action: { kind: "orientation", orientation: "coronal" }, label: "Coronal" },
  { key: "z", mod: true, action: { kind: "undo" }, label: "Undo" },
  { key: "y", mod: true, action: { kind: "redo" }, label: "Redo" },
  { key: "ArrowUp", action: { kind: "scroll", delta: -1 }, label: "Previous slice" },
  { key: "ArrowDown", action: { kind: "scroll", delta: 1 }, label: "Next slice" },
  { key: "PageUp", action: { kind: "scroll", delta: -10 }, label: "10 slices back" },
  { key: "PageDown", action: { kind: "scroll", delta: 10 }, label: "10 slices on" },
  { key: " ", action: { kind: "reset" }, label: "Reset view" },
  { key: "i", action: { kind: "invert" }, label: "Invert" },
];

/** The action of a key press, or null. Letters and digits only without Alt; Ctrl/⌘ only where the table says so. */
export function actionForKey(e: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}): ViewerAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const hit = KEY_MAP.find(
    (b) => b.key === key && !!b.mod === mod && !(e.altKey && b.key.length === 1 && b.key !== " "),
  );
  return hit?.action ?? null;
}

/** The shortcut shown in a tool tip: "B", "Ctrl+Z". */
export function shortcutLabel(match: (a: ViewerAction) => boolean): string | null {
  const b = KEY_MAP.find((k) => match(k.action));
  if (!b) return null;
  const key = b.key === " " ? "Space" : b.key.length === 1 ? b.key.toUpperCase() : b.key;
  return b.mod ? `Ctrl+${key}` : key;
}
