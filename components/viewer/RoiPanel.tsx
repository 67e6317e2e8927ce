"use client";

import { StoreToPacsButton } from "@/components/pacs/StoreToPacsButton";
import { shortcutLabel } from "./key-map";
import type { ViewerTool } from "./key-map";
import { RoiHistory } from "./RoiHistory";
import type { RoiSize } from "./roi-size";
import { BRUSH_RADIUS_MM } from "./tool-groups";

export interface RoiInfo {
  id: string;
  version: number;
  source: string;
  voxelCount: number;
  volumeMm3: number;
  createdAt: string;
  author?: { username: string; displayName: string } | null;
}

const TOOLS: { id: ViewerTool; label: string }[] = [
  { id: "wl", label: "Window/level" },
  { id: "brush", label: "Brush" },
  { id: "eraser", label: "Eraser" },
  { id: "threshold", label: "Threshold brush" },
  { id: "sphere", label: "Sphere scissors" },
  { id: "freehand", label: "Freehand" },
  { id: "grow", label: "One-click" },
  { id: "length", label: "Length" },
  { id: "bidirectional", label: "Bidirectional" },
];
const toolKey = (id: ViewerTool) => shortcutLabel((a) => a.kind === "tool" && a.tool === id);

/**
 * ROI tools for the active pane: draw, erase, freehand outline, interpolate between slices, undo/redo, save a new
 * version, upload a mask, shell margin. The view controls (shell, margin, export) stay usable when editing is locked.
 * Its height does not depend on the pane (controls are disabled rather than left out, the status line is one line):
 * a panel that grew when another pane became active moved the panes under the pointer, losing the click.
 */
export function RoiPanel(props: {
  paneLabel: string | null;
  /** false while the pane's images are still loading (labelmaps need every image's metadata) */
  ready: boolean;
  /** why editing is not possible here (the user's role, or a reformatted pane); null when it is */
  lockedReason: string | null;
  /** null: interpolation not offered */
  onInterpolate: (() => void) | null;
  roi: RoiInfo | null;
  /** diameters of the saved ROI */
  size: RoiSize | null;
  /** every saved version, newest first */
  versions: RoiInfo[];
  tool: ViewerTool;
  brushMm: number;
  onBrushMm: (mm: number) => void;
  roiVisible: boolean;
  onToggleRoi: () => void;
  /** shown in the second row (the measurements) */
  children?: React.ReactNode;
  busy: string | null;
  message: { kind: "ok" | "error"; text: string } | null;
  marginMm: number;
  showShell: boolean;
  onTool: (t: ViewerTool) => void;
  onUndo: () => void;
  onClear: () => void;
  onRedo: () => void;
  onSave: () => void;
  onUpload: (f: File) => void;
  onMargin: (mm: number) => void;
  onShowShell: (v: boolean) => void;
  /** the configured PACS, when there is one and the user may store ROIs to it */
  pacsName?: string | null;
}) {
  const disabled = !props.paneLabel || !!props.busy || !props.ready || !!props.lockedReason;
  // the reason shows as the tooltip of every disabled edit control
  const why =
    props.lockedReason ?? (!props.ready && props.paneLabel ? "available once the series has loaded" : undefined);
  return (
    <div
      className="flex flex-col gap-1 rounded border border-room-700 bg-room-900 px-2 py-1 text-xs"
      data-testid="roi-panel"
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="w-24 shrink-0 truncate text-ink-300">ROI on {props.paneLabel ?? "—"}:</span>
        {TOOLS.map((t) => (
          <button
            key={t.id}
            type="button"
            aria-pressed={props.tool === t.id}
            disabled={
              t.id !== "wl" &&
              (t.id === "length" || t.id === "bidirectional" ? !props.paneLabel || !props.ready : disabled)
            }
            title={t.id !== "wl" && disabled && why ? `${t.label}: ${why}` : `${t.label} (${toolKey(t.id)})`}
            onClick={() => props.onTool(t.id)}
            className={`rounded border px-2 py-0.5 disabled:opacity-40 ${props.tool === t.id ? "border-accent-400 text-accent-400" : "border-room-600 text-ink-300"}`}
          >
            {t.label}
          </button>
        ))}
        <label
          className="flex items-center gap-1 text-ink-300"
          title={`Brush radius in mm (${shortcutLabel((a) => a.kind === "brushSize" && a.step < 0)} / ${shortcutLabel((a) => a.kind === "brushSize" && a.step > 0)})`}
        >
          brush
          <input
            type="range"
            data-testid="brush-size"
            min={BRUSH_RADIUS_MM.min}
            max={BRUSH_RADIUS_MM.max}
            step={BRUSH_RADIUS_MM.step}
            value={props.brushMm}
            onChange={(e) => props.onBrushMm(Number(e.target.value))}
            className="w-20"
          />
          <span data-testid="brush-size-value" className="w-10">
            {props.brushMm} mm
          </span>
        </label>
        <button
          type="button"
          disabled={disabled}
          onClick={props.onClear}
          className="rounded border border-room-600 px-2 py-0.5 disabled:opacity-40"
          title={
            disabled && why
              ? `Clear: ${why}`
              : "Empty the tumour ROI of this series to start again (one undo step; nothing is saved until Save ROI)"
          }
        >
          Clear
        </button>
        {props.onInterpolate && (
          <button
            type="button"
            disabled={disabled}
            onClick={props.onInterpolate}
            className="rounded border border-room-600 px-2 py-0.5 disabled:opacity-40"
            title={
              disabled && why
                ? `Interpolate: ${why}`
                : "Fill the slices between drawn slices of this series (one undo step)"
            }
          >
            Interpolate
          </button>
        )}
        <button
          type="button"
          disabled={!!props.lockedReason}
          onClick={props.onUndo}
          className="rounded border border-room-600 px-2 py-0.5 disabled:opacity-40"
          title={
            props.lockedReason ? `Undo: ${props.lockedReason}` : `Undo (${shortcutLabel((a) => a.kind === "undo")})`
          }
        >
          Undo
        </button>
        <button
          type="button"
          disabled={!!props.lockedReason}
          onClick={props.onRedo}
          className="rounded border border-room-600 px-2 py-0.5 disabled:opacity-40"
          title={
            props.lockedReason ? `Redo: ${props.lockedReason}` : `Redo (${shortcutLabel((a) => a.kind === "redo")})`
          }
        >
          Redo
        </button>
        <button
          type="button"
          disabled={disabled}
          onClick={props.onSave}
          title={disabled && why ? `Save ROI: ${why}` : "Save as a new ROI version"}
          className="rounded bg-accent-400 px-2 py-0.5 font-semibold text-room-950 disabled:opacity-50"
        >
          Save ROI
        </button>
        <label
          className={`rounded border border-room-600 px-2 py-0.5 ${disabled ? "cursor-not-allowed opacity-40" : "cursor-pointer"}`}
          title={disabled && why ? `Upload mask: ${why}` : "Upload a DICOM SEG, RTSTRUCT, NIfTI or NRRD mask"}
        >
          Upload mask…
          <input
            type="file"
            data-testid="roi-upload"
            accept=".dcm,.nii,.nii.gz,.nrrd,.gz"
            className="hidden"
            disabled={disabled}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) props.onUpload(f);
              e.target.value = "";
            }}
          />
        </label>
        <label className="flex items-center gap-1 text-ink-300">
          <input type="checkbox" checked={props.showShell} onChange={(e) => props.onShowShell(e.target.checked)} />
          peritumoral shell
        </label>
        <label className="flex items-center gap-1 text-ink-300">
          margin
          <input
            type="number"
            min={1}
            max={20}
            step={1}
            value={props.marginMm}
            onChange={(e) => props.onMargin(Math.max(1, Math.min(20, Number(e.target.value) || 5)))}
            className="w-12 rounded bg-room-800 px-1"
          />
          mm
        </label>
        {props.roi ? (
          <a
            href={`/api/rois/${props.roi.id}/export`}
            className="rounded border border-room-600 px-2 py-0.5"
            data-testid="roi-export"
          >
            Export SEG
          </a>
        ) : (
          <span
            className="rounded border border-room-600 px-2 py-0.5 opacity-40"
            title="Export SEG: no ROI saved on this series"
          >
            Export SEG
          </span>
        )}
        {props.pacsName &&
          (props.roi ? (
            <StoreToPacsButton
              key={props.roi.id}
              url={`/api/rois/${props.roi.id}/pacs`}
              label="Store to PACS"
              pacsName={props.pacsName}
              testId="roi-store-pacs"
              describe={(b) => {
                const s = (b as { stored: { alreadyStored: boolean; sourceName: string } }).stored;
                return s.alreadyStored ? `already in ${s.sourceName}` : `stored in ${s.sourceName} as DICOM SEG`;
              }}
            />
          ) : (
            <span
              className="rounded border border-room-600 px-2 py-0.5 opacity-40"
              title="Store to PACS: no ROI saved on this series"
            >
              Store to PACS
            </span>
          ))}
      </div>
      <div className="flex h-5 items-center gap-2 overflow-hidden whitespace-nowrap" title={props.message?.text}>
        <span data-testid="roi-status" className="text-ink-500">
          {props.roi
            ? `version ${props.roi.version} (${props.roi.source}) · ${props.roi.voxelCount} voxels · ${(props.roi.volumeMm3 / 1000).toFixed(2)} mL`
            : "no ROI saved"}
        </span>
        {props.roi && props.size && (
          <span
            data-testid="roi-size"
            className="text-ink-300"
            title="longest distance between two ROI voxels in 3D, and within one axial plane (RECIST-like)"
          >
            longest {props.size.maxDiameter3dMm.toFixed(1)} mm (axial {props.size.maxDiameterAxialMm.toFixed(1)} mm)
          </span>
        )}
        {props.busy && <span className="text-ink-300">{props.busy}</span>}
        {!props.ready && props.paneLabel && !props.lockedReason && (
          <span className="text-ink-500">ROI tools available once the series has loaded</span>
        )}
        {props.lockedReason && props.paneLabel && (
          <span data-testid="roi-locked" className="text-ink-500">
            {props.lockedReason}
          </span>
        )}
        {props.message && (
          <span
            role="status"
            data-testid="roi-message"
            className={`truncate ${props.message.kind === "ok" ? "text-ok-400" : "text-danger-400"}`}
          >
            {props.message.text}
          </span>
        )}
      </div>
      <div className="flex flex-wrap items-start gap-4">
        <label
          className="flex items-center gap-1 text-ink-300"
          title={`Show or hide the ROI overlays (${shortcutLabel((a) => a.kind === "toggleRoi")})`}
        >
          <input type="checkbox" data-testid="roi-visible" checked={props.roiVisible} onChange={props.onToggleRoi} />
          show ROI
        </label>
        <RoiHistory versions={props.versions} />
        {props.children}
      </div>
    </div>
  );
}
